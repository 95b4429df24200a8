//! One self-contained HTML page for people: the summary table, what falls short in words, and
//! inline SVG charts (compliance against target, the distribution of measured times with the
//! limit marked, weekly compliance when the period spans several weeks). No network, no
//! JavaScript, no time of the run: the same report gives the same bytes.

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, Weekday};

use super::escape::html as esc;
use super::{
    compliance, group_text, level_short, median, p90, percent, shortfalls, status, target, variance,
};
use crate::ingest::InputStats;
use crate::report::{Every, Histogram, PeriodPoint, Report, Row, TrendReport, TrendRow};
use crate::time::duration::human;

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#fff;margin:0}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:1.05em;margin:20px 0 6px}
p.meta{color:#57606a;margin:0 0 16px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}.nodata{background:#6e7781}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85em;width:100%}
th,td{padding:4px 6px;border-bottom:1px solid #d0d7de;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.title,td.group{white-space:normal;min-width:8em;max-width:18em}
tr.total td{font-weight:600;background:#f6f8fa}
td.status{font-weight:600}td.status.PASS{color:#1a7f37}td.status.FAIL{color:#cf222e}
ul.short li{margin:4px 0}
svg{display:block;width:100%;height:auto;max-width:100%}
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#1f2328}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure{margin:0}figcaption{color:#57606a;font-size:.85em;margin-top:4px}
rect.gap{fill:#eaeef2}
figure.groups{max-width:820px}
";

/// `trend --format html`: the trend table, then per standard its compliance per period as a
/// line with 95% intervals, the running period hollow, and the inputs.
pub fn trend(report: &TrendReport, w: &mut dyn Write) -> io::Result<()> {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    h.push_str("<title>yardstick trend</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<main>\n<h1>yardstick trend</h1>\n");
    let every = match report.every {
        Every::Week => "ISO week",
        Every::Month => "month",
    };
    let mut zones: Vec<&str> = report.trend.iter().map(|r| r.timezone.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>",
        esc(&format!(
            "compliance per {every} of clock start · judged as of {} · periods in {} time",
            report.as_of,
            zones.join(", ")
        ))
    );
    h.push_str("<h2>Trend</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Standard</th><th>Period</th><th class=\"num\">Compliance</th><th class=\"num\">Target</th><th class=\"num\">Change (pts)</th><th class=\"num\">Met</th><th class=\"num\">Breached</th><th class=\"num\">Open</th><th class=\"num\">Error budget used</th></tr></thead>\n<tbody>\n");
    for r in &report.trend {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.id),
            esc(&if r.partial {
                format!("{} (partial)", r.period)
            } else {
                r.period.clone()
            }),
            r.compliance.map_or_else(|| "no data".to_string(), percent),
            esc(&super::target_text(r.target, r.target_max)),
            esc(&super::change(r)),
            r.met,
            r.breached,
            r.open,
            esc(&super::budget(r)),
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
    // Each standard's rows are consecutive, in period order; their charts side by side.
    h.push_str("<h2>Compliance per period</h2>\n<div class=\"charts\">\n");
    let mut rows: &[TrendRow] = &report.trend;
    while let Some(first) = rows.first() {
        let n = rows.iter().take_while(|r| r.id == first.id).count();
        let (mine, rest) = rows.split_at(n);
        rows = rest;
        let _ = writeln!(
            h,
            "<section class=\"standard\" id=\"{}\">\n<h3>{}</h3>\n<p class=\"meta\">{}</p>",
            esc(&first.id),
            esc(&first.id),
            esc(first.title.as_deref().unwrap_or(""))
        );
        let points: Vec<PeriodPoint> = mine
            .iter()
            .map(|r| PeriodPoint {
                period: r.period.clone(),
                cases: r.cases,
                met: r.met,
                breached: r.breached,
                open: r.open,
                compliance: r.compliance,
            })
            .collect();
        let series = Series {
            id: &first.id,
            target: first.target,
            target_max: first.target_max,
            every,
            partial_last: mine.last().is_some_and(|r| r.partial),
        };
        series_chart(&mut h, &series, &points);
        h.push_str("</section>\n");
    }
    h.push_str("</div>\n");
    input_rows(&mut h, &report.inputs);
    h.push_str("</main>\n</body>\n</html>\n");
    w.write_all(h.as_bytes())
}

/// Rows that stand for a whole standard: without `--by`, or the totals row.
fn whole(report: &Report) -> impl Iterator<Item = &Row> {
    report
        .standards
        .iter()
        .filter(|r| r.group.as_ref().is_none_or(|g| g.is_total()))
}

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    h.push_str("<title>yardstick audit</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<main>\n");
    header(&mut h, report);
    summary(&mut h, report);
    let short = shortfalls(report);
    if !short.is_empty() {
        h.push_str("<h2>Falling short</h2>\n<ul class=\"short\">\n");
        for (who, words) in short {
            let _ = writeln!(
                h,
                "<li><strong>{}</strong>: {}</li>",
                esc(&who),
                esc(&words)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<h2>Compliance against target</h2>\n");
    compliance_chart(&mut h, report);
    for r in whole(report) {
        let groups: Vec<&Row> = report
            .standards
            .iter()
            .filter(|g| g.id == r.id && g.group.as_ref().is_some_and(|g| !g.is_total()))
            .collect();
        standard_section(&mut h, r, &groups);
    }
    inputs(&mut h, report);
    h.push_str("</main>\n</body>\n</html>\n");
    w.write_all(h.as_bytes())
}

fn header(h: &mut String, report: &Report) {
    let (class, text) = if report.passed {
        ("pass", "PASS")
    } else {
        ("fail", "FAIL")
    };
    let _ = writeln!(
        h,
        "<h1>yardstick audit <span class=\"verdict {class}\">{text}</span></h1>"
    );
    let p = &report.period;
    let mut meta = Vec::new();
    match (&p.since, &p.until) {
        (Some(s), Some(u)) => meta.push(format!("cases whose clock started from {s} until {u}")),
        (Some(s), None) => meta.push(format!("cases whose clock started from {s}")),
        (None, Some(u)) => meta.push(format!("cases whose clock started before {u}")),
        (None, None) => meta.push("every case in the logs".to_string()),
    }
    if let Some(a) = &p.as_of {
        meta.push(format!("judged as of {a}"));
    }
    let failing = whole(report).filter(|r| r.passed == Some(false)).count();
    let total = whole(report).count();
    meta.push(format!("{failing} of {total} standards fall short"));
    let _ = writeln!(h, "<p class=\"meta\">{}</p>", esc(&meta.join(" · ")));
}

fn summary(h: &mut String, report: &Report) {
    let grouped = report.standards.iter().any(|r| r.group.is_some());
    // With groups the titles would repeat on every line and push the numbers off the page;
    // each standard's section below carries its title.
    // What a manager looks for first (which standard, its target, where it stands, pass or
    // fail) comes first, so that on a narrow screen (800 px) it is what stays in view and the
    // counts and times are what scroll.
    h.push_str("<h2>Summary</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Standard</th>");
    if grouped {
        h.push_str("<th>Group</th>");
    } else {
        h.push_str("<th>Title</th>");
    }
    h.push_str("<th class=\"num\">Target</th><th class=\"num\">Compliance</th><th>Status</th><th>Level</th><th class=\"num\">Met</th><th class=\"num\">Breached</th><th class=\"num\">Open</th><th class=\"num\">Median</th><th class=\"num\">p90</th><th class=\"num\">Variance</th></tr></thead>\n<tbody>\n");
    for r in &report.standards {
        let total = r.group.as_ref().is_some_and(|g| g.is_total());
        let _ = write!(
            h,
            "<tr{}><td>{}</td>",
            if total { " class=\"total\"" } else { "" },
            esc(&r.id),
        );
        if grouped {
            let _ = write!(h, "<td class=\"group\">{}</td>", esc(&group_text(r)));
        } else {
            let _ = write!(
                h,
                "<td class=\"title\">{}</td>",
                esc(&super::dated_title(r))
            );
        }
        let _ = writeln!(
            h,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"status {}\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&target(r)),
            compliance(r),
            status(r).replace(' ', "-"),
            status(r),
            level_short(r),
            r.met,
            r.breached,
            r.open,
            esc(&median(r)),
            esc(&p90(r)),
            variance(r),
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// The geometry of a horizontal bar chart: a label column, then bars from 0% to 100%, one
/// row each (the standards' chart and a standard's groups differ only in these sizes).
struct Bars {
    label_w: f64,
    bar_w: f64,
    row_h: f64,
    bar_h: u32,
    /// From a row's top to its texts' baseline, and to its whisker.
    text_dy: f64,
    whisker_dy: f64,
}

/// The standards' chart: wide bars for a handful of rows.
const STANDARD_BARS: Bars = Bars {
    label_w: 220.0,
    bar_w: 560.0,
    row_h: 28.0,
    bar_h: 18,
    text_dy: 18.0,
    whisker_dy: 14.0,
};

/// A standard's groups: narrower and lower bars, with room on the right for "too few".
const GROUP_BARS: Bars = Bars {
    label_w: 220.0,
    bar_w: 400.0,
    row_h: 24.0,
    bar_h: 14,
    text_dy: 16.0,
    whisker_dy: 12.0,
};

/// One bar: its label and right-hand text (both escaped), class, colour, compliance, its 95%
/// interval and target (or range of targets).
struct Bar<'a> {
    label: &'a str,
    class: &'a str,
    fill: &'a str,
    value: f64,
    interval: (Option<f64>, Option<f64>),
    target: (f64, Option<f64>),
    text: &'a str,
}

impl Bars {
    /// The chart's vertical lines and their percentages, for a chart `height` high.
    fn axis(&self, h: &mut String, height: f64) {
        for tick in [0, 25, 50, 75, 100] {
            let x = self.label_w + self.bar_w * tick as f64 / 100.0;
            let _ = writeln!(
                h,
                "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick}%</text>",
                height - 20.0,
                height - 6.0
            );
        }
    }

    /// Row `i`: its label, bar, whisker, target ticks and text.
    fn bar(&self, h: &mut String, i: usize, b: &Bar) {
        let Bars {
            label_w,
            bar_w,
            row_h,
            bar_h,
            text_dy,
            whisker_dy,
        } = *self;
        let y = i as f64 * row_h;
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + text_dy,
            b.label
        );
        let _ = writeln!(
            h,
            "<rect class=\"{}\" x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{}\"/>",
            b.class,
            y + 5.0,
            bar_w * b.value / 100.0,
            b.fill
        );
        if let (Some(lo), Some(hi)) = b.interval {
            whisker_across(h, label_w, bar_w, y + whisker_dy, lo, hi);
        }
        // A range has a tick at each end.
        for t in std::iter::once(b.target.0).chain(b.target.1) {
            let tx = label_w + bar_w * t / 100.0;
            let _ = writeln!(
                h,
                "<line class=\"target\" x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"#1f2328\" stroke-width=\"3\"/>",
                y + 1.0,
                y + row_h - 1.0
            );
        }
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w + bar_w + 8.0,
            y + text_dy,
            b.text
        );
    }
}

/// Horizontal bars: compliance per standard, the target as a dark tick.
fn compliance_chart(h: &mut String, report: &Report) {
    let rows: Vec<&Row> = whole(report).collect();
    let bars = STANDARD_BARS;
    let width = bars.label_w + bars.bar_w + 120.0;
    let height = rows.len() as f64 * bars.row_h + 30.0;
    let _ = writeln!(
        h,
        "<figure class=\"compliance\"><svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"compliance-title\"><title id=\"compliance-title\">Compliance per standard against its target</title>"
    );
    bars.axis(h, height);
    for (i, r) in rows.iter().enumerate() {
        let (fill, value) = match (r.compliance, r.passed) {
            (Some(c), Some(true)) => ("#2da44e", c),
            (Some(c), _) => ("#cf222e", c),
            (None, _) => ("#8c959f", 0.0),
        };
        let bar = Bar {
            label: &esc(&r.id),
            class: "bar",
            fill,
            value,
            interval: (r.compliance_low, r.compliance_high),
            target: (r.target, r.target_max),
            text: &format!("{} / {}", esc(&compliance(r)), esc(&target(r))),
        };
        bars.bar(h, i, &bar);
    }
    h.push_str("</svg><figcaption>Bars: compliance (met / decided); whisker: its 95% interval (Wilson); black tick: the target. Green meets it, red falls short, grey has no data.</figcaption></figure>\n");
}

/// A horizontal whisker from `lo` to `hi` percent at height `y` of a bar chart whose 0% is at
/// `x0` and 100% `width` further: how far the rate behind a compliance figure may be from it.
fn whisker_across(h: &mut String, x0: f64, width: f64, y: f64, lo: f64, hi: f64) {
    let (a, b) = (x0 + width * lo / 100.0, x0 + width * hi / 100.0);
    let _ = writeln!(
        h,
        "<g class=\"whisker\" stroke=\"#1f2328\" stroke-width=\"1.5\"><title>95% interval: {} to {}</title><line x1=\"{a:.1}\" y1=\"{y:.1}\" x2=\"{b:.1}\" y2=\"{y:.1}\"/><line x1=\"{a:.1}\" y1=\"{:.1}\" x2=\"{a:.1}\" y2=\"{:.1}\"/><line x1=\"{b:.1}\" y1=\"{:.1}\" x2=\"{b:.1}\" y2=\"{:.1}\"/></g>",
        percent(lo),
        percent(hi),
        y - 4.0,
        y + 4.0,
        y - 4.0,
        y + 4.0
    );
}

/// Decided cases below which a group is drawn grey, "too few to judge" (as the table's `n<20`).
const TOO_FEW: u64 = 20;

/// One standard's groups (`--by`) as bars with their 95% intervals: a group with fewer than
/// `TOO_FEW` decided cases is grey and says so, so that nobody is ranked on noise.
fn group_chart(h: &mut String, r: &Row, groups: &[&Row]) {
    let bars = GROUP_BARS;
    let width = bars.label_w + bars.bar_w + 200.0;
    let height = groups.len() as f64 * bars.row_h + 30.0;
    let id = format!("groups-{}", esc(&r.id));
    let _ = writeln!(
        h,
        "<figure class=\"groups\"><svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}\"><title id=\"{id}\">Compliance of {} per group, with 95% intervals</title>",
        esc(&r.id)
    );
    bars.axis(h, height);
    for (i, g) in groups.iter().enumerate() {
        let decided = g.met + g.breached;
        let few = decided > 0 && decided < TOO_FEW;
        let (fill, value) = match (g.compliance, g.passed) {
            (Some(c), _) if few => ("#afb8c1", c),
            (Some(c), Some(true)) => ("#2da44e", c),
            (Some(c), _) => ("#cf222e", c),
            (None, _) => ("#8c959f", 0.0),
        };
        let bar = Bar {
            label: &esc(&group_text(g)),
            class: if few { "bar few" } else { "bar" },
            fill,
            value,
            interval: (g.compliance_low, g.compliance_high),
            target: (g.target, g.target_max),
            text: &format!(
                "{}{}",
                esc(&compliance(g)),
                if few {
                    format!(" (n={decided}, too few)")
                } else {
                    String::new()
                }
            ),
        };
        bars.bar(h, i, &bar);
    }
    let _ = writeln!(
        h,
        "</svg><figcaption>Compliance per group; whisker: its 95% interval (Wilson); black tick: the target. Grey: fewer than {TOO_FEW} decided cases, too few to judge.</figcaption></figure>"
    );
}

fn standard_section(h: &mut String, r: &Row, groups: &[&Row]) {
    let _ = writeln!(
        h,
        "<section class=\"standard\" id=\"{}\">\n<h3>{} <span class=\"verdict {}\">{}</span></h3>",
        esc(&r.id),
        esc(&r.id),
        match r.passed {
            Some(true) => "pass",
            Some(false) => "fail",
            None => "nodata",
        },
        status(r)
    );
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} · {} · {}</p>",
        esc(&super::dated_title(r)),
        esc(&r.rule),
        esc(&super::variance_words(r))
    );
    if let Some(words) = super::repeat_window(r) {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", esc(&words));
    }
    if !groups.is_empty() {
        group_chart(h, r, groups);
    }
    let trend = r.weekly.len() >= 2;
    if r.histogram.is_none() && !trend {
        h.push_str("</section>\n");
        return;
    }
    h.push_str("<div class=\"charts\">\n");
    if let Some(hist) = &r.histogram {
        histogram_chart(h, r, hist);
    }
    if trend {
        trend_chart(h, r, &r.weekly);
    }
    h.push_str("</div>\n</section>\n");
}

/// Columns of cases per bucket of measured time; buckets past the limit are red, the limit is
/// a dashed line; the long tail is the last column.
fn histogram_chart(h: &mut String, r: &Row, hist: &Histogram) {
    let (left, top, plot_w, plot_h) = (40.0, 16.0, 420.0, 160.0);
    let bins = hist.counts.len() + usize::from(hist.above > 0);
    let bin_w = plot_w / bins as f64;
    let max = hist
        .counts
        .iter()
        .copied()
        .chain([hist.above])
        .max()
        .unwrap_or(0)
        .max(1);
    let id = format!("hist-{}", esc(&r.id));
    let _ = writeln!(
        h,
        "<figure class=\"histogram\"><svg viewBox=\"0 0 480 220\" role=\"img\" aria-labelledby=\"{id}\"><title id=\"{id}\">Distribution of {} for {}</title>",
        if r.lateness {
            "lateness against the deadline"
        } else {
            "measured times"
        },
        esc(&r.id)
    );
    let base = top + plot_h;
    let _ = writeln!(
        h,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"#57606a\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{max}</text><text x=\"{:.1}\" y=\"{base}\" text-anchor=\"end\">0</text>",
        left + plot_w,
        left - 4.0,
        top + 10.0,
        left - 4.0
    );
    let over_from = r.limit_s;
    for (i, &n) in hist
        .counts
        .iter()
        .chain((hist.above > 0).then_some(&hist.above))
        .enumerate()
    {
        let lo = hist.start + i as i64 * hist.width;
        let past = over_from.is_some_and(|l| lo >= l);
        let bh = plot_h * n as f64 / max as f64;
        let _ = writeln!(
            h,
            "<rect class=\"bin\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{}: {n} case{}</title></rect>",
            left + i as f64 * bin_w + 1.0,
            base - bh,
            (bin_w - 2.0).max(1.0),
            if past { "#cf222e" } else { "#0969da" },
            esc(&if i < hist.counts.len() {
                format!("{} to {}", human(lo), human(lo + hist.width))
            } else {
                format!("{} or more", human(lo))
            }),
            if n == 1 { "" } else { "s" }
        );
    }
    // Axis labels: where the buckets start, and where they end (or "16m+" for the long tail).
    let end = hist.start + hist.counts.len() as i64 * hist.width;
    let _ = writeln!(
        h,
        "<text x=\"{left:.1}\" y=\"{:.1}\" text-anchor=\"start\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{}</text>",
        base + 16.0,
        esc(&human(hist.start)),
        left + plot_w,
        base + 16.0,
        esc(&human(end)),
        if hist.above > 0 { "+" } else { "" }
    );
    if let Some(limit) = r.limit_s {
        let pos = ((limit - hist.start) as f64 / hist.width as f64).clamp(0.0, bins as f64);
        let x = left + pos * bin_w;
        let label = if r.lateness {
            "deadline".to_string()
        } else {
            format!("limit {}", human(limit))
        };
        let _ = writeln!(
            h,
            "<line class=\"limit\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{base:.1}\" stroke=\"#1f2328\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            top,
            top - 4.0,
            esc(&label)
        );
    }
    let caption = match (r.lateness, r.limit_s) {
        (true, _) => {
            "Cases by lateness against the deadline (negative: early); red: late.".to_string()
        }
        (_, Some(_)) => "Cases by measured time; red: past the limit (dashed).".to_string(),
        _ => {
            "Cases by measured time; this limit depends on the day, so it is not drawn.".to_string()
        }
    };
    let _ = writeln!(
        h,
        "<text x=\"{:.1}\" y=\"212\" text-anchor=\"middle\">{}</text></svg><figcaption>{}</figcaption></figure>",
        left + plot_w / 2.0,
        if r.lateness { "lateness" } else { "time to stop the clock" },
        esc(&caption)
    );
}

/// The Monday of an ISO week label ("2026-W47"), in days since the Common Era.
fn monday(label: &str) -> Option<i64> {
    let (year, week) = label.split_once("-W")?;
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)
        .map(|d| i64::from(d.num_days_from_ce()))
}

/// The ISO week label of a Monday given in days since the Common Era.
fn week_label(days: i64) -> String {
    i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map(|d| {
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        })
        .unwrap_or_default()
}

/// Week labels on the x axis at most: a label ("2026-W47") is about 55 units wide at 12 px,
/// so six fit the 370-unit plot with room between them.
const WEEK_LABELS: i64 = 6;

/// Compliance per ISO week as a line, the target dashed. Weeks sit at their place in time, so
/// that a stretch without cases shows as the gap it was (a grey band, the line broken) rather
/// than as adjacent weeks; the axis labels every few weeks, however long the period.
fn trend_chart(h: &mut String, r: &Row, weeks: &[PeriodPoint]) {
    let series = Series {
        id: &r.id,
        target: r.target,
        target_max: r.target_max,
        every: "ISO week",
        partial_last: false,
    };
    series_chart(h, &series, weeks);
}

/// What a compliance line is of: the standard, its target, the period it is counted per, and
/// whether its last period is still running (`trend`'s partial period, drawn hollow).
struct Series<'a> {
    id: &'a str,
    target: f64,
    target_max: Option<f64>,
    every: &'a str,
    partial_last: bool,
}

/// Compliance per period of `s` as a line, each point with its 95% interval (a whisker).
fn series_chart(h: &mut String, s: &Series, weeks: &[PeriodPoint]) {
    let lowest = weeks
        .iter()
        .filter_map(|p| p.compliance)
        .fold(s.target, f64::min);
    let axis = WeekAxis::new(weeks);
    let plot = Plot {
        left: 60.0,
        top: 16.0,
        plot_w: 370.0,
        plot_h: 160.0,
        floor: (((lowest - 5.0) / 10.0).floor() * 10.0).clamp(0.0, 90.0),
        span: axis.index.last().copied().unwrap_or(1).max(1),
    };
    let id = format!("trend-{}", esc(s.id));
    let _ = writeln!(
        h,
        "<figure class=\"trend\"><svg viewBox=\"0 0 480 220\" role=\"img\" aria-labelledby=\"{id}\"><title id=\"{id}\">{} compliance of {}</title>",
        if s.every == "month" { "Monthly" } else { "Weekly" },
        esc(s.id)
    );
    let gaps = plot.gaps(h, &axis);
    plot.grid(h, s);
    plot.line(h, weeks, &axis);
    plot.dots(h, s, weeks, &axis);
    plot.week_labels(h, &axis);
    let _ = writeln!(
        h,
        "</svg><figcaption>Compliance per {} of clock start; whiskers: 95% intervals; dashed: the target {}{}{}.</figcaption></figure>",
        esc(s.every),
        esc(&super::target_text(s.target, s.target_max)),
        if gaps > 0 { "; grey: weeks without a case" } else { "" },
        if s.partial_last { "; hollow: the running period, not over yet" } else { "" }
    );
}

/// The time axis of a series: each point's week, counted from the first, and the first's
/// Monday. Labels that are not ISO weeks (never from `report`, but the renderer does not
/// rely on it) fall back to one step per point, with no Monday.
struct WeekAxis<'w> {
    index: Vec<i64>,
    first: Option<i64>,
    weeks: &'w [PeriodPoint],
}

impl WeekAxis<'_> {
    fn new(weeks: &[PeriodPoint]) -> WeekAxis<'_> {
        let mondays: Option<Vec<i64>> = weeks.iter().map(|p| monday(&p.period)).collect();
        let (index, first) = match &mondays {
            Some(days) => (
                days.iter().map(|d| (d - days[0]) / 7).collect(),
                Some(days[0]),
            ),
            None => ((0..weeks.len() as i64).collect(), None),
        };
        WeekAxis {
            index,
            first,
            weeks,
        }
    }

    /// The label of the `k`-th week (or point) from the first.
    fn label(&self, k: i64) -> String {
        match self.first {
            Some(d) => week_label(d + 7 * k),
            None => self.weeks[k as usize].period.clone(),
        }
    }
}

/// Where a series chart draws: the plot's box, the compliance at its floor, and the weeks
/// from its first point to its last (`span`).
struct Plot {
    left: f64,
    top: f64,
    plot_w: f64,
    plot_h: f64,
    floor: f64,
    span: i64,
}

impl Plot {
    fn x(&self, k: f64) -> f64 {
        self.left + self.plot_w * k / self.span as f64
    }

    fn y(&self, c: f64) -> f64 {
        self.top + self.plot_h * (100.0 - c) / (100.0 - self.floor)
    }

    /// Weeks without a case: a band from the last week with cases to the next. How many.
    fn gaps(&self, h: &mut String, axis: &WeekAxis) -> usize {
        let mut gaps = 0;
        for pair in axis.index.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b - a > 1 && axis.first.is_some() {
                gaps += 1;
                let (x0, x1) = (self.x(a as f64 + 0.5), self.x(b as f64 - 0.5));
                let missing = if b - a == 2 {
                    format!("no case in {}", axis.label(a + 1))
                } else {
                    format!(
                        "no case from {} to {}",
                        axis.label(a + 1),
                        axis.label(b - 1)
                    )
                };
                let _ = writeln!(
                    h,
                    "<rect class=\"gap\" x=\"{x0:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\"><title>{}</title></rect>",
                    self.top,
                    (x1 - x0).max(1.0),
                    self.plot_h,
                    esc(&missing)
                );
            }
        }
        gaps
    }

    /// The compliance lines (floor, middle, 100%) and the target as a dashed line.
    fn grid(&self, h: &mut String, s: &Series) {
        let (left, right) = (self.left, self.left + self.plot_w);
        for c in [self.floor, (self.floor + 100.0) / 2.0, 100.0] {
            let _ = writeln!(
                h,
                "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{right:.1}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                self.y(c),
                self.y(c),
                left - 4.0,
                self.y(c) + 4.0,
                percent(c)
            );
        }
        for t in std::iter::once(s.target).chain(s.target_max) {
            let _ = writeln!(
                h,
                "<line class=\"target\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{right:.1}\" y2=\"{:.1}\" stroke=\"#1f2328\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                self.y(t),
                self.y(t)
            );
        }
    }

    /// The line, broken at a week without a decided case and across weeks without cases.
    fn line(&self, h: &mut String, weeks: &[PeriodPoint], axis: &WeekAxis) {
        let mut path = String::new();
        let mut last: Option<i64> = None;
        for (p, &k) in weeks.iter().zip(&axis.index) {
            match p.compliance {
                Some(c) => {
                    let joined = last.is_some_and(|l| k - l == 1);
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if joined { "L" } else { "M" },
                        self.x(k as f64),
                        self.y(c)
                    );
                    last = Some(k);
                }
                None => last = None,
            }
        }
        let _ = writeln!(
            h,
            "<path class=\"line\" d=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2.5\"/>",
            path.trim_end()
        );
    }

    /// A dot per point with a decided case, with its whisker; the running period hollow.
    fn dots(&self, h: &mut String, s: &Series, weeks: &[PeriodPoint], axis: &WeekAxis) {
        // Dots no wider than the space between weeks, so that two years stay a line of dots.
        let radius = (self.plot_w / self.span as f64 / 2.5).clamp(1.5, 4.0);
        for (i, (p, &k)) in weeks.iter().zip(&axis.index).enumerate() {
            let Some(c) = p.compliance else { continue };
            // The interval below the axis' floor is cut at the floor.
            if let Some((lo, hi)) = crate::report::wilson(p.met, p.met + p.breached) {
                let (yl, yh) = (self.y(lo.max(self.floor)), self.y(hi));
                let _ = writeln!(
                    h,
                    "<line class=\"whisker\" x1=\"{0:.1}\" y1=\"{yl:.1}\" x2=\"{0:.1}\" y2=\"{yh:.1}\" stroke=\"#57606a\" stroke-width=\"1.2\"><title>{1}: 95% interval {2} to {3}</title></line>",
                    self.x(k as f64),
                    esc(&p.period),
                    percent(lo),
                    percent(hi)
                );
            }
            let colour = if c >= s.target && s.target_max.is_none_or(|hi| c <= hi) {
                "#2da44e"
            } else {
                "#cf222e"
            };
            // The running period is hollow: its figure may still change.
            let partial = s.partial_last && i + 1 == weeks.len();
            let _ = writeln!(
                h,
                "<circle{} cx=\"{:.1}\" cy=\"{:.1}\" r=\"{radius:.1}\" fill=\"{}\" stroke=\"{colour}\" stroke-width=\"1.5\"><title>{}: {} ({} met, {} breached){}</title></circle>",
                if partial { " class=\"partial\"" } else { "" },
                self.x(k as f64),
                self.y(c),
                if partial { "#fff" } else { colour },
                esc(&p.period),
                percent(c),
                p.met,
                p.breached,
                if partial { ", partial" } else { "" }
            );
        }
    }

    /// Labels every `stride` weeks, a stride a reader can count in (weeks, months, quarters,
    /// half-years, years), the first and the rest by time, not by the weeks that have data.
    fn week_labels(&self, h: &mut String, axis: &WeekAxis) {
        let span = self.span;
        let stride = [1, 2, 4, 8, 13, 26, 52]
            .into_iter()
            .find(|s| span / s < WEEK_LABELS)
            .unwrap_or_else(|| (span / (WEEK_LABELS - 1)).max(1));
        let base = self.top + self.plot_h;
        for k in (0..=span).step_by(stride as usize) {
            let _ = writeln!(
                h,
                "<line x1=\"{0:.1}\" y1=\"{base}\" x2=\"{0:.1}\" y2=\"{1:.1}\" stroke=\"#57606a\"/><text class=\"week\" x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\">{3}</text>",
                self.x(k as f64),
                base + 4.0,
                base + 16.0,
                esc(&axis.label(k))
            );
        }
    }
}

fn inputs(h: &mut String, report: &Report) {
    input_rows(h, &report.inputs);
}

fn input_rows(h: &mut String, inputs: &[InputStats]) {
    h.push_str("<h2>Inputs</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Source</th><th>File</th><th class=\"num\">Rows</th><th class=\"num\">Used</th><th class=\"num\">Skipped</th><th>Why skipped</th></tr></thead>\n<tbody>\n");
    for i in inputs {
        let why = i
            .skipped_reasons
            .iter()
            .map(|(k, n)| format!("{n} × {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&i.source),
            esc(&i.path),
            i.rows,
            i.used,
            i.skipped,
            esc(&why)
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
}
