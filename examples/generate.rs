//! The reference workload of the benchmark (issue 6): a synthetic support desk's event log.
//!
//! ```sh
//! cargo run --release --example generate -- --events 10000000 --seed 42 > bench/data/10m.csv
//! ```
//!
//! Header `ticket_id,timestamp,event,department,channel,agent`; one row per event in time
//! order across tickets; RFC 3339 UTC timestamps; events created, agent_reply,
//! customer_reply, follow_up, solved; about 5.8 events per ticket; 3% of tickets never
//! answered; first replies lognormal around 6 minutes with a long tail; three departments,
//! four channels, 200 agents, four weeks. The same seed and size give the same bytes.

use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut events: u64 = 1_000_000;
    let mut seed: u64 = 42;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .and_then(|v| v.replace('_', "").parse::<u64>().ok())
                .unwrap_or_else(|| usage(&format!("{a} needs a number")))
        };
        match a.as_str() {
            "--events" | "-n" => events = value(),
            "--seed" => seed = value(),
            "-h" | "--help" => usage(""),
            _ => usage(&format!("unknown argument {a:?}")),
        }
    }
    let out = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 20, out);
    yardstick_bench::write(&mut out, events, seed)?;
    out.flush()
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("error: {msg}");
    }
    eprintln!("usage: generate [--events N] [--seed S] > file.csv");
    std::process::exit(2)
}

/// Kept in a module so that tests can include it with `#[path]`.
#[path = "../bench/workload.rs"]
mod yardstick_bench;
