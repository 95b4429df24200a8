//! The human table: comfy-table, one line per standard (x group), fitting an 80-column
//! terminal; titles follow the table so that rows stay one line high. Every value from the
//! logs and the standards (ids, titles, column names, attribute values) is shown through
//! `escape::terminal`, so that it can neither drive the terminal nor break a row.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::escape::{self, terminal};
use super::{compliance, level_short, median, status, Style};
use crate::report::{BreachCounts, BreachReport, Report, TrendReport};
use crate::time::duration::human;

fn new_table(style: Style) -> Table {
    let mut t = Table::new();
    // One rule under the header and nothing else: every column of vertical lines costs
    // width that an 80-column terminal does not have.
    t.load_preset("     ─              ")
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// A cell holding a value from the data: its control characters escaped (a tab would break
/// the alignment, a newline the row, an ESC would reach the terminal).
fn text(value: &str) -> Cell {
    Cell::new(terminal(value))
}

fn right(text: impl ToString) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// Text columns (the first `text_columns`) keep their longest value if they can and wrap
/// otherwise; number columns never wrap. One space separates columns.
fn arrange(t: &mut Table, text_columns: usize, widths: &[usize]) {
    for i in 0..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            if i < text_columns {
                // The boundary counts the padding too.
                let w = widths.get(i).copied().unwrap_or(8).clamp(4, 24) as u16 + 1;
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
                c.set_padding((0, 1));
            } else {
                c.set_constraint(ColumnConstraint::ContentWidth);
                c.set_padding((1, 0));
            }
        }
    }
}

/// The widest of `header` and `values` as shown, escapes included.
fn max_width<'a>(header: &str, values: impl Iterator<Item = &'a str>) -> usize {
    values
        .map(|v| terminal(v).chars().count())
        .chain([terminal(header).chars().count()])
        .max()
        .unwrap_or(0)
}

/// The table without the padding comfy-table leaves at the ends of lines; a wrapped cell
/// cannot start a line that passes for a workflow command (`escape::line`).
fn write_trimmed(w: &mut dyn Write, t: &Table) -> io::Result<()> {
    for line in t.lines() {
        writeln!(w, "{}", escape::line(line.trim_end()))?;
    }
    Ok(())
}

pub fn audit(report: &Report, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let dims: Vec<String> = report
        .standards
        .iter()
        .find_map(|r| r.group.as_ref().filter(|g| !g.is_total()))
        .map(|g| g.0.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let mut t = new_table(style);
    let mut header: Vec<Cell> = vec![Cell::new("Standard")];
    header.extend(dims.iter().map(|d| text(d)));
    header.push(Cell::new("Level"));
    // Two-line headers keep the numbers narrow enough for an 80-column terminal.
    for h in [
        "Target",
        "Compli-\nance",
        "Met/Br/\nOpen",
        "Median",
        "p90",
        "Var.\n(pts)",
    ] {
        header.push(right(h));
    }
    header.push(Cell::new("Status"));
    t.set_header(header);

    let mut previous: Option<&str> = None;
    for row in &report.standards {
        // With groups, a standard's id heads its first group only.
        let id = if previous == Some(row.id.as_str()) {
            ""
        } else {
            row.id.as_str()
        };
        previous = Some(&row.id);
        let mut cells = vec![text(id)];
        if let Some(g) = &row.group {
            if g.is_total() {
                // The totals row: "(all)" under the first group column.
                cells.extend((0..dims.len()).map(|k| Cell::new(if k == 0 { "(all)" } else { "" })));
            } else {
                cells.extend(
                    g.0.iter()
                        .map(|(_, v)| text(if v.is_empty() { "(empty)" } else { v })),
                );
            }
        }
        let mut status_cell = Cell::new(status(row));
        if style.color {
            status_cell = match row.passed {
                Some(true) => status_cell.fg(Color::Green),
                Some(false) => status_cell.fg(Color::Red).add_attribute(Attribute::Bold),
                None => status_cell.fg(Color::Yellow),
            };
        }
        let is_deadline = row.lateness;
        cells.extend([
            Cell::new(level_short(row)),
            right(super::target(row)),
            right(compliance(row)),
            right(format!("{}/{}/{}", row.met, row.breached, row.open)),
            right(if is_deadline {
                super::signed_stat(row, row.median_s)
            } else {
                median(row)
            }),
            right(super::signed_stat(row, row.p90_s)),
            right(
                row.compliance_variance
                    .map(|v| format!("{v:+.1}"))
                    .unwrap_or_default(),
            ),
            status_cell,
        ]);
        t.add_row(cells);
    }
    let mut widths = vec![max_width(
        "Standard",
        report.standards.iter().map(|r| r.id.as_str()),
    )];
    for (k, d) in dims.iter().enumerate() {
        widths.push(max_width(
            d,
            report
                .standards
                .iter()
                .filter_map(|r| r.group.as_ref().and_then(|g| g.0.get(k)))
                .map(|(_, v)| v.as_str())
                .chain(["(all)"]),
        ));
    }
    arrange(&mut t, 1 + dims.len(), &widths);
    write_trimmed(w, &t)?;

    // Titles below the table, once per standard.
    let id_width = widths[0];
    // A set: a list scanned per row made a report of 20,000 standards quadratic.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in &report.standards {
        if !seen.insert(&r.id) {
            continue;
        }
        if let Some(title) = &r.title {
            let line = format!("{:<id_width$}  {}", terminal(&r.id), terminal(title));
            writeln!(w, "{}", escape::line(&line))?;
        }
    }
    if report.standards.iter().any(|r| r.lateness) {
        writeln!(w, "Deadline standards: median and p90 are lateness against the deadline (-2h = 2 hours early).")?;
    }
    let short = super::shortfalls(report);
    if !short.is_empty() {
        writeln!(w, "Falling short:")?;
        for (who, words) in short {
            let line = format!("{who}: {words}");
            for line in wrap(&terminal(&line), style.width as usize, 2, 4) {
                writeln!(w, "{}", escape::line(&line))?;
            }
        }
    }
    Ok(())
}

/// Word-wraps `text` to `width` columns: the first line indented by `first`, the others by
/// `rest`. A word longer than the line stays whole.
fn wrap(text: &str, width: usize, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split(' ') {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(rest)));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// Longest attribute value shown in the breaches table.
const ATTR_CHARS: usize = 30;

/// `value` as shown (escaped) cut to `max` characters, with "…" when it was longer. The cut
/// falls between characters of the value, never inside the escape of one.
fn clip(value: &str, max: usize) -> String {
    let shown = terminal(value);
    if shown.chars().count() <= max {
        return shown.into_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    let mut buf = [0u8; 4];
    for c in value.chars() {
        let piece = terminal(c.encode_utf8(&mut buf));
        let len = piece.chars().count();
        if n + len > max - 1 {
            break;
        }
        out.push_str(&piece);
        n += len;
    }
    out.push('…');
    out
}

pub fn breaches(report: &BreachReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    if report.breaches.is_empty() {
        return writeln!(w, "No breaches.");
    }
    let mut t = new_table(style);
    t.set_header(vec![
        Cell::new("Standard"),
        Cell::new("Case"),
        Cell::new("Started"),
        right("Took"),
        right("Over by"),
        Cell::new("Attributes"),
    ]);
    for b in &report.breaches {
        let case = match b.occurrence {
            Some(n) => format!("{} #{n}", b.case),
            None => b.case.clone(),
        };
        let took = match (b.elapsed_s, b.count, &b.required, &b.clock_stop) {
            (Some(e), _, _, Some(_)) => human(e),
            (Some(e), _, _, None) => format!("{}, open", human(e)),
            (None, Some(c), Some(r), _) => format!("{c} ({r})"),
            _ => String::new(),
        };
        // Local wall-clock time to the minute; the machine formats carry the full RFC 3339.
        let started: String = b
            .clock_start
            .replacen('T', " ", 1)
            .chars()
            .take(16)
            .collect();
        // name=value, so that values read without the header; long free text (a ticket's
        // description) is cut, since the machine formats carry it whole.
        let attrs = b
            .attributes
            .0
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{}={}", terminal(k), clip(v, ATTR_CHARS)))
            .collect::<Vec<_>>()
            .join(", ");
        t.add_row(vec![
            text(&b.standard),
            text(&case),
            text(&started),
            right(terminal(&took)),
            right(b.over_by_s.map(human).unwrap_or_default()),
            Cell::new(attrs),
        ]);
    }
    let widths = [
        max_width(
            "Standard",
            report.breaches.iter().map(|b| b.standard.as_str()),
        ),
        max_width("Case", report.breaches.iter().map(|b| b.case.as_str())),
        16,
    ];
    arrange(&mut t, 3, &widths);
    // The attributes take what is left and wrap.
    if let Some(c) = t.column_mut(5) {
        c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(12)));
        c.set_padding((1, 0));
    }
    write_trimmed(w, &t)?;
    writeln!(
        w,
        "{} breach{}",
        report.breaches.len(),
        if report.breaches.len() == 1 { "" } else { "es" }
    )
}

pub fn counts(report: &BreachCounts, style: Style, w: &mut dyn Write) -> io::Result<()> {
    if report.counts.is_empty() {
        return writeln!(w, "No breaches.");
    }
    let mut t = new_table(style);
    let mut header = vec![Cell::new("Standard")];
    header.extend(report.by.iter().map(|c| text(c)));
    header.extend([right("Breaches"), right("Share")]);
    t.set_header(header);
    let mut previous: Option<&str> = None;
    for c in &report.counts {
        let id = if previous == Some(c.standard.as_str()) {
            ""
        } else {
            c.standard.as_str()
        };
        previous = Some(&c.standard);
        let mut cells = vec![text(id)];
        cells.extend(
            c.group
                .0
                .iter()
                .map(|(_, v)| text(if v.is_empty() { "(empty)" } else { v })),
        );
        cells.extend([right(c.breaches), right(super::share(c.share))]);
        t.add_row(cells);
    }
    let mut widths = vec![max_width(
        "Standard",
        report.counts.iter().map(|c| c.standard.as_str()),
    )];
    for (k, col) in report.by.iter().enumerate() {
        widths.push(max_width(
            col,
            report
                .counts
                .iter()
                .filter_map(|c| c.group.0.get(k))
                .map(|(_, v)| if v.is_empty() { "(empty)" } else { v.as_str() }),
        ));
    }
    arrange(&mut t, 1 + report.by.len(), &widths);
    write_trimmed(w, &t)
}

pub fn trend(report: &TrendReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let mut t = new_table(style);
    t.set_header(vec![
        Cell::new("Standard"),
        Cell::new("Period"),
        right("Compli-\nance"),
        right("Target"),
        right("Change\n(pts)"),
        right("Met/Br/\nOpen"),
        right("Error budget\nused"),
    ]);
    let mut previous: Option<&str> = None;
    for r in &report.trend {
        let id = if previous == Some(r.id.as_str()) {
            ""
        } else {
            r.id.as_str()
        };
        previous = Some(&r.id);
        let mut change = Cell::new(super::change(r)).set_alignment(CellAlignment::Right);
        if style.color {
            change = match r.direction {
                Some("up") => change.fg(Color::Green),
                Some("down") => change.fg(Color::Red),
                _ => change,
            };
        }
        t.add_row(vec![
            text(id),
            text(&r.period),
            right(
                r.compliance
                    .map_or_else(|| "no data".to_string(), super::percent),
            ),
            right(super::target_text(r.target, r.target_max)),
            change,
            right(format!("{}/{}/{}", r.met, r.breached, r.open)),
            right(super::budget(r)),
        ]);
    }
    let widths = [
        max_width("Standard", report.trend.iter().map(|r| r.id.as_str())),
        max_width("Period", report.trend.iter().map(|r| r.period.as_str())),
    ];
    arrange(&mut t, 2, &widths);
    write_trimmed(w, &t)?;
    writeln!(
        w,
        "Error budget used: breaches of floor((100 - target)% x decided cases) allowed."
    )
}
