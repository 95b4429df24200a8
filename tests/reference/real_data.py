#!/usr/bin/env python3
"""Independent numbers for the standards in standards/examples/ on the real exports in
../shared/data/ (plain Python, standard library only). tests/integration/cli_real_data.rs asserts the
numbers this prints; run it to re-derive them:

    python3 tests/reference/real_data.py [DATA_DIR]

Each section restates one standard's rule in the simplest code that can compute it, written
from the standards file's comments and the data set's SOURCE.md, not from yardstick's source.
"""
import csv
import datetime as dt
import io
import math
import re
import sys
from collections import defaultdict
from zoneinfo import ZoneInfo

DATA = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"


def nearest_rank(values, q):
    v = sorted(values)
    if not v:
        return None
    return v[max(1, math.ceil(q * len(v))) - 1]


def summary(name, met, breached, open_, values):
    decided = met + breached
    comp = met / decided * 100 if decided else None
    print(f"{name}: cases={met + breached + open_} met={met} breached={breached} open={open_} "
          f"compliance={comp} median={nearest_rank(values, 0.5)} p90={nearest_rank(values, 0.9)} "
          f"max={max(values) if values else None}")


def read_csv(path, lf_only=False):
    text = open(path, encoding="utf-8", newline="").read()
    if text.startswith("\ufeff"):
        text = text[1:]
    if lf_only:
        # yardstick ends records at LF only: a bare CR inside an unquoted cell is data.
        text = re.sub(r"\r(?!\n)", " ", text)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for i, r in enumerate(rows):
        r["_line"] = i
    return rows


def twitter():
    rows = read_csv(f"{DATA}/twcs-head/twcs.csv", lf_only=True)
    norm = lambda s: s[:-2] if s.endswith(".0") else s
    t = {}
    for r in rows:
        t[r["tweet_id"]] = dt.datetime.strptime(r["created_at"], "%a %b %d %H:%M:%S %z %Y").timestamp()
    as_of = max(t.values())
    replies = defaultdict(list)  # customer tweet -> company reply times
    for r in rows:
        if r["inbound"] == "False" and r["in_response_to_tweet_id"]:
            replies[norm(r["in_response_to_tweet_id"])].append(t[r["tweet_id"]])
    met = breached = open_ = 0
    values = []
    for r in rows:
        if r["inbound"] != "True":
            continue
        start = t[r["tweet_id"]]
        later = [x for x in replies.get(r["tweet_id"], []) if x >= start]
        if later:
            v = int(min(later) - start)
            values.append(v)
            if v <= 3600:
                met += 1
            else:
                breached += 1
        elif as_of > start + 3600:
            breached += 1
        else:
            open_ += 1
    summary("twitter reply-within-1h", met, breached, open_, values)
    # --by author_id with attributes_from = "agent_reply": a thread's company is the author of
    # its first company tweet (time order); a thread is a tweet answering nothing in the file
    # with every reply to it, transitively.
    parent = {r["tweet_id"]: norm(r["in_response_to_tweet_id"]) for r in rows}

    def root(i):
        seen = set()
        while parent.get(i) and parent[i] in t and i not in seen:
            seen.add(i)
            i = parent[i]
        return i

    threads = defaultdict(list)
    for r in rows:
        threads[root(r["tweet_id"])].append(r)
    company = {}
    for members in threads.values():
        members.sort(key=lambda r: t[r["tweet_id"]])
        c = next((r["author_id"] for r in members if r["inbound"] == "False"), "")
        for r in members:
            company[r["tweet_id"]] = c
    m = b = 0
    for r in rows:
        if r["inbound"] != "True" or company[r["tweet_id"]] != "AppleSupport":
            continue
        start = t[r["tweet_id"]]
        later = [x for x in replies.get(r["tweet_id"], []) if x >= start]
        if later:
            m, b = (m + 1, b) if min(later) - start <= 3600 else (m, b + 1)
        elif as_of > start + 3600:
            b += 1
    print(f"twitter reply-within-1h AppleSupport: met={m} breached={b}")


def olist():
    tz = ZoneInfo("America/Sao_Paulo")
    rows = read_csv(f"{DATA}/olist/olist_orders_dataset.csv")
    ts = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).timestamp() if s else None
    as_of = max(ts(r[c]) for r in rows for c in ("order_purchase_timestamp", "order_approved_at",
                "order_delivered_carrier_date", "order_delivered_customer_date") if r[c])
    # payment approved within 24 hours of purchase
    met = breached = open_ = 0
    values = []
    for r in rows:
        start, stop = ts(r["order_purchase_timestamp"]), ts(r["order_approved_at"])
        if stop is not None and stop >= start:
            v = int(stop - start)
            values.append(v)
            met, breached = (met + 1, breached) if v <= 86400 else (met, breached + 1)
        elif as_of > start + 86400:
            breached += 1
        else:
            open_ += 1
    summary("olist approved-within-24h", met, breached, open_, values)
    # delivered by the estimated date (end of that day)
    met = breached = open_ = 0
    values = []
    for r in rows:
        due_day = dt.datetime.strptime(r["order_estimated_delivery_date"], "%Y-%m-%d %H:%M:%S").date()
        due = dt.datetime.combine(due_day + dt.timedelta(days=1), dt.time(), tzinfo=tz).timestamp() - 1
        stop = ts(r["order_delivered_customer_date"])
        if stop is not None:
            values.append(int(stop - due))
            met, breached = (met + 1, breached) if stop <= due else (met, breached + 1)
        elif as_of > due:
            breached += 1
        else:
            open_ += 1
    summary("olist delivered-by-estimate", met, breached, open_, values)
    # the same with the estimate read as the midnight that starts its day (`time_columns`),
    # and how many orders came on the promised day itself
    met = breached = open_ = on_the_day = 0
    for r in rows:
        due_day = dt.datetime.strptime(r["order_estimated_delivery_date"], "%Y-%m-%d %H:%M:%S").date()
        due = dt.datetime.combine(due_day, dt.time(), tzinfo=tz).timestamp()
        stop = ts(r["order_delivered_customer_date"])
        if stop is not None:
            met, breached = (met + 1, breached) if stop <= due else (met, breached + 1)
            on_the_day += due < stop < due + 86400
        elif as_of > due:
            breached += 1
        else:
            open_ += 1
    print(f"olist delivered-by-estimate at midnight: met={met} breached={breached} open={open_}"
          f" delivered on the promised day={on_the_day}")
    # handed to the carrier within 2 business days of approval: before the 18:00 close of the
    # 2nd working day (Mon-Fri 08:00-18:00, fixed national holidays) after the approval's day;
    # an approval after 18:00 or on a closed day counts from the next working day.
    holidays = {(1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (12, 25)}
    open_day = lambda d: d.weekday() < 5 and (d.month, d.day) not in holidays
    local = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S")
    met = breached = open_ = 0
    for r in rows:
        if not r["order_approved_at"]:
            continue
        a = local(r["order_approved_at"])
        day = a.date()
        if not open_day(day) or a.time() >= dt.time(18):
            day += dt.timedelta(days=1)
            while not open_day(day):
                day += dt.timedelta(days=1)
        for _ in range(2):
            day += dt.timedelta(days=1)
            while not open_day(day):
                day += dt.timedelta(days=1)
        close = dt.datetime.combine(day, dt.time(18)).replace(tzinfo=tz).timestamp()
        start = a.replace(tzinfo=tz).timestamp()
        stop = ts(r["order_delivered_carrier_date"])
        stop = stop if stop is not None and stop >= start else None
        if stop is not None:
            met, breached = (met + 1, breached) if stop < close else (met, breached + 1)
        elif as_of > close - 1:
            breached += 1
        else:
            open_ += 1
    summary("olist to-carrier-2-business-days", met, breached, open_, [])
    # survey answered within 2 days of the day it was sent (a review id on two rows is one
    # case: its first sending and the first answer at or after it)
    reviews = read_csv(f"{DATA}/olist/olist_order_reviews_dataset.csv")
    sent, answered = defaultdict(list), defaultdict(list)
    for r in reviews:
        d = dt.datetime.strptime(r["review_creation_date"][:10], "%Y-%m-%d").replace(tzinfo=tz)
        sent[r["review_id"]].append(d.timestamp())
        if r["review_answer_timestamp"]:
            answered[r["review_id"]].append(ts(r["review_answer_timestamp"]))
    r_as_of = max(max(v) for v in answered.values())
    met = breached = open_ = 0
    values = []
    for rid, starts in sent.items():
        start = min(starts)
        later = [x for x in answered[rid] if x >= start]
        if later:
            v = int(min(later) - start)
            values.append(v)
            met, breached = (met + 1, breached) if v <= 172800 else (met, breached + 1)
        elif r_as_of > start + 172800:
            breached += 1
        else:
            open_ += 1
    summary("olist survey-answered-2d", met, breached, open_, values)


def nyc311_2013():
    tz = ZoneInfo("America/New_York")
    rows = read_csv(f"{DATA}/nyc311-2013-christmas/311_Service_Requests_from_2010_to_Present.csv")
    ts = lambda s: dt.datetime.strptime(s, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=tz).timestamp() if s else None
    as_of = max(ts(r[c]) for r in rows for c in ("Created Date", "Closed Date") if r[c])
    met = breached = open_ = 0
    values = []
    for r in rows:
        due = ts(r["Due Date"])
        if due is None:
            continue  # no deadline: not scored
        start, stop = ts(r["Created Date"]), ts(r["Closed Date"])
        stop = stop if stop is not None and stop >= start else None
        if stop is not None:
            values.append(int(stop - due))
            met, breached = (met + 1, breached) if stop <= due else (met, breached + 1)
        elif as_of > due:
            breached += 1
        else:
            open_ += 1
    summary("nyc311-2013 closed-by-due-date", met, breached, open_, values)


def elapsed_cases(name, rows, start_col, stop_col, parse, limit, keep=lambda r: True):
    """from start_col to the first stop at or after it, within `limit` seconds; as-of is the
    latest time in the two columns of the whole file."""
    as_of = max(parse(r[c]) for r in rows for c in (start_col, stop_col) if r[c])
    met = breached = open_ = 0
    values = []
    for r in rows:
        if not keep(r) or not r[start_col]:
            continue
        start, stop = parse(r[start_col]), parse(r[stop_col]) if r[stop_col] else None
        if stop is not None and stop >= start:
            v = int(stop - start)
            values.append(v)
            met, breached = (met + 1, breached) if v <= limit else (met, breached + 1)
        elif as_of > start + limit:
            breached += 1
        else:
            open_ += 1
    summary(name, met, breached, open_, values)


def nyc311_elapsed():
    tz = ZoneInfo("America/New_York")
    web = lambda s: dt.datetime.strptime(s, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=tz).timestamp()
    api = lambda s: dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=tz).timestamp()
    noise = lambda r: r["Complaint Type"] in ("Noise - Residential", "Noise - Street/Sidewalk",
                                              "Noise - Commercial", "Noise - Vehicle", "Noise - Park")
    for year, folder in (("2013", "nyc311-2013-christmas"), ("2022", "nyc311-2022-may")):
        rows = read_csv(f"{DATA}/{folder}/311_Service_Requests_from_2010_to_Present.csv")
        # as-of: the latest milestone of the file (Created, Closed, Due)
        elapsed_cases(f"nyc311-{year} noise-closed-8h", rows, "Created Date", "Closed Date", web, 8 * 3600, noise)
    rows = read_csv(f"{DATA}/nyc311-2024-api/311_Service_Requests.csv")
    elapsed_cases("nyc311-2024 api-closed-7d", rows, "created_date", "closed_date", api, 7 * 86400)


def event_log(path, case, time, event, parse):
    """case -> [(t, event, row)] in time order (stable: file order among equal times)."""
    rows = read_csv(path)
    cases = defaultdict(list)
    for r in rows:
        cases[r[case]].append((parse(r[time]), r[event], r))
    for v in cases.values():
        v.sort(key=lambda e: e[0])
    return cases, max(e[0] for v in cases.values() for e in v)


def first_at(events, names, start):
    return next((t for t, e, _ in events if e in names and t >= start), None)


def elapsed_events(name, cases, as_of, frm, to, limit, keep=lambda evs: True, pause=(), resume=()):
    met = breached = open_ = 0
    values = []
    for evs in cases.values():
        if not keep(evs):
            continue
        start = first_at(evs, frm, -math.inf)
        if start is None:
            continue
        stop = first_at(evs, to, start)
        # pause intervals from a pause event to the next resume event, from the start on
        pauses, since = [], None
        for t, e, _ in evs:
            if t < start:
                continue
            if since is None and e in pause:
                since = t
            elif since is not None and e in resume:
                pauses.append((since, t))
                since = None
        if since is not None:
            pauses.append((since, math.inf))
        end = stop if stop is not None else as_of
        paused = sum(max(0, min(q, end) - max(p, start)) for p, q in pauses)
        v = int(end - start - paused)
        if stop is not None:
            values.append(v)
            met, breached = (met + 1, breached) if v <= limit else (met, breached + 1)
        elif v > limit:
            breached += 1
        else:
            open_ += 1
    summary(name, met, breached, open_, values)


def servicenow():
    parse = lambda s: dt.datetime.strptime(s, "%d/%m/%Y %H:%M").replace(tzinfo=dt.timezone.utc).timestamp()
    cases, as_of = event_log(f"{DATA}/servicenow-incident-log/incident_event_log.csv",
                             "number", "sys_updated_at", "incident_state", parse)
    taken_up = {"Active", "Awaiting User Info", "Awaiting Problem", "Resolved", "Closed"}
    elapsed_events("servicenow acknowledged-1h", cases, as_of, {"New"}, taken_up, 3600)
    elapsed_events("servicenow resolved-8h-excluding-waits", cases, as_of, {"New"}, {"Resolved"},
                   8 * 3600, pause={"Awaiting User Info", "Awaiting Problem"}, resume={"Active"})
    # made_sla as the case's attribute: its latest non-empty value in file order
    elapsed_events("servicenow sla-made-resolved-24h", cases, as_of, {"New"}, {"Resolved"}, 86400,
                   keep=lambda evs: evs_last_file_order(evs)["made_sla"].lower() == "true")


def evs_last_file_order(evs):
    return max((r for _, _, r in evs), key=lambda r: r["_line"])


def volvo():
    parse = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    cases, as_of = event_log(f"{DATA}/bpic2013-volvo-incidents/bpi_13_incidents.csv",
                             "CaseID", "CompleteTimestamp", "ActivityID", parse)
    elapsed_events("volvo second-status-1d", cases, as_of, {"1"}, {"2"}, 86400)


def helpdesk():
    tz = ZoneInfo("Europe/Rome")
    parse = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).timestamp()
    cases, as_of = event_log(f"{DATA}/helpdesk-italian/helpdesk.csv",
                             "CaseID", "CompleteTimestamp", "ActivityID", parse)
    holidays = {(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)}
    open_day = lambda d: d.weekday() < 5 and (d.month, d.day) not in holidays
    met = breached = open_ = 0
    for evs in cases.values():
        start = first_at(evs, {"1"}, -math.inf)
        if start is None:
            continue
        a = dt.datetime.fromtimestamp(start, tz)
        day = a.date()
        if not open_day(day) or a.time() >= dt.time(18):
            day += dt.timedelta(days=1)
            while not open_day(day):
                day += dt.timedelta(days=1)
        for _ in range(5):
            day += dt.timedelta(days=1)
            while not open_day(day):
                day += dt.timedelta(days=1)
        close = dt.datetime.combine(day, dt.time(18), tzinfo=tz).timestamp()
        stop = first_at(evs, {"6"}, start)
        if stop is not None:
            met, breached = (met + 1, breached) if stop < close else (met, breached + 1)
        elif as_of > close - 1:
            breached += 1
        else:
            open_ += 1
    summary("helpdesk closed-5-business-days", met, breached, open_, [])


def kaggle():
    rows = read_csv(f"{DATA}/kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv")
    parse = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    as_of = max(parse(r[c]) for r in rows for c in ("First Response Time", "Time to Resolution") if r[c])
    for name, limit, keep in (("resolved-24h", 86400, lambda r: True),
                              ("critical-resolved-4h", 4 * 3600, lambda r: r["Ticket Priority"] == "Critical")):
        met = breached = open_ = early = 0
        values = []
        for r in rows:
            if not keep(r) or not r["First Response Time"]:
                continue
            start = parse(r["First Response Time"])
            stop = parse(r["Time to Resolution"]) if r["Time to Resolution"] else None
            if stop is not None and stop < start:
                early += 1
                stop = None
            if stop is not None:
                v = int(stop - start)
                values.append(v)
                met, breached = (met + 1, breached) if v <= limit else (met, breached + 1)
            elif as_of > start + limit:
                breached += 1
            else:
                open_ += 1
        summary(f"kaggle {name} (resolved before the first response: {early})", met, breached, open_, values)


if __name__ == "__main__":
    twitter()
    olist()
    nyc311_2013()
    nyc311_elapsed()
    servicenow()
    volvo()
    helpdesk()
    kaggle()
