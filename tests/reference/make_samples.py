#!/usr/bin/env python3
"""Regenerate the sample logs in samples/ (deterministic: fixed seeds, byte-identical output).

    python3 tests/reference/make_samples.py          # writes into <repo>/samples/

Each log mixes random "ordinary" cases with hand-made ones placed on purpose at the edges
the audits must get right (exactly at a limit, one second over, day and week boundaries in
the report time zone, open at the end of the log...). The hand-made cases are listed in
tests/reference/README.md with their expected verdicts.
"""

import csv
import datetime as dt
import math
import os
import random
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "samples")
UTC = dt.timezone.utc
S, M, H, D = 1, 60, 3600, 86400


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def shuffle_a_few(rng, rows, n):
    """Swap n pairs of neighbouring rows: the log is in time order, nearly."""
    for _ in range(n):
        i = rng.randrange(1, len(rows) - 2)
        rows[i], rows[i + 1] = rows[i + 1], rows[i]


def weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# ============================================================================ ticket desk

DESK_AGENTS = {
    "Support": ["Olena Kovalenko", "Taras Bondarenko", "Iryna Shevchenko", "Maksym Melnyk"],
    "Sales": ["Sofiia Tkachenko", "Andrii Kravets"],
    "Development": ["Dmytro Oliinyk", "Kateryna Moroz"],
}
DESK_END = dt.datetime(2026, 11, 23, 7, 59, 41, tzinfo=UTC)   # the log's last event


def utc(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def desk_bulk_ticket(rng, created):
    """One ordinary ticket: list of (time, event, department, channel, agent, customer_type)."""
    dept = weighted(rng, [("Support", 55), ("Sales", 30), ("Development", 15)])
    channel = weighted(rng, [("web", 35), ("email", 28), ("chat", 22), ("phone", 15)])
    ctype = weighted(rng, [("new", 30), ("returning", 70)]) if dept != "Development" else "returning"
    agent = rng.choice(DESK_AGENTS[dept])
    ev = []
    late = rng.random() < (0.05 if channel == "email" else 0.015)
    if channel == "email":
        # the mailbox becomes queries every 15 minutes: created at the next quarter hour
        q = created.replace(minute=created.minute - created.minute % 15, second=0)
        created = q + dt.timedelta(seconds=rng.randint(4, 40))
        if late:
            total = rng.randint(11 * M, 35 * M)
            waited = rng.randint(2 * M, min(15 * M - 5, total - 30))
        else:
            total = rng.randint(3 * M, 10 * M - 1)
            waited = rng.randint(20, total - 40)
        email_at = created - dt.timedelta(seconds=waited)
        ev.append((email_at, "email_received", dept, channel, "", ctype))
        reply = email_at + dt.timedelta(seconds=total)
    else:
        delay = rng.randint(11 * M, 45 * M) if late else rng.randint(25, 9 * M + 50)
        reply = created + dt.timedelta(seconds=delay)
    ev.append((created, "created", dept, channel, "", ctype))
    ev.append((reply, "agent_reply", dept, channel, agent, ctype))
    last = reply
    rounds = weighted(rng, [(0, 50), (1, 32), (2, 18)])
    for _ in range(rounds):
        msg = last + dt.timedelta(seconds=rng.randint(4 * M, 5 * H))
        ev.append((msg, "customer_reply", dept, channel, "", ctype))
        wait = rng.randint(62 * M, 3 * H) if rng.random() < 0.03 else rng.randint(2 * M, 55 * M)
        last = msg + dt.timedelta(seconds=wait)
        if rng.random() < 0.12:   # the customer writes again before anyone answers
            msg2 = msg + dt.timedelta(seconds=rng.randint(90, 12 * M))
            ev.append((msg2, "customer_reply", dept, channel, "", ctype))
            last = max(last, msg2 + dt.timedelta(seconds=rng.randint(60, 9 * M)))
        ev.append((last, "agent_reply", dept, channel, agent, ctype))
    if rng.random() < 0.8:
        ev.append((last + dt.timedelta(seconds=rng.randint(10 * M, 30 * H)), "solved", dept,
                   channel, agent, ctype))
    return ev


def desk_special_tickets():
    """Hand-made tickets, keyed by a label used in README.md (ids are given later)."""
    T = utc
    sup, sal, dev = "Support", "Sales", "Development"
    olena, taras, iryna = DESK_AGENTS[sup][0], DESK_AGENTS[sup][1], DESK_AGENTS[sup][2]
    sofiia, andrii, dmytro = DESK_AGENTS[sal][0], DESK_AGENTS[sal][1], DESK_AGENTS[dev][0]
    return {
        # email late on Sunday 15 Nov, Kyiv time (W46): answered after Kyiv midnight
        "kyiv-midnight-email": [
            (T("2026-11-15T21:52:00Z"), "email_received", sup, "email", "", "returning"),
            (T("2026-11-15T22:00:15Z"), "created", sup, "email", "", "returning"),
            (T("2026-11-15T22:01:30Z"), "agent_reply", sup, "email", taras, "returning"),
            (T("2026-11-16T07:30:00Z"), "solved", sup, "email", taras, "returning"),
        ],
        # created 00:20 Monday in Kyiv (W47), still Sunday in UTC (W46 in UTC)
        "week-start-kyiv": [
            (T("2026-11-15T22:20:00Z"), "created", sal, "chat", "", "new"),
            (T("2026-11-15T22:24:30Z"), "agent_reply", sal, "chat", andrii, "new"),
            (T("2026-11-15T23:10:00Z"), "solved", sal, "chat", andrii, "new"),
        ],
        # first reply exactly 600 s after creation: met
        "exactly-10m": [
            (T("2026-11-16T09:03:12Z"), "created", sup, "web", "", "returning"),
            (T("2026-11-16T09:13:12Z"), "agent_reply", sup, "web", olena, "returning"),
            (T("2026-11-16T11:40:00Z"), "solved", sup, "web", olena, "returning"),
        ],
        # first reply 601 s after creation: breached by one second
        "one-second-late": [
            (T("2026-11-16T13:47:05Z"), "created", sal, "web", "", "new"),
            (T("2026-11-16T13:57:06Z"), "agent_reply", sal, "web", sofiia, "new"),
            (T("2026-11-17T08:15:00Z"), "solved", sal, "web", sofiia, "new"),
        ],
        # the clock starts when the e-mail arrives: 4m18s after created, 18m30s after the e-mail
        "email-clock": [
            (T("2026-11-17T09:01:10Z"), "email_received", sup, "email", "", "returning"),
            (T("2026-11-17T09:15:22Z"), "created", sup, "email", "", "returning"),
            (T("2026-11-17T09:19:40Z"), "agent_reply", sup, "email", iryna, "returning"),
            (T("2026-11-17T12:00:00Z"), "solved", sup, "email", iryna, "returning"),
        ],
        # closed as a duplicate without any reply: reply-before-closing breached, no stop
        "closed-without-reply": [
            (T("2026-11-17T10:12:40Z"), "created", sal, "web", "", "new"),
            (T("2026-11-17T12:05:00Z"), "solved", sal, "web", sofiia, "new"),
        ],
        # closed by mistake, answered 5 minutes later: first reply met (420 s), but the
        # reply came 300 s after the close
        "reply-after-close": [
            (T("2026-11-18T08:30:00Z"), "created", sup, "chat", "", "returning"),
            (T("2026-11-18T08:32:00Z"), "solved", sup, "chat", olena, "returning"),
            (T("2026-11-18T08:37:00Z"), "agent_reply", sup, "chat", olena, "returning"),
        ],
        # two customer messages, one answer 25 min after the first: both met (1500 s, 1260 s)
        # and a third message answered exactly 3600 s later: met
        "two-messages-one-reply": [
            (T("2026-11-18T11:00:00Z"), "created", dev, "web", "", "returning"),
            (T("2026-11-18T11:06:00Z"), "agent_reply", dev, "web", dmytro, "returning"),
            (T("2026-11-18T12:10:00Z"), "customer_reply", dev, "web", "", "returning"),
            (T("2026-11-18T12:14:00Z"), "customer_reply", dev, "web", "", "returning"),
            (T("2026-11-18T12:35:00Z"), "agent_reply", dev, "web", dmytro, "returning"),
            (T("2026-11-18T15:00:00Z"), "customer_reply", dev, "web", "", "returning"),
            (T("2026-11-18T16:00:00Z"), "agent_reply", dev, "web", dmytro, "returning"),
            (T("2026-11-19T09:00:00Z"), "solved", dev, "web", dmytro, "returning"),
        ],
        # e-mail 23:40 Kyiv, answered 23:59:59 Kyiv: same day at the last second (met), but
        # 1199 s after the e-mail: first reply breached
        "same-day-last-second": [
            (T("2026-11-18T21:40:00Z"), "email_received", sup, "email", "", "new"),
            (T("2026-11-18T21:45:20Z"), "created", sup, "email", "", "new"),
            (T("2026-11-18T21:59:59Z"), "agent_reply", sup, "email", iryna, "new"),
            (T("2026-11-19T06:10:00Z"), "solved", sup, "email", iryna, "new"),
        ],
        # e-mail 00:10 Kyiv on Friday 20 Nov (still Thursday in UTC), answered 02:05 Kyiv:
        # same Kyiv day (met); a UTC day would have breached it
        "kyiv-day-not-utc-day": [
            (T("2026-11-19T22:10:00Z"), "email_received", sup, "email", "", "returning"),
            (T("2026-11-19T22:15:09Z"), "created", sup, "email", "", "returning"),
            (T("2026-11-20T00:05:00Z"), "agent_reply", sup, "email", taras, "returning"),
            (T("2026-11-20T07:00:00Z"), "solved", sup, "email", taras, "returning"),
        ],
        # moved from Sales to Support: the ticket's department is Support (latest value)
        "transferred": [
            (T("2026-11-19T10:00:00Z"), "created", sal, "chat", "", "new"),
            (T("2026-11-19T10:03:00Z"), "agent_reply", sal, "chat", andrii, "new"),
            (T("2026-11-19T10:20:00Z"), "customer_reply", sup, "chat", "", "new"),
            (T("2026-11-19T10:41:00Z"), "agent_reply", sup, "chat", olena, "new"),
        ],
        # created 23:56 Sunday Kyiv (last minutes of W47), answered after midnight Kyiv:
        # met (430 s) on the whole log, open in the W47 audit (the reply is after its end)
        "week-end-kyiv": [
            (T("2026-11-22T21:56:00Z"), "created", sup, "chat", "", "returning"),
            (T("2026-11-22T22:03:10Z"), "agent_reply", sup, "chat", taras, "returning"),
            (T("2026-11-22T22:40:00Z"), "solved", sup, "chat", taras, "returning"),
        ],
        # nobody answered and nobody closed it: first reply breached without a stop,
        # reply-before-closing still open
        "abandoned": [
            (T("2026-11-23T04:31:00Z"), "created", dev, "web", "", "returning"),
        ],
        # the log ends 4 minutes after it was created: open
        "open-at-end": [
            (T("2026-11-23T07:55:30Z"), "created", sal, "chat", "", "new"),
        ],
        # the customer's last message is 35 minutes before the end of the log: open
        "message-open-at-end": [
            (T("2026-11-23T06:40:00Z"), "created", sup, "phone", "", "returning"),
            (T("2026-11-23T06:44:00Z"), "agent_reply", sup, "phone", iryna, "returning"),
            (T("2026-11-23T07:24:00Z"), "customer_reply", sup, "phone", "", "returning"),
        ],
        # the last event of the log (so the default as_of is 2026-11-23T07:59:41Z):
        # answered 581 s after creation
        "last-event": [
            (T("2026-11-23T07:50:00Z"), "created", sal, "chat", "", "new"),
            (T("2026-11-23T07:59:41Z"), "agent_reply", sal, "chat", sofiia, "new"),
        ],
    }


def make_ticket_desk():
    rng = random.Random(47)
    tickets = []
    # ordinary tickets, Monday 16 Nov 04:00 UTC to Monday 23 Nov 07:00 UTC, busier by day
    t = dt.datetime(2026, 11, 16, 4, 0, tzinfo=UTC)
    stop = dt.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    while True:
        kyiv_hour = (t.hour + 2) % 24
        gap = rng.expovariate(1 / (90 * M)) if 8 <= kyiv_hour < 21 else rng.expovariate(1 / (260 * M))
        t = t + dt.timedelta(seconds=int(gap))
        if t >= stop:
            break
        tickets.append(("", desk_bulk_ticket(rng, t)))
    tickets += list(desk_special_tickets().items())
    # ids in order of the tickets' first event
    tickets.sort(key=lambda kv: min(e[0] for e in kv[1]))
    rows, labels = [], {}
    for n, (label, evs) in enumerate(tickets):
        tid = f"T-{48210 + n}"
        if label:
            labels[label] = tid
        for k, e in enumerate(evs):
            rows.append((e[0], tid, e))
    rows = [r for r in rows if r[0] <= DESK_END]
    rows.sort(key=lambda r: r[0])   # stable: a ticket's events at one instant keep their order
    out = [[tid, e[0].strftime("%Y-%m-%dT%H:%M:%SZ"), e[1], e[2], e[3], e[4], e[5]]
           for _, tid, e in rows]
    shuffle_a_few(rng, out, 5)
    write_csv(os.path.join(SAMPLES, "ticket-desk.csv"),
              ["ticket_id", "timestamp", "event", "department", "channel", "agent", "customer_type"],
              out)
    return labels


def make_broken_tickets():
    rows = [
        ["T-90001", "2026-11-16T09:00:00Z", "created", "Support", "web", "", "new"],
        ["T-90001", "2026-11-16T09:04:10Z", "agent_reply", "Support", "web", "Olena Kovalenko", "new"],
        ["T-90002", "2026-11-16T09:10:00Z", "created", "Sales", "chat", "", "returning"],
        ["T-90002", "16/11/2026 09:15", "agent_reply", "Sales", "chat", "Andrii Kravets", "returning"],  # line 5
        ["T-90003", "2026-11-16T09:20:00Z", "created", "Support", "phone", "", "returning"],
        ["", "2026-11-16T09:22:00Z", "agent_reply", "Support", "phone", "Taras Bondarenko", "returning"],  # line 7
        ["T-90003", "2026-11-16T09:26:30Z", "agent_reply", "Support", "phone", "Taras Bondarenko", "returning"],
        ["T-90004", "", "created", "Development", "web", "", "returning"],  # line 9
        ["T-90004", "2026-11-16T09:40:00Z", "created", "Development", "web", "", "returning"],
        ["T-90004", "2026-11-16T09:55:00Z", "agent_reply", "Development", "web", "Dmytro Oliinyk", "returning"],
    ]
    write_csv(os.path.join(SAMPLES, "broken", "tickets-bad-rows.csv"),
              ["ticket_id", "timestamp", "event", "department", "channel", "agent", "customer_type"],
              rows)


# ============================================================================ training provider

CHI = ZoneInfo("America/Chicago")
STAFF = ["Maria Lopez", "Kevin Brooks", "Alicia Nguyen", "Tom Becker"]
TP_START = dt.datetime(2026, 11, 16, 0, 0)          # naive Chicago wall-clock time
TP_END = dt.datetime(2026, 11, 27, 17, 0)           # the export: Friday 27 Nov, 17:00
HOLIDAYS = {dt.date(2026, 11, 26)}                  # Thanksgiving: office closed


def office_open(t):
    return t.weekday() < 5 and t.date() not in HOLIDAYS and 8 <= t.hour < 17


def office_time(rng, t):
    """t if the office is open then, else a few minutes after the next opening."""
    if office_open(t):
        return t
    d = t
    if d.hour >= 17 or d.weekday() >= 5 or d.date() in HOLIDAYS:
        d = (d + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0)
    else:
        d = d.replace(hour=8, minute=0, second=0)
    while d.weekday() >= 5 or d.date() in HOLIDAYS:
        d += dt.timedelta(days=1)
    return d + dt.timedelta(seconds=rng.randint(3 * M, 50 * M))


def arrival(rng, day_from, day_to, office_share=0.8):
    """A time a customer contacts the provider: mostly office hours, else a weekday's early
    morning or evening."""
    while True:
        day = TP_START + dt.timedelta(days=rng.randint(day_from, day_to))
        if day.weekday() >= 5 or day.date() in HOLIDAYS:
            continue
        if rng.random() < office_share:
            return day.replace(hour=rng.randint(8, 15), minute=rng.randint(0, 59), second=rng.randint(0, 59))
        return day.replace(hour=rng.choice([6, 7, 17, 18, 19, 20, 21]),
                           minute=rng.randint(0, 59), second=rng.randint(0, 59))


def make_training_provider():
    rng = random.Random(2026)
    cases = []   # list of (label, [(t, event, channel, customer_type, staff)])
    for _ in range(34):
        ev = []
        channel = weighted(rng, [("web", 28), ("email", 34), ("phone", 30), ("walk-in", 8)])
        ctype = weighted(rng, [("first-time", 35), ("repeat", 25), ("applicant", 15),
                               ("student", 10), ("business", 15)])
        staff = rng.choice(STAFF)
        t0 = arrival(rng, 0, 10, office_share={"walk-in": 1.0, "email": 0.88}.get(channel, 0.85))
        if channel == "email":
            ev.append((t0, "email_received", channel, ctype, ""))
        voicemail = channel == "phone" and (not office_open(t0) or rng.random() < 0.75)
        if voicemail:
            ev.append((t0, "voicemail_left", channel, ctype, ""))
        ev.append((t0, "inquiry_received", channel, ctype, ""))
        if channel in ("walk-in",) or (channel == "phone" and not voicemail):
            reply = t0 + dt.timedelta(seconds=rng.randint(60, 8 * M))
        elif voicemail:
            back = office_time(rng, t0 + dt.timedelta(seconds=rng.randint(10 * M, 100 * M)))
            ev.append((back, "voicemail_returned", channel, ctype, staff))
            reply = back
        else:
            reply = office_time(rng, t0 + dt.timedelta(seconds=rng.randint(10 * M, 150 * M)))
            if rng.random() < 0.03:
                reply = office_time(rng, t0 + dt.timedelta(seconds=rng.randint(25 * H, 40 * H)))
        ev.append((reply, "replied", channel, ctype, staff))
        # follow-ups: days 1-2, 3-4, 5-6 after the inquiry, sometimes skipped
        registers_on = None
        if ctype in ("applicant", "first-time", "repeat") and rng.random() < 0.3:
            registers_on = office_time(rng, t0 + dt.timedelta(seconds=rng.randint(D, 6 * D)))
        for lo, hi in ((1, 2), (3, 4), (5, 6)):
            fu = office_time(rng, t0 + dt.timedelta(seconds=rng.randint(lo * D, hi * D)))
            if fu - t0 > dt.timedelta(days=7) or rng.random() < 0.14:
                continue
            if registers_on and fu > registers_on:
                break
            ev.append((fu, "follow_up", channel, ctype, staff))
        if registers_on:
            r = registers_on
            ev.append((r, "registration_submitted", "web", ctype, ""))
            ev.append((r, "registered", "web", ctype, ""))
            conf = r + dt.timedelta(seconds=rng.randint(2 * M, 50 * M)) if office_open(r) \
                else office_time(rng, r)
            ev.append((conf, "registration_confirmed", "web", ctype, staff))
        cases.append(("", ev))
    # registrations that arrive directly on the web site, no inquiry first
    for _ in range(10):
        ctype = weighted(rng, [("student", 50), ("repeat", 30), ("business", 20)])
        r = arrival(rng, 0, 11, office_share=1.0)
        staff = rng.choice(STAFF)
        conf = r + dt.timedelta(seconds=rng.randint(90, 45 * M)) if office_open(r) \
            else office_time(rng, r)
        cases.append(("", [(r, "registration_submitted", "web", ctype, ""),
                           (r, "registered", "web", ctype, ""),
                           (conf, "registration_confirmed", "web", ctype, staff)]))
    # students who cancel a course and ask for their money back
    for _ in range(7):
        ctype = weighted(rng, [("student", 70), ("business", 30)])
        staff = rng.choice(STAFF)
        c = arrival(rng, 0, 9, office_share=1.0)
        channel = rng.choice(["email", "phone", "web"])
        handled = c + dt.timedelta(seconds=rng.randint(20 * M, 2 * H))
        ev = [(c, "cancellation_requested", channel, ctype, ""),
              (handled, "cancellation_handled", channel, ctype, staff),
              (handled, "refund_requested", channel, ctype, "")]
        done = office_time(rng, handled + dt.timedelta(seconds=rng.randint(D, 4 * D)))
        ev.append((done, "refund_processed", channel, ctype, "Alicia Nguyen"))
        cases.append(("", ev))
    cases += list(tp_special_cases().items())
    cases.sort(key=lambda kv: min(e[0] for e in kv[1]))
    rows, labels = [], {}
    for n, (label, evs) in enumerate(cases):
        cid = f"INQ-{3101 + n}"
        if label:
            labels[label] = cid
        for k, e in enumerate(evs):
            rows.append((e[0], n, k, cid, e))
    rows = [r for r in rows if r[0] <= TP_END]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = [[cid, e[0].strftime("%Y-%m-%d %H:%M:%S"), e[1], e[2], e[3], e[4]] for _, _, _, cid, e in rows]
    shuffle_a_few(rng, out, 4)
    write_csv(os.path.join(SAMPLES, "training-provider.csv"),
              ["inquiry_id", "timestamp", "event", "channel", "customer_type", "staff"], out)
    return labels


def tp_special_cases():
    N = dt.datetime.fromisoformat
    return {
        # reply exactly 24 h after the inquiry: met
        "reply-exactly-24h": [
            (N("2026-11-16 16:40:00"), "inquiry_received", "web", "business", ""),
            (N("2026-11-17 16:40:00"), "replied", "web", "business", "Kevin Brooks"),
            (N("2026-11-18 10:00:00"), "follow_up", "web", "business", "Kevin Brooks"),
            (N("2026-11-20 11:30:00"), "follow_up", "web", "business", "Kevin Brooks"),
            # third follow-up exactly 7 days after the inquiry: counted, met at that instant
            (N("2026-11-23 16:40:00"), "follow_up", "web", "business", "Kevin Brooks"),
        ],
        # e-mail at 17:30 Friday, answered Monday morning: same-day breached, 24 h breached
        "friday-evening-email": [
            (N("2026-11-20 17:30:00"), "email_received", "email", "first-time", ""),
            (N("2026-11-20 17:30:00"), "inquiry_received", "email", "first-time", ""),
            (N("2026-11-23 08:20:00"), "replied", "email", "first-time", "Maria Lopez"),
            (N("2026-11-24 09:00:00"), "follow_up", "email", "first-time", "Maria Lopez"),
        ],
        # e-mail answered at 23:59:59 local time: same day, met at the last second
        "email-last-second": [
            (N("2026-11-18 21:15:00"), "email_received", "email", "applicant", ""),
            (N("2026-11-18 21:15:00"), "inquiry_received", "email", "applicant", ""),
            (N("2026-11-18 23:59:59"), "replied", "email", "applicant", "Tom Becker"),
            (N("2026-11-19 10:00:00"), "follow_up", "email", "applicant", "Tom Becker"),
            (N("2026-11-23 10:00:00"), "follow_up", "email", "applicant", "Tom Becker"),
        ],
        # registers after one follow-up: exempt from three-follow-ups
        "registers-early": [
            (N("2026-11-17 10:05:00"), "inquiry_received", "phone", "applicant", ""),
            (N("2026-11-17 10:09:00"), "replied", "phone", "applicant", "Alicia Nguyen"),
            (N("2026-11-18 11:00:00"), "follow_up", "phone", "applicant", "Alicia Nguyen"),
            (N("2026-11-19 14:00:00"), "registration_submitted", "web", "applicant", ""),
            (N("2026-11-19 14:00:00"), "registered", "web", "applicant", ""),
            (N("2026-11-19 14:25:00"), "registration_confirmed", "web", "applicant", "Alicia Nguyen"),
        ],
        # three follow-ups, registered after the third: met, not exempt
        "registers-after-three": [
            (N("2026-11-16 09:12:00"), "inquiry_received", "walk-in", "repeat", ""),
            (N("2026-11-16 09:20:00"), "replied", "walk-in", "repeat", "Maria Lopez"),
            (N("2026-11-17 09:00:00"), "follow_up", "walk-in", "repeat", "Maria Lopez"),
            (N("2026-11-18 09:00:00"), "follow_up", "walk-in", "repeat", "Maria Lopez"),
            (N("2026-11-20 09:00:00"), "follow_up", "walk-in", "repeat", "Maria Lopez"),
            (N("2026-11-20 15:00:00"), "registration_submitted", "web", "repeat", ""),
            (N("2026-11-20 15:00:00"), "registered", "web", "repeat", ""),
            # submitted 15:00, confirmed 16:00:01: one second over the hour, breached
            (N("2026-11-20 16:00:01"), "registration_confirmed", "web", "repeat", "Maria Lopez"),
        ],
        # two follow-ups and the week is over: breached
        "two-follow-ups-only": [
            (N("2026-11-16 11:00:00"), "inquiry_received", "phone", "first-time", ""),
            (N("2026-11-16 11:03:00"), "replied", "phone", "first-time", "Tom Becker"),
            (N("2026-11-18 15:00:00"), "follow_up", "phone", "first-time", "Tom Becker"),
            (N("2026-11-21 10:00:00"), "follow_up", "phone", "first-time", "Tom Becker"),
        ],
        # voicemail on Sunday evening, returned Monday 08:10: breached (12 h 55 min)
        "weekend-voicemail": [
            (N("2026-11-22 19:15:00"), "voicemail_left", "phone", "business", ""),
            (N("2026-11-22 19:15:00"), "inquiry_received", "phone", "business", ""),
            (N("2026-11-23 08:10:00"), "voicemail_returned", "phone", "business", "Kevin Brooks"),
            (N("2026-11-23 08:10:00"), "replied", "phone", "business", "Kevin Brooks"),
        ],
        # refund requested, not processed by the end of the log, 5 days not yet over: open
        "refund-pending": [
            (N("2026-11-24 10:00:00"), "cancellation_requested", "email", "student", ""),
            (N("2026-11-24 13:30:00"), "cancellation_handled", "email", "student", "Tom Becker"),
            (N("2026-11-24 13:30:00"), "refund_requested", "email", "student", ""),
        ],
    }


# ============================================================================ order cycle

WRITERS = ["Anna Hryhorenko", "Mark Ellison", "Priya Raman", "Oleh Savchuk", "Grace Adeyemi",
           "Lukas Brenner", "Nadia Petrenko", "Sam Whitfield"]
ORD_END = dt.datetime(2026, 11, 29, 18, 0)   # naive UTC: the export was taken at this time


def make_order_cycle():
    rng = random.Random(1116)
    orders = []
    for _ in range(113):
        placed = dt.datetime(2026, 11, 16) + dt.timedelta(seconds=rng.randint(0, 11 * D + 12 * H))
        placed = placed.replace(second=0)
        o = {"placed": placed, "customer_type": weighted(rng, [("first-time", 30), ("returning", 45),
                                                               ("student", 15), ("business", 10)]),
             "writer": rng.choice(WRITERS)}
        r = rng.random()
        paid = placed + dt.timedelta(minutes=rng.randint(1, 28))
        if r < 0.03:
            paid = placed + dt.timedelta(minutes=rng.randint(35, 240))
        o["paid"] = paid
        # deadline: 12 h to 7 days after the order, as a date or a date and time
        due = placed + dt.timedelta(hours=rng.randint(12, 7 * 24))
        fmt = rng.random()
        if fmt < 0.4:
            o["deadline"] = due.strftime("%Y-%m-%d")
            due = due.replace(hour=23, minute=59, second=59)
        elif fmt < 0.96:
            due = due.replace(minute=rng.choice([0, 0, 0, 30]))
            o["deadline"] = due.strftime("%Y-%m-%d %H:%M")
        else:
            o["deadline"] = ""
        o["started"] = paid + dt.timedelta(minutes=rng.randint(10, 6 * 60))
        span = due - o["started"]
        if rng.random() < 0.09:
            delivered = due + dt.timedelta(minutes=rng.randint(20, 30 * 60))
        else:
            delivered = o["started"] + span * rng.uniform(0.35, 0.97)
        o["delivered"] = max(delivered.replace(second=0, microsecond=0),
                             o["started"] + dt.timedelta(minutes=30))
        last = o["delivered"]
        if rng.random() < 0.3:
            o["revision_requested"] = last + dt.timedelta(minutes=rng.randint(120, 48 * 60))
            hours = rng.randint(2 * 60, 23 * 60) if rng.random() < 0.85 else rng.randint(25 * 60, 40 * 60)
            o["revision_delivered"] = o["revision_requested"] + dt.timedelta(minutes=hours)
            last = o["revision_delivered"]
        o["approved"] = last + dt.timedelta(minutes=rng.randint(60, 3 * 24 * 60))
        fb = rng.randint(60, 47 * 60) if rng.random() < 0.86 else rng.randint(49 * 60, 90 * 60)
        o["feedback_requested"] = o["approved"] + dt.timedelta(minutes=fb)
        orders.append(("", o))
    orders += list(order_special_cases().items())
    orders.sort(key=lambda kv: kv[1]["placed"])
    labels = {}
    seq = ["placed", "paid", "started", "delivered", "revision_requested", "revision_delivered",
           "approved", "feedback_requested"]
    out = []
    for n, (label, o) in enumerate(orders):
        oid = f"ORD-{58230 + n}"
        if label:
            labels[label] = oid
        # what the export shows at ORD_END: later milestones have not happened yet
        cut = False
        for k in seq:
            if k in o and (cut or o[k] > ORD_END):
                cut = True
                o[k] = None
        cell = lambda k: o[k].strftime("%Y-%m-%d %H:%M") if o.get(k) else ""
        out.append([oid, o["customer_type"], o["writer"], cell("placed"), cell("paid"),
                    cell("started"), cell("delivered"), o["deadline"], cell("revision_requested"),
                    cell("revision_delivered"), cell("approved"), cell("feedback_requested")])
    shuffle_a_few(rng, out, 3)
    write_csv(os.path.join(SAMPLES, "order-cycle.csv"),
              ["order_id", "customer_type", "writer", "placed_at", "paid_at", "started_at",
               "delivered_at", "deadline", "revision_requested_at", "revision_delivered_at",
               "approved_at", "feedback_requested_at"], out)
    return labels


def order_special_cases():
    N = dt.datetime.fromisoformat
    return {
        # paid exactly 30 minutes after the order: met; delivered 23:59 on its date-only
        # deadline day: met, 59 s early
        "paid-at-30m-delivered-last-minute": {
            "placed": N("2026-11-17 10:05"), "paid": N("2026-11-17 10:35"),
            "started": N("2026-11-17 11:00"), "delivered": N("2026-11-20 23:59"),
            "deadline": "2026-11-20", "approved": N("2026-11-21 09:00"),
            "feedback_requested": N("2026-11-23 09:00"),   # exactly 2 days: met
            "customer_type": "student", "writer": "Priya Raman"},
        # delivered at 00:00 the day after its date-only deadline: one second late
        "one-second-late": {
            "placed": N("2026-11-18 08:40"), "paid": N("2026-11-18 08:52"),
            "started": N("2026-11-18 09:30"), "delivered": N("2026-11-22 00:00"),
            "deadline": "2026-11-21", "approved": N("2026-11-22 15:00"),
            "feedback_requested": N("2026-11-26 10:00"),
            "customer_type": "first-time", "writer": "Oleh Savchuk"},
        # revision delivered exactly 24 h after the request: met
        "revision-exactly-24h": {
            "placed": N("2026-11-16 14:00"), "paid": N("2026-11-16 14:06"),
            "started": N("2026-11-16 15:00"), "delivered": N("2026-11-18 12:00"),
            "deadline": "2026-11-18 18:00", "revision_requested": N("2026-11-18 20:15"),
            "revision_delivered": N("2026-11-19 20:15"), "approved": N("2026-11-20 08:00"),
            "feedback_requested": N("2026-11-20 09:00"),
            "customer_type": "returning", "writer": "Anna Hryhorenko"},
        # never paid, placed days before the end of the log: payment breached, nothing else
        "never-paid": {
            "placed": N("2026-11-19 22:10"), "deadline": "2026-11-24",
            "customer_type": "first-time", "writer": ""},
        # placed 10 minutes before the end of the export, not yet paid: open
        "just-placed": {
            "placed": N("2026-11-29 17:50"), "deadline": "2026-12-03 12:00",
            "customer_type": "returning", "writer": ""},
        # its deadline passed, not delivered: breached without a stop
        "overdue-undelivered": {
            "placed": N("2026-11-24 09:00"), "paid": N("2026-11-24 09:10"),
            "started": N("2026-11-24 10:00"), "deadline": "2026-11-27 12:00",
            "customer_type": "business", "writer": "Mark Ellison"},
        # no deadline in the export: excluded from delivered-by-deadline
        "no-deadline": {
            "placed": N("2026-11-20 13:00"), "paid": N("2026-11-20 13:02"),
            "started": N("2026-11-20 13:30"), "delivered": N("2026-11-22 10:00"),
            "deadline": "", "approved": N("2026-11-22 18:00"),
            "feedback_requested": N("2026-11-23 10:00"),
            "customer_type": "business", "writer": "Grace Adeyemi"},
    }


def make_front_desk():
    """The training provider's front desk, 16-20 Nov: phone calls (the rings it took to
    answer, in `rings` on the call_answered row) and walk-in customers (arrived, then greeted
    by staff). Most calls are answered within three rings and most walk-ins within two
    minutes, not all: both standards fall short of 100%."""
    rng = random.Random(1117)
    contacts = []   # (label, [(t, event, channel, rings, staff)])
    for _ in range(46):
        t0 = arrival(rng, 0, 4, office_share=1.0)
        staff = rng.choice(STAFF)
        ring = weighted(rng, [(1, 20), (2, 35), (3, 25), (4, 12), (5, 6), (7, 2)])
        ev = [(t0, "call_received", "phone", "", "")]
        if rng.random() < 0.08:
            ev.append((t0 + dt.timedelta(seconds=6 * ring + 4), "call_abandoned", "phone", "", ""))
        else:
            answered = t0 + dt.timedelta(seconds=6 * ring)
            ev.append((answered, "call_answered", "phone", str(ring), staff))
            ev.append((answered + dt.timedelta(seconds=rng.randint(60, 12 * M)), "call_ended",
                       "phone", "", staff))
        contacts.append((None, ev))
    for _ in range(18):
        t0 = arrival(rng, 0, 4, office_share=1.0)
        staff = rng.choice(STAFF)
        wait = int(rng.lognormvariate(math.log(50), 0.8))
        contacts.append((None, [(t0, "walk_in_arrived", "walk-in", "", ""),
                                (t0 + dt.timedelta(seconds=wait), "walk_in_greeted", "walk-in",
                                 "", staff)]))
    # At the edges: answered on the third ring (met), a call answered with no ring count
    # written (not scored), a walk-in greeted after exactly 2 minutes (met) and one a second
    # later (breached).
    day = TP_START + dt.timedelta(days=2)
    contacts += [
        ("third-ring", [(day.replace(hour=9, minute=1), "call_received", "phone", "", ""),
                        (day.replace(hour=9, minute=1, second=18), "call_answered", "phone", "3",
                         "Alicia Nguyen"),
                        (day.replace(hour=9, minute=6), "call_ended", "phone", "", "Alicia Nguyen")]),
        ("rings-not-written", [(day.replace(hour=10, minute=2), "call_received", "phone", "", ""),
                               (day.replace(hour=10, minute=2, second=9), "call_answered", "phone",
                                "", "Kevin Brooks"),
                               (day.replace(hour=10, minute=9), "call_ended", "phone", "", "Kevin Brooks")]),
        ("greeted-at-2m", [(day.replace(hour=11, minute=0), "walk_in_arrived", "walk-in", "", ""),
                           (day.replace(hour=11, minute=2), "walk_in_greeted", "walk-in", "",
                            "Alicia Nguyen")]),
        ("greeted-2m-1s", [(day.replace(hour=11, minute=30), "walk_in_arrived", "walk-in", "", ""),
                           (day.replace(hour=11, minute=32, second=1), "walk_in_greeted", "walk-in",
                            "", "Kevin Brooks")]),
    ]
    contacts.sort(key=lambda kv: min(e[0] for e in kv[1]))
    rows, labels = [], {}
    for n, (label, evs) in enumerate(contacts):
        cid = f"FD-{501 + n}"
        if label:
            labels[label] = cid
        for k, e in enumerate(evs):
            rows.append((e[0], n, k, cid, e))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = [[cid, e[0].strftime("%Y-%m-%d %H:%M:%S"), e[1], e[2], e[3], e[4]]
           for _, _, _, cid, e in rows]
    write_csv(os.path.join(SAMPLES, "front-desk.csv"),
              ["contact_id", "timestamp", "event", "channel", "rings", "staff"], out)
    return labels


def main():
    labels = {"ticket-desk": make_ticket_desk(), "training-provider": make_training_provider(),
              "order-cycle": make_order_cycle(), "front-desk": make_front_desk()}
    make_broken_tickets()
    for name, ls in labels.items():
        for label, cid in sorted(ls.items(), key=lambda kv: kv[1]):
            print(f"{name}\t{cid}\t{label}")


if __name__ == "__main__":
    main()
