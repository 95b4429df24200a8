#!/usr/bin/env python3
"""Independent reference calculator for yardstick audits.

Deliberately simple and slow: Python 3.11+ standard library only, everything in memory,
written to be read next to the contract rather than to be fast. It exists so that the
Rust implementation can be checked against numbers computed another way.

    python3 tests/reference/reference.py standards/ticket-desk.toml
    python3 tests/reference/reference.py standards/ticket-desk.toml --week 2026-W47
    python3 tests/reference/reference.py standards/order-cycle.toml --log orders=other.csv
    python3 tests/reference/reference.py standards/ticket-desk.toml --by department
    python3 tests/reference/reference.py standards/ticket-desk.toml --cases-csv cases.csv

Prints one JSON object on stdout: as_of, period, per standard its counts and statistics,
and per source the rows read / used / skipped.  See tests/reference/README.md for the
semantics, which follow /work/shared/product/CONTRACT.md.
"""

import argparse
import csv
import datetime as dt
from fractions import Fraction
import json
import math
import os
import re
import sys
import tomllib
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc

# ---------------------------------------------------------------------------- time parsing

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def epoch(d):
    """Seconds since the Unix epoch; an int when whole."""
    s = d.timestamp()
    return int(s) if float(s).is_integer() else s


def parse_time(text, tz, time_format=None, date_means_end_of_day=False):
    """Return epoch seconds, or raise ValueError.

    A bare date is the start of that day, or its last second (23:59:59) when
    `date_means_end_of_day` (deadlines)."""
    text = text.strip()
    if time_format:
        d = dt.datetime.strptime(text, time_format)
        if d.tzinfo is None:
            d = d.replace(tzinfo=tz)
        return epoch(d)
    if RFC3339.match(text):
        return epoch(dt.datetime.fromisoformat(text.replace("z", "Z")))
    if NAIVE.match(text):
        return epoch(dt.datetime.fromisoformat(text).replace(tzinfo=tz))
    if DATE_ONLY.match(text):
        day = dt.date.fromisoformat(text)
        if date_means_end_of_day:
            return epoch(dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz))
        return epoch(dt.datetime(day.year, day.month, day.day, tzinfo=tz))
    raise ValueError("unparseable timestamp")


def midnight_end_of_day(text, tz, time_format=None):
    """For a cell written as a time at 00:00:00 (no offset): the last second of that day;
    None for any other cell, a bare date (read as a day already) included."""
    text = text.strip()
    if time_format:
        d = dt.datetime.strptime(text, time_format)
        if d.tzinfo is not None:
            return None
    elif NAIVE.match(text):
        d = dt.datetime.fromisoformat(text)
    else:
        return None
    if d.time() != dt.time(0, 0):
        return None
    return epoch(dt.datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=tz))


def iso(t):
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
BY_TIME = re.compile(r"^(same day|next business day|(\d+) business days?) by (\d{1,2}):(\d{2})$")


def parse_within(text):
    """'45s', '10m', '4h', '1h30m', '2d' -> seconds; 'same day' -> the string 'same day';
    'N business days' -> ('days', N); 'same day by 17:00', 'next business day by 16:00',
    'N business days by HH:MM' -> ('by', N, minutes after midnight)."""
    text = " ".join(text.strip().lower().split())
    if text == "same day":
        return "same day"
    m = re.match(r"^(\d+) business days?$", text)
    if m:
        return ("days", int(m.group(1)))
    m = BY_TIME.match(text)
    if m:
        days = {"same day": 0, "next business day": 1}.get(m.group(1))
        days = int(m.group(2)) if days is None else days
        hh, mm = int(m.group(3)), int(m.group(4))
        if hh > 23 or mm > 59:
            raise SystemExit(f"bad time of day in {text!r}")
        return ("by", days, hh * 60 + mm)
    m = DURATION.match(text)
    if not text or not m:
        raise SystemExit(f"bad duration {text!r}")
    d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


# ---------------------------------------------------------------------------- calendars
#
# Enough of a business calendar for the limits counted in days: weekday hours, holidays,
# date overrides, a time zone. Every date's windows are listed and compared one by one, as
# slowly as a person would with a diary.

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CALENDARS = {}   # [calendars.NAME] tables of the standards file (set in main)


def wall(tz, day, minute, late):
    """The instant of local time `minute` after midnight of date `day`: a time the clocks skip
    is the transition (the first instant whose local time is at or after it), a time they
    repeat the later instant when `late`, else the earlier."""
    day = day + dt.timedelta(days=minute // 1440)
    naive = dt.datetime(day.year, day.month, day.day, (minute % 1440) // 60, minute % 60)
    found = []
    for fold in (0, 1):
        t = epoch(naive.replace(tzinfo=tz, fold=fold))
        if dt.datetime.fromtimestamp(t, tz).replace(tzinfo=None) == naive:
            found.append(t)
    if found:
        return max(found) if late else min(found)
    lo = epoch(naive.replace(tzinfo=tz, fold=1))   # offset after the change: too early
    hi = epoch(naive.replace(tzinfo=tz, fold=0))   # offset before it: too late
    lo, hi = min(lo, hi), max(lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def hhmm(text):
    h, m = text.strip().split(":")
    return int(h) * 60 + int(m)


class Calendar:
    def __init__(self, conf, tz):
        """`conf` is a [calendars.NAME] table, or None for `always` (every day 00:00-24:00)."""
        self.tz = tz
        self.always = conf is None
        if conf is None:
            self.week = [[(0, 1440)]] * 7
            self.holidays, self.overrides = set(), {}
            return
        if "timezone" in conf:
            self.tz = ZoneInfo(conf["timezone"])
        def spans(lst):
            out = []
            for text in lst:
                a, b = text.split("-")
                a, b = hhmm(a), hhmm(b)
                out.append((a, b if b > a else b + 1440))   # an end before the start: next day
            return out
        self.week = [spans(conf.get(d, [])) for d in WEEKDAYS]
        self.holidays = {str(h) for h in conf.get("holidays", [])}
        self.overrides = {str(k): spans(v) for k, v in conf.get("overrides", {}).items()}

    def spans(self, day):
        iso_day = day.isoformat()
        if iso_day in self.overrides:
            return self.overrides[iso_day]
        if iso_day in self.holidays or iso_day[5:] in self.holidays:
            return []
        return self.week[day.weekday()]

    def windows(self, day):
        return [(wall(self.tz, day, a, False), wall(self.tz, day, b, True))
                for a, b in self.spans(day)]

    def date_of(self, t):
        return dt.datetime.fromtimestamp(t, self.tz).date()

    def open_between(self, a, b):
        if self.always:
            return b - a
        total = 0
        day = self.date_of(a) - dt.timedelta(days=2)
        while day <= self.date_of(b) + dt.timedelta(days=1):
            for s, e in self.windows(day):
                total += max(0, min(e, b) - max(s, a))
            day += dt.timedelta(days=1)
        return total

    def open_days(self, start):
        """The open days from the clock's day on: the first date whose open time ends after
        `start` (it holds `start`, or has the next open time after it), then every open date."""
        day = self.date_of(start) - dt.timedelta(days=2)
        while not (self.windows(day) and self.windows(day)[-1][1] > start):
            day += dt.timedelta(days=1)
        while True:
            if self.windows(day):
                yield day
            day += dt.timedelta(days=1)

    def deadline(self, start, within):
        """The last instant that meets `within` (see the README, "Durations")."""
        if within == "same day":
            within = ("days", 0)
        if isinstance(within, tuple) and within[0] == "days":
            days = self.open_days(start)
            for _ in range(within[1]):
                next(days)
            return self.windows(next(days))[-1][1] - 1
        if isinstance(within, tuple) and within[0] == "by":
            _, n, minute = within
            days = self.open_days(start)
            day = next(days)
            # A clock that starts at or after the time on its day counts from the next open
            # day (or a later one, if a span past midnight leaves that day's time behind too).
            while start >= wall(self.tz, day, minute, True):
                day = next(days)
            for _ in range(n):
                day = next(days)
            return wall(self.tz, day, minute, True)
        if self.always:
            return start + within
        raise SystemExit("reference.py counts durations in hours only on the 'always' calendar")

def end_of_local_day(t, tz):
    """The last second (23:59:59) of the calendar day, in `tz`, that contains instant t."""
    local = dt.datetime.fromtimestamp(t, tz)
    return epoch(local.replace(hour=23, minute=59, second=59, microsecond=0))


def as_list(v):
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


# ---------------------------------------------------------------------------- reading logs

class Case:
    def __init__(self, cid):
        self.id = cid
        self.events = []      # (time, name, seq) ; seq keeps file order for the stable sort
        self.attrs = {}
        self.deadlines = {}   # cases layout: milestone -> value read as a deadline (bare date = end of day)
        self.day_ends = {}    # cases layout: milestone -> the end of its day, when written at 00:00:00
        self.rows = {}        # events layout: seq -> (row as a dict, time zone, time format)


# A number cell of a value standard: digits with an optional point and exponent, an optional
# sign; no thousands separators, no decimal comma, no "inf" or "nan".
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def value_specs(stds):
    """(column, set of `on` events or None) of each value standard of a source."""
    return [(s["value"], set(as_list(s["on"])) if "on" in s else None)
            for s in stds if "value" in s]


def read_source(name, src, path, file_tz, values=()):
    """Return (cases: dict id -> Case, input report, set of milestone names that are
    only deadlines). `values`: the (column, on) of the source's value standards; a cell
    there that is not a number costs no row, only its case's number (see `evaluate`)."""
    tz = ZoneInfo(src.get("timezone")) if src.get("timezone") else file_tz
    fmt = src.get("time_format")
    layout = src.get("layout", "events")
    case_col = src["case"]
    cases = {}
    rows = used = 0
    reasons = {}
    bad_lines = []
    seq = 0
    midnights = {}   # milestone -> cells at 00:00:00
    times = set()    # milestones with a cell at another time

    def skip(reason, line):
        reasons[reason] = reasons.get(reason, 0) + 1
        bad_lines.append({"line": line, "reason": reason})

    f = sys.stdin if path == "-" else open(path, newline="", encoding="utf-8-sig")
    with f:
        reader = csv.reader(f)
        header = next(reader)
        start_line = reader.line_num + 1
        for row in reader:
            line = start_line
            start_line = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue  # blank line: not a data row
            rows += 1
            rec = dict(zip(header, row))
            cid = rec.get(case_col, "").strip()
            if not cid:
                skip("missing case id", line)
                continue
            if layout == "events":
                time_col, event_col = src["time"], src["event"]
                ttext = rec.get(time_col, "").strip()
                if not ttext:
                    skip("missing timestamp", line)
                    continue
                try:
                    t = parse_time(ttext, tz, fmt)
                except ValueError:
                    skip("unparseable timestamp", line)
                    continue
                ev = rec.get(event_col, "").strip()
                ev = src.get("events", {}).get(ev, ev)
                if not ev:
                    skip("missing event", line)
                    continue
                c = cases.setdefault(cid, Case(cid))
                c.events.append((t, ev, seq))
                c.rows[seq] = (rec, tz, fmt)
                seq += 1
                for col, val in rec.items():
                    if col not in (case_col, time_col, event_col) and val.strip():
                        c.attrs[col] = val.strip()   # latest non-empty value in file order
                used += 1
            else:  # cases layout
                milestones = src["milestones"]
                parsed = []
                deadlines = {}
                day_ends = {}
                ok = True
                for ms, col in milestones.items():
                    cell = rec.get(col, "").strip()
                    if not cell:
                        continue
                    try:
                        parsed.append((parse_time(cell, tz, fmt), ms))
                        deadlines[ms] = parse_time(cell, tz, fmt, date_means_end_of_day=True)
                    except ValueError:
                        ok = False
                        break
                    # A deadline column is read as dates when every cell is at 00:00:00
                    # (or a bare date); decided after the last row.
                    end = midnight_end_of_day(cell, tz, fmt)
                    if end is not None:
                        day_ends[ms] = end
                        midnights[ms] = midnights.get(ms, 0) + 1
                    elif not DATE_ONLY.match(cell):
                        times.add(ms)
                if not ok:
                    skip("unparseable timestamp", line)
                    continue
                c = cases.setdefault(cid, Case(cid))
                for t, ms in parsed:
                    c.events.append((t, ms, seq))
                    seq += 1
                c.deadlines.update(deadlines)
                for ms in deadlines:
                    c.day_ends[ms] = day_ends.get(ms)
                mcols = set(milestones.values())
                for col, val in rec.items():
                    if col != case_col and col not in mcols and val.strip():
                        c.attrs[col] = val.strip()
                used += 1
    for c in cases.values():
        c.events.sort(key=lambda e: (e[0], e[2]))
    if layout == "cases":
        # Deadline milestones whose every value is at midnight mean "by the end of that day",
        # unless the source lists them (or their columns) in `time_columns`.
        keep = set(src.get("time_columns", []))
        keep |= {ms for ms, col in src["milestones"].items() if col in keep}
        for ms in midnights:
            if ms in times or ms in keep:
                continue
            for c in cases.values():
                if c.day_ends.get(ms) is not None:
                    c.deadlines[ms] = c.day_ends[ms]
    report = {"source": name, "path": path, "rows": rows, "used": used,
              "skipped": rows - used, "skipped_reasons": reasons, "skipped_lines": bad_lines}
    return cases, report


# ---------------------------------------------------------------------------- evaluation

def first_at_or_after(events, names, start):
    for t, n, _ in events:
        if n in names and t >= start:
            return t
    return None


def kind_of(std):
    if "returns" in std:
        return "repeat"
    if "value" in std:
        return "value"
    if "each" in std:
        return "each"
    if "count" in std:
        return "count"
    if "by" in std:
        return "deadline"
    return "elapsed"


def in_period(t, period):
    if period is None:
        return True
    since, until = period
    return (since is None or t >= since) and (until is None or t < until)


def repeat_period(within, as_of, period):
    """(look_back, since, until) of a repeat standard: the audited period, one `within` long
    from the end given when only one is, the last `within` before as_of when none is; the
    look-back is the `within` before the period."""
    since, until = period if period is not None else (None, None)
    if since is None and until is None:
        since, until = as_of - within, as_of
    elif until is None:
        until = since + within
    elif since is None:
        since = until - within
    return since - within, since, until


def evaluate_repeat(std, cases, as_of, period):
    """The customers (the `customer` column's values, else the cases) with a `returns` event
    in the look-back; met when one returns inside the period, breached when none does and
    the period is over at as_of, open before then. A case with a look-back event and an
    empty customer cell is excluded ("no customer")."""
    within = parse_within(std["within"])
    look_back, since, until = repeat_period(within, as_of, period)
    returns = set(as_list(std["returns"]))
    column = std.get("customer")
    where = std.get("where", {})
    firsts = {}     # customer -> (time, case position, case id) of its first look-back event
    returned = {}   # customer -> first return inside the period
    no_customer = []
    for pos, (cid, case) in enumerate(cases.items()):
        if any(case.attrs.get(col, "") not in [str(v) for v in as_list(want)]
               for col, want in where.items()):
            continue
        times = [t for t, n, _ in case.events if n in returns and t <= as_of]
        looked = [t for t in times if look_back <= t < since]
        back = [t for t in times if since <= t < until]
        who = cid if column is None else case.attrs.get(column, "")
        if not who:
            if looked:
                no_customer.append((pos, cid, min(looked), case.attrs))
            continue
        if looked and (who not in firsts or (min(looked), pos) < firsts[who][:2]):
            firsts[who] = (min(looked), pos, cid, case.attrs)
        if back:
            returned[who] = min(back + ([returned[who]] if who in returned else []))
    out = []
    for who, (first, pos, cid, attrs) in firsts.items():
        stop = returned.get(who)
        verdict = "met" if stop is not None else ("breached" if as_of >= until else "open")
        out.append((pos, dict(case=who, attrs=attrs, start=first, stop=stop,
                              deadline=until - 1, verdict=verdict, value=None)))
    for pos, cid, first, attrs in no_customer:
        out.append((pos, dict(case=cid, attrs=attrs, start=first, stop=None, deadline=None,
                              verdict="excluded", reason="no customer", value=None)))
    out.sort(key=lambda r: r[0])
    return [r for _, r in out]


def evaluate(std, cases, layout, as_of, period, file_tz, calendars=None):
    """Yield one record per case of this standard (excluded ones included, verdict 'excluded')."""
    kind = kind_of(std)
    if kind == "repeat":
        yield from evaluate_repeat(std, cases, as_of, period)
        return
    where = std.get("where", {})
    within = parse_within(std["within"]) if "within" in std else None
    name = std.get("calendar", "always")
    if not isinstance(name, str):
        raise SystemExit("reference.py takes one calendar per standard")
    calendars = CALENDARS if calendars is None else calendars
    cal = Calendar(None if name == "always" else calendars[name], file_tz)

    def deadline_from(start):
        if within == "same day" and name == "always":
            return end_of_local_day(start, file_tz)
        return cal.deadline(start, within)

    for cid in cases:
        case = cases[cid]
        if any(case.attrs.get(col, "") not in [str(v) for v in as_list(want)]
               for col, want in where.items()):
            continue
        evs = [e for e in case.events if e[0] <= as_of]   # later events do not exist yet
        base = {"case": cid, "attrs": case.attrs}

        if kind == "value":
            # With `on`: the row of the case's first such event (time order, file order at
            # one instant); the case belongs to that event's period. Without: the case's
            # latest non-empty cell in file order (its attribute value), in the period of its
            # first row (events) or earliest milestone (cases).
            col = std["value"]
            if "on" in std:
                on = set(as_list(std["on"]))
                hit = next((e for e in evs if e[1] in on), None)
                if hit is None:
                    continue
                start = hit[0]
                cell = case.rows[hit[2]][0].get(col, "").strip()
            else:
                if not evs:
                    continue
                start = evs[0][0]
                if layout == "events":
                    # The latest non-empty cell in file order among the rows up to the
                    # as-of: a row after it has not happened yet.
                    cell = ""
                    for _, _, seq in sorted(evs, key=lambda e: e[2]):
                        v = case.rows[seq][0].get(col, "").strip()
                        if v:
                            cell = v
                else:
                    cell = case.attrs.get(col, "")
            if not in_period(start, period):
                continue
            # A cell that is not a finite number (three, n/a, 3,5, NaN, inf, 1e400) gives the
            # case no number, for its own reason; the row counts for everything else.
            number = float(cell) if cell and NUMBER.match(cell) else None
            if number is not None and not math.isfinite(number):
                number = None
            lo, hi = std.get("at_least"), std.get("at_most")
            if number is None and cell:
                verdict, reason = "excluded", "not a number"
            elif number is None:
                verdict, reason = "excluded", "no value"
            elif (lo is None or number >= lo) and (hi is None or number <= hi):
                verdict, reason = "met", None
            else:
                verdict, reason = "breached", None
            yield dict(base, start=start, stop=None if number is None else start,
                       deadline=None, verdict=verdict, reason=reason, value=None,
                       number=number)
            continue

        if kind == "each" and "by" in std:
            # A promise per occurrence: the `by` cell of the occurrence's own row (a date
            # alone = the end of that day); kept by the first `to` at or after it, on another row.
            eaches = set(as_list(std["each"]))
            to = set(as_list(std["to"]))
            occurrences = [(i, e) for i, e in enumerate(evs) if e[1] in eaches]
            for k, (i, (start, _, seq)) in enumerate(occurrences, 1):
                if not in_period(start, period):
                    continue
                rec, tz, fmt = case.rows[seq]
                cell = rec.get(std["by"], "").strip()
                due = parse_time(cell, tz, fmt, date_means_end_of_day=True) if cell else None
                stop = first_at_or_after([e for j, e in enumerate(evs) if j != i], to, start)
                reason = None
                if due is None:
                    verdict, reason = "excluded", "no deadline"
                elif stop is not None:
                    verdict = "met" if stop <= due else "breached"
                else:
                    verdict = "breached" if as_of > due else "open"
                yield dict(base, case=f"{cid}#{k}", start=start, stop=stop, deadline=due,
                           verdict=verdict, reason=reason,
                           value=None if stop is None or due is None else stop - due)

        elif kind == "elapsed" or kind == "each":
            to = set(as_list(std["to"]))
            if kind == "elapsed":
                froms = set(as_list(std["from"]))
                starts = [(None, next((t for t, n, _ in evs if n in froms), None))]
                ids = [cid]
            else:
                # (row, time) of each occurrence: the row itself never stops its own clock.
                eaches = set(as_list(std["each"]))
                starts = [(i, t) for i, (t, n, _) in enumerate(evs) if n in eaches]
                ids = [f"{cid}#{k}" for k in range(1, len(starts) + 1)]
            for (row, start), sid in zip(starts, ids):
                if start is None or not in_period(start, period):
                    continue
                deadline = deadline_from(start)
                others = [e for i, e in enumerate(evs) if i != row]
                stop = first_at_or_after(others, to, start)
                if stop is not None:
                    verdict = "met" if stop <= deadline else "breached"
                else:
                    verdict = "breached" if as_of > deadline else "open"
                yield dict(base, case=sid, start=start, stop=stop, deadline=deadline,
                           verdict=verdict,
                           value=None if stop is None else cal.open_between(start, stop))

        elif kind == "count":
            froms = set(as_list(std["from"]))
            start = next((t for t, n, _ in evs if n in froms), None)
            if start is None or not in_period(start, period):
                continue
            window_end = None if within is None else deadline_from(start)
            limit = window_end if window_end is not None else as_of
            counted = [t for t, n, _ in evs if n == std["count"] and start <= t <= limit]
            unless = [t for t, n, _ in evs if n == std.get("unless") and t >= start]
            lo, hi = std.get("at_least"), std.get("at_most")
            closed = window_end is None or as_of > window_end
            # final_at: the instant the verdict became final; reached: it became final because
            # a count was reached (then an `unless` at that same instant is too late)
            final_at, reached = None, False
            if hi is not None and len(counted) > hi:
                verdict, final_at, reached = "breached", counted[hi], True
            elif lo is not None and hi is None and len(counted) >= lo:
                verdict, final_at, reached = "met", counted[lo - 1], True
            elif closed:
                ok = (lo is None or len(counted) >= lo) and (hi is None or len(counted) <= hi)
                verdict, final_at = ("met" if ok else "breached"), limit
            else:
                verdict = "open"
            # exempt: an `unless` event at or after the start, before the verdict was final
            if final_at is None:
                exempt = bool(unless)
            elif reached:
                exempt = any(u < final_at for u in unless)
            else:
                exempt = any(u <= final_at for u in unless)
            if exempt:
                verdict = "excluded"
            yield dict(base, start=start, stop=final_at if verdict in ("met", "breached") else None,
                       deadline=window_end, verdict=verdict, value=None, count=len(counted),
                       reason="unless" if exempt else None)

        else:  # deadline
            to = set(as_list(std["to"]))
            froms = set(as_list(std.get("from", [])))
            if froms:
                start = next((t for t, n, _ in evs if n in froms), None)
            else:
                start = evs[0][0] if evs else None
            if start is None or not in_period(start, period):
                continue
            stop = first_at_or_after(evs, to, start)
            if layout == "cases":
                deadline = case.deadlines.get(std["by"])
                if deadline is None:
                    yield dict(base, start=start, stop=stop, deadline=None, verdict="excluded",
                               value=None, reason="no deadline")
                    continue
            else:
                deadline = first_at_or_after(evs, {std["by"]}, start)
                if deadline is None:
                    yield dict(base, start=start, stop=stop, deadline=None,
                               verdict="met" if stop is not None else "open", value=None)
                    continue
            if stop is not None:
                verdict = "met" if stop <= deadline else "breached"
            else:
                verdict = "breached" if as_of > deadline else "open"
            yield dict(base, start=start, stop=stop, deadline=deadline, verdict=verdict,
                       value=None if stop is None else stop - deadline)


def nearest_rank(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[math.ceil(q * len(sorted_values)) - 1]


def percent_of(v):
    """95, 99.5, "95%" or "95" as a float."""
    if isinstance(v, str):
        v = v.strip().removesuffix("%").strip()
    return float(v)


def target_range(std):
    """(low, high): a plain target is (target, None); [30, 50] and "30%..50%" are ranges."""
    t = std.get("target", 100)
    if isinstance(t, list):
        low, high = t
        return percent_of(low), percent_of(high)
    if isinstance(t, str) and ".." in t:
        low, high = t.split("..")
        return percent_of(low), percent_of(high)
    return percent_of(t), None


def judge_target(met, decided, low, high):
    """(passed, variance): inside [low, high] passes; the variance is the signed distance to
    the range (0 inside), or compliance - target without a high end. The high end is judged
    on the exact share (3 of 5 is 60%, not the float 60.00000000000001)."""
    if decided == 0:
        return None, None
    compliance = met / decided * 100
    if high is None:
        return compliance >= low, compliance - low
    if compliance < low:
        return False, compliance - low
    if Fraction(met * 100, decided) > Fraction(high):
        return False, compliance - high
    return True, 0.0


def summarize(std, records):
    met = sum(r["verdict"] == "met" for r in records)
    breached = sum(r["verdict"] == "breached" for r in records)
    open_ = sum(r["verdict"] == "open" for r in records)
    excluded = sum(r["verdict"] == "excluded" for r in records)
    values = sorted(r["value"] for r in records
                    if r["verdict"] in ("met", "breached") and r["value"] is not None)
    compliance = None if met + breached == 0 else met / (met + breached) * 100
    target, target_max = target_range(std)
    passed, variance = judge_target(met, met + breached, target, target_max)
    within = std.get("within")
    limit = parse_within(within) if within else None
    extra = {}
    if kind_of(std) == "value":
        numbers = sorted(r["number"] for r in records
                         if r["verdict"] in ("met", "breached"))
        extra = {"value_at_least": std.get("at_least"), "value_at_most": std.get("at_most"),
                 "median_value": nearest_rank(numbers, 0.5),
                 "p90_value": nearest_rank(numbers, 0.9),
                 "max_value": numbers[-1] if numbers else None,
                 "no_value": sum(r.get("reason") in ("no value", "not a number")
                                 for r in records)}
    return {
        "id": std["id"], "title": std.get("title"), "level": std.get("level", "operational"),
        "source": std["source"], "kind": kind_of(std),
        "cases": met + breached + open_, "met": met, "breached": breached, "open": open_,
        "excluded": excluded,
        "compliance": compliance, "target": target, "target_max": target_max,
        "passed": passed, "compliance_variance": variance,
        # A repeat rate's `within` is its look-back, not a limit that a case is measured against.
        "limit_s": limit if isinstance(limit, int) and kind_of(std) != "repeat" else None,
        "median_s": nearest_rank(values, 0.5), "p90_s": nearest_rank(values, 0.9),
        "max_s": values[-1] if values else None,
    } | extra


# ---------------------------------------------------------------------------- versions

def local_midnight(day, tz):
    """The instant a date starts in `tz`: local 00:00, or when a clock change skips that
    midnight, the change itself (the first instant whose local time is past it)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day.strip())
    naive = dt.datetime(day.year, day.month, day.day)
    t = int(naive.replace(tzinfo=tz).timestamp())
    if dt.datetime.fromtimestamp(t, tz).replace(tzinfo=None) == naive:
        return t
    lo, hi = t - 16 * 3600, t + 16 * 3600      # local time rises across the change
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def dated(std):
    return "effective_from" in std or "effective_until" in std


def window(std, tz):
    """(since, until) of a version: [effective_from, effective_until) at local midnights."""
    f, u = std.get("effective_from"), std.get("effective_until")
    return (None if f is None else local_midnight(f, tz),
            None if u is None else local_midnight(u, tz))


def intersect(a, b):
    """Two (since, until) periods cut to each other (None = open); None when empty."""
    if b is None:
        return a
    since = max([x for x in (a[0], b[0]) if x is not None], default=None)
    until = min([x for x in (a[1], b[1]) if x is not None], default=None)
    if since is not None and until is not None and since >= until:
        return None
    return since, until


def versioned_records(versions, cases, layout, as_of, period, file_tz):
    """The records of a standard with versions: each case judged by the version in force when
    its clock starts; a clock starting when none is, found by the next version (the one before,
    after the last), excluded with reason 'no version in force'. Each record says which version
    (index) judged it."""
    out = []
    windows = [window(v, file_tz) for v in versions]
    for k, v in enumerate(versions):
        w = intersect(windows[k], period)
        if w is not None:
            for r in evaluate(v, cases, layout, as_of, w, file_tz):
                out.append(dict(r, version=k))
    # the spans no version covers, each with a neighbouring version to find its clocks
    gaps = []
    if windows[0][0] is not None:
        gaps.append(((None, windows[0][0]), 0))
    for k in range(1, len(windows)):
        if windows[k - 1][1] < windows[k][0]:
            gaps.append(((windows[k - 1][1], windows[k][0]), k))
    if windows[-1][1] is not None:
        gaps.append(((windows[-1][1], None), len(windows) - 1))
    for g, k in gaps:
        w = intersect(g, period)
        if w is not None:
            for r in evaluate(versions[k], cases, layout, as_of, w, file_tz):
                out.append(dict(r, stop=None, deadline=None, value=None, count=None,
                                verdict="excluded", reason="no version in force", version=None))
    return out


def shown_version(versions, end, file_tz):
    """The version a report shows for a period ending at `end`: in force then, else the last
    one that started before it, else the first."""
    started = [k for k, v in enumerate(versions)
               if window(v, file_tz)[0] is None or window(v, file_tz)[0] <= end]
    return started[-1] if started else 0


def versions_json(versions, records, shown, file_tz, standards_file):
    out = []
    for k, v in enumerate(versions):
        mine = [r for r in records if r.get("version") == k]
        count = lambda verdict: sum(r["verdict"] == verdict for r in mine)
        within = v.get("within")
        limit = parse_within(within) if within else None
        low, high = target_range(v)
        f, u = v.get("effective_from"), v.get("effective_until")
        out.append({
            "effective_from": None if f is None else str(f),
            "effective_until": None if u is None else str(u),
            "title": v.get("title"), "target": low, "target_max": high,
            "limit_s": limit if isinstance(limit, int) else None,
            "file": standards_file, "line": v["_line"],
            "cases": count("met") + count("breached") + count("open"),
            "met": count("met"), "breached": count("breached"), "open": count("open"),
            "shown": k == shown,
        })
    return out


def version_label(versions, k):
    """'FROM..UNTIL' of the version that judged a case (an open end empty); '' for none."""
    if not versions or k is None:
        return ""
    v = versions[k]
    return f"{v.get('effective_from') or ''}..{v.get('effective_until') or ''}"


def id_lines(path):
    """The line of each [[standard]] table's `id`, in file order (tomllib gives no lines)."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if re.match(r"^\s*id\s*=", line):
                lines.append(n)
    return lines


# ---------------------------------------------------------------------------- main

def parse_period(args, file_tz):
    def local_point(text):
        if DATE_ONLY.match(text):
            return parse_time(text, file_tz)
        return parse_time(text, file_tz)
    if args.week:
        m = re.match(r"^(\d{4})-W(\d{2})$", args.week)
        if not m:
            raise SystemExit("--week wants YYYY-Www")
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        nxt = monday + dt.timedelta(days=7)
        since = epoch(dt.datetime(monday.year, monday.month, monday.day, tzinfo=file_tz))
        until = epoch(dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=file_tz))
        return since, until
    if args.since or args.until:
        return (local_point(args.since) if args.since else None,
                local_point(args.until) if args.until else None)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("standards")
    ap.add_argument("--log", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--week")
    ap.add_argument("--since")
    ap.add_argument("--until")
    ap.add_argument("--as-of")
    ap.add_argument("--by", help="one attribute column to group by")
    ap.add_argument("--cases-csv", help="also write one line per case and standard to this file")
    args = ap.parse_args()

    with open(args.standards, "rb") as f:
        conf = tomllib.load(f)
    base = os.path.dirname(args.standards)
    file_tz = ZoneInfo(conf.get("timezone", "UTC"))
    logs = {}
    for spec in args.log:
        name, _, path = spec.partition("=")
        logs[name] = path

    period = parse_period(args, file_tz)
    out = {"reference": "tests/reference/reference.py", "standards_file": os.path.basename(args.standards),
           "period": None if period is None else {"since": iso(period[0]), "until": iso(period[1])},
           "as_of": {}, "standards": [], "inputs": []}
    case_rows = []
    stds = conf.get("standard", [])
    # `source` may be left out when the file has one source.
    if len(conf.get("sources", {})) == 1:
        for s in stds:
            s.setdefault("source", next(iter(conf["sources"])))
    # The file's calendars, for every evaluation (versions included).
    CALENDARS.clear()
    CALENDARS.update(conf.get("calendars", {}))
    for s, line in zip(stds, id_lines(args.standards)):
        s["_line"] = line
    # Tables with dates that share an id are versions of one standard: kept under the first,
    # in date order (an open start first).
    by_id = {}
    for s in stds:
        by_id.setdefault(s["id"], []).append(s)
    for vs in by_id.values():
        if any(dated(v) for v in vs):
            vs.sort(key=lambda v: window(v, file_tz)[0] if window(v, file_tz)[0] is not None
                    else -2**62)
    stds = [vs[0] for vs in by_id.values()]
    # a file with versions: the cases CSV says which version judged each case
    has_versions = any(dated(s) for s in stds)
    for name, src in conf.get("sources", {}).items():
        path = logs.get(name) or os.path.join(base, src["path"])
        my = [s for s in stds if s["source"] == name]
        # every version of a standard with versions reads its numbers
        every = [v for s in my for v in (by_id[s["id"]] if dated(s) else [s])]
        cases, report = read_source(name, src, path, file_tz, value_specs(every))
        report["path"] = os.path.relpath(path, base) if name not in logs else path
        out["inputs"].append(report)
        my = [s for s in stds if s["source"] == name]
        # milestones the source declares as deadlines (promised times) do not move the
        # default as_of; every other milestone and event does, whatever the standards read
        by_only = set(src.get("deadlines", [])) if src.get("layout") == "cases" else set()
        if args.as_of:
            as_of = parse_time(args.as_of, file_tz)
        elif period is not None and period[1] is not None:
            as_of = period[1]
        else:
            as_of = max((t for c in cases.values() for t, n, _ in c.events if n not in by_only),
                        default=0)
        out["as_of"][name] = iso(as_of)
        for s in my:
            versions = by_id[s["id"]] if dated(s) else None
            if versions:
                recs = versioned_records(versions, cases, src.get("layout", "events"), as_of,
                                         period, file_tz)
                # shown: the version in force at the end of the period (its last second), or at
                # the as-of when that is earlier (without --until: the as-of)
                end = as_of if period is None or period[1] is None else min(period[1] - 1, as_of)
                shown = shown_version(versions, end, file_tz)
            else:
                recs = list(evaluate(s, cases, src.get("layout", "events"), as_of, period, file_tz))

            def row_of(records):
                if not versions:
                    return summarize(s, records)
                row = summarize(versions[shown], records)
                row["versions"] = versions_json(versions, records, shown, file_tz,
                                                os.path.basename(args.standards))
                return row
            if args.by:
                groups = {}
                for r in recs:
                    groups.setdefault(r["attrs"].get(args.by, ""), []).append(r)
                for g in sorted(groups):
                    row = row_of(groups[g])
                    row["group"] = {args.by: g}
                    out["standards"].append(row)
            else:
                out["standards"].append(row_of(recs))
            for r in recs:
                case_rows.append([s["id"], r["case"], iso(r["start"]), iso(r.get("stop")),
                                  iso(r.get("deadline")), r["verdict"],
                                  "" if r.get("value") is None else r["value"],
                                  "" if r.get("count") is None else r["count"],
                                  r.get("reason") or "",
                                  "" if r.get("number") is None else repr(r["number"])]
                                 + ([] if not has_versions else
                                    [version_label(versions, r.get("version"))]))
    if args.cases_csv:
        with open(args.cases_csv, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            header = ["standard", "case", "start", "stop", "deadline", "verdict", "value_s",
                      "count", "reason", "number"] + (["version"] if has_versions else [])
            # The number column (value standards) only where there is one, so that the
            # files of the other kinds stay as they were.
            if not any(r[9] != "" for r in case_rows):
                header.pop(9)
                case_rows = [r[:9] + r[10:] for r in case_rows]
            w.writerow(header)
            w.writerows(case_rows)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
