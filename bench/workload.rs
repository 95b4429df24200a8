//! The benchmark's reference workload, deterministic from a seed and a size. Shared by
//! `examples/generate.rs`, the equivalence test (`tests/integration/fast_path.rs`) and `benches/`.
//!
//! A ticket is created at a uniformly random instant of four weeks from Monday 2026-11-02
//! 00:00 UTC. 3% are never answered (created, and for half of them a customer message).
//! The others get a first agent reply after a lognormal delay (median 6 minutes, sigma 1:
//! p90 about 22 minutes, a few take hours), then a geometric number (mean 1.42) of
//! customer message + agent reply exchanges, a follow-up (30%) and a solve (80%): 5.8
//! events per ticket on average. Every ticket has one department (Support 50%, Sales 30%,
//! Development 20%), one channel (email, chat, phone, web) and one of 200 agents, who
//! writes the agent rows (the agent column is empty on created and customer rows). A solved
//! row carries the customer's satisfaction score, `csat`, 1 to 5 in half points (most 4 or
//! better), empty for one in ten (no answer to the survey): the numeric column of the value
//! standard in `standards-5.toml`. The score is a hash of the seed and ticket, not a draw of
//! the generator, so that every other column is what it was before the column came.
#![allow(dead_code)]

use std::io::{self, Write};

/// Monday 2026-11-02T00:00:00Z.
pub const START: i64 = 1_793_577_600;
pub const SPAN: u32 = 28 * 86_400;
pub const HEADER: &str = "ticket_id,timestamp,event,department,channel,agent,csat\n";
pub const EVENTS: [&str; 5] = [
    "created",
    "agent_reply",
    "customer_reply",
    "follow_up",
    "solved",
];
pub const DEPARTMENTS: [&str; 3] = ["Support", "Sales", "Development"];
pub const CHANNELS: [&str; 4] = ["email", "chat", "phone", "web"];
pub const AGENTS: u32 = 200;

/// splitmix64: small, fast, and good enough for synthetic data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_F42D_4C95_7F2D)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    /// Lognormal with the given median (seconds) and sigma, at least 1 second.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> u32 {
        (median * (sigma * self.normal()).exp())
            .round()
            .clamp(1.0, 1e8) as u32
    }
    /// Exponential with the given mean (seconds), at least 1 second.
    pub fn exponential(&mut self, mean: f64) -> u32 {
        (-mean * self.unit().ln()).round().clamp(1.0, 1e8) as u32
    }
}

/// One event: seconds after [`START`], ticket number, event index, and the ticket's
/// department, channel and agent.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub t: u32,
    pub ticket: u32,
    pub event: u8,
    pub department: u8,
    pub channel: u8,
    pub agent: u8,
    /// The ticket's satisfaction score times two (2 to 10), 0 for none; written on its
    /// solved row only.
    pub csat: u8,
}

/// The satisfaction score (times two, 0 for none) of a ticket, from the seed and the ticket
/// number alone.
pub fn csat(seed: u64, ticket: u32) -> u8 {
    let mut h = Rng::new(seed ^ (u64::from(ticket) << 20) ^ 0xC5A7);
    match h.below(100) {
        0..=9 => 0,
        10..=44 => 10,
        45..=59 => 9,
        60..=79 => 8,
        80..=87 => 7,
        88..=94 => 6,
        95..=97 => 4,
        _ => 2,
    }
}

/// The first `events` rows of the workload, in time order (ticket order among equal times).
pub fn rows(events: u64, seed: u64) -> Vec<Row> {
    let mut rng = Rng::new(seed);
    // 2% more tickets than the mean needs, then the log is cut at exactly `events` rows.
    let tickets = (events as f64 / 5.8 * 1.02).ceil() as usize + 4;
    let mut created: Vec<u32> = (0..tickets).map(|_| rng.below(SPAN)).collect();
    created.sort_unstable();
    let mut out = Vec::with_capacity(tickets * 6 + 16);
    for (ticket, &t0) in created.iter().enumerate() {
        let dept = match rng.below(10) {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        };
        let channel = rng.below(4) as u8;
        let agent = rng.below(AGENTS) as u8;
        let score = csat(seed, ticket as u32);
        let mut push = |t: u32, event: u8| {
            out.push(Row {
                t,
                ticket: ticket as u32,
                event,
                department: dept,
                channel,
                agent,
                csat: score,
            })
        };
        push(t0, 0);
        if rng.below(100) < 3 {
            if rng.below(2) == 0 {
                push(t0 + rng.exponential(7200.0), 2);
            }
            continue;
        }
        let mut t = t0 + rng.lognormal(360.0, 1.0);
        push(t, 1);
        // Geometric number of exchanges with mean 1.42: continue with p = 1.42 / 2.42.
        while rng.unit() < 1.42 / 2.42 {
            t += rng.exponential(3.0 * 3600.0);
            push(t, 2);
            t += rng.lognormal(900.0, 1.0);
            push(t, 1);
        }
        if rng.below(10) < 3 {
            t += rng.exponential(86_400.0);
            push(t, 3);
        }
        if rng.below(10) < 8 {
            t += rng.exponential(4.0 * 3600.0);
            push(t, 4);
        }
    }
    out.sort_unstable_by_key(|r| (u64::from(r.t) << 32) | u64::from(r.ticket));
    out.truncate(events as usize);
    out
}

/// Writes the workload as CSV, with a reused line buffer.
pub fn write(out: &mut impl Write, events: u64, seed: u64) -> io::Result<()> {
    let rows = rows(events, seed);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    buf.extend_from_slice(HEADER.as_bytes());
    let mut day = i64::MIN;
    let mut date = [0u8; 11];
    for r in &rows {
        let secs = START + i64::from(r.t);
        let d = secs.div_euclid(86_400);
        if d != day {
            day = d;
            let (y, m, dd) = civil(d);
            date = *b"0000-00-00T";
            put(&mut date[0..4], y as u32);
            put(&mut date[5..7], m);
            put(&mut date[8..10], dd);
        }
        let s = secs.rem_euclid(86_400) as u32;
        let mut time = *b"00:00:00Z";
        put(&mut time[0..2], s / 3600);
        put(&mut time[3..5], s / 60 % 60);
        put(&mut time[6..8], s % 60);
        buf.push(b'T');
        let mut id = [0u8; 8];
        put(&mut id, r.ticket + 1);
        buf.extend_from_slice(&id);
        buf.push(b',');
        buf.extend_from_slice(&date);
        buf.extend_from_slice(&time);
        buf.push(b',');
        buf.extend_from_slice(EVENTS[r.event as usize].as_bytes());
        buf.push(b',');
        buf.extend_from_slice(DEPARTMENTS[r.department as usize].as_bytes());
        buf.push(b',');
        buf.extend_from_slice(CHANNELS[r.channel as usize].as_bytes());
        buf.push(b',');
        if matches!(r.event, 1 | 3 | 4) {
            let mut a = *b"agent-000";
            put(&mut a[6..9], u32::from(r.agent) + 1);
            buf.extend_from_slice(&a);
        }
        buf.push(b',');
        if r.event == 4 && r.csat > 0 {
            buf.push(b'0' + r.csat / 2);
            if r.csat % 2 == 1 {
                buf.extend_from_slice(b".5");
            }
        }
        buf.push(b'\n');
        if buf.len() > (1 << 20) - 256 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

/// Writes `n` as zero-padded decimal digits filling `to`.
fn put(to: &mut [u8], mut n: u32) {
    for b in to.iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Days since 1970-01-01 -> (year, month, day) (Howard Hinnant's `civil_from_days`).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
