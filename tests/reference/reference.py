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


def iso(t):
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_within(text):
    """'45s', '10m', '4h', '1h30m', '2d' -> seconds; 'same day' -> the string 'same day'."""
    text = text.strip()
    if text == "same day":
        return "same day"
    m = DURATION.match(text)
    if not text or not m:
        raise SystemExit(f"bad duration {text!r}")
    d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


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
    only deadlines). `values`: the (column, on) of the source's value standards, whose
    cells must be numbers where they are read (else the row is skipped)."""
    tz = ZoneInfo(src.get("timezone")) if src.get("timezone") else file_tz
    fmt = src.get("time_format")
    layout = src.get("layout", "events")
    case_col = src["case"]
    cases = {}
    rows = used = 0
    reasons = {}
    bad_lines = []
    seq = 0

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
                # a value is read on every row, or with `on` on the rows of those events
                if any(rec.get(col, "").strip() and not NUMBER.match(rec.get(col, "").strip())
                       for col, on in values if on is None or ev in on):
                    skip("unparseable number", line)
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
                if not ok:
                    skip("unparseable timestamp", line)
                    continue
                if any(rec.get(col, "").strip() and not NUMBER.match(rec.get(col, "").strip())
                       for col, _ in values):
                    skip("unparseable number", line)
                    continue
                c = cases.setdefault(cid, Case(cid))
                for t, ms in parsed:
                    c.events.append((t, ms, seq))
                    seq += 1
                c.deadlines.update(deadlines)
                mcols = set(milestones.values())
                for col, val in rec.items():
                    if col != case_col and col not in mcols and val.strip():
                        c.attrs[col] = val.strip()
                used += 1
    for c in cases.values():
        c.events.sort(key=lambda e: (e[0], e[2]))
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


def evaluate(std, cases, layout, as_of, period, file_tz):
    """Yield one record per case of this standard (excluded ones included, verdict 'excluded')."""
    kind = kind_of(std)
    where = std.get("where", {})
    within = parse_within(std["within"]) if "within" in std else None
    if std.get("calendar", "always") != "always":
        raise SystemExit("reference.py supports only the 'always' calendar")
    cal_tz = file_tz

    def deadline_from(start):
        if within == "same day":
            return end_of_local_day(start, cal_tz)
        return start + within

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
                cell = case.attrs.get(col, "")
            if not in_period(start, period):
                continue
            number = float(cell) if cell else None
            lo, hi = std.get("at_least"), std.get("at_most")
            if number is None:
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
                           verdict=verdict, value=None if stop is None else stop - start)

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
                 "no_value": sum(r.get("reason") == "no value" for r in records)}
    return {
        "id": std["id"], "title": std.get("title"), "level": std.get("level", "operational"),
        "source": std["source"], "kind": kind_of(std),
        "cases": met + breached + open_, "met": met, "breached": breached, "open": open_,
        "excluded": excluded,
        "compliance": compliance, "target": target, "target_max": target_max,
        "passed": passed, "compliance_variance": variance,
        "limit_s": limit if isinstance(limit, int) else None,
        "median_s": nearest_rank(values, 0.5), "p90_s": nearest_rank(values, 0.9),
        "max_s": values[-1] if values else None,
    } | extra


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
    for name, src in conf.get("sources", {}).items():
        path = logs.get(name) or os.path.join(base, src["path"])
        my = [s for s in stds if s["source"] == name]
        cases, report = read_source(name, src, path, file_tz, value_specs(my))
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
            recs = list(evaluate(s, cases, src.get("layout", "events"), as_of, period, file_tz))
            if args.by:
                groups = {}
                for r in recs:
                    groups.setdefault(r["attrs"].get(args.by, ""), []).append(r)
                for g in sorted(groups):
                    row = summarize(s, groups[g])
                    row["group"] = {args.by: g}
                    out["standards"].append(row)
            else:
                out["standards"].append(summarize(s, recs))
            for r in recs:
                case_rows.append([s["id"], r["case"], iso(r["start"]), iso(r.get("stop")),
                                  iso(r.get("deadline")), r["verdict"],
                                  "" if r.get("value") is None else r["value"],
                                  "" if r.get("count") is None else r["count"],
                                  r.get("reason") or "",
                                  "" if r.get("number") is None else repr(r["number"])])
    if args.cases_csv:
        with open(args.cases_csv, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            header = ["standard", "case", "start", "stop", "deadline", "verdict", "value_s",
                      "count", "reason", "number"]
            # The number column (value standards) only where there is one, so that the
            # files of the other kinds stay as they were.
            if not any(r[-1] != "" for r in case_rows):
                header.pop()
                case_rows = [r[:-1] for r in case_rows]
            w.writerow(header)
            w.writerows(case_rows)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
