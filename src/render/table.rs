//! The human table: comfy-table, one line per standard (x group), fitting an 80-column
//! terminal; titles follow the table so that rows stay one line high. Every value from the
//! logs and the standards (ids, titles, column names, attribute values) is shown through
//! `escape::terminal`, so that it can neither drive the terminal nor break a row.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::escape::{self, terminal};
use super::{compliance, group_columns, level_short, median, status, Style};
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

/// The natural width of each column and the width it gets to fit `width` (see `fill`).
fn fit(
    header: &[Cell],
    rows: &[Vec<Cell>],
    text_columns: usize,
    width: u16,
) -> (Vec<usize>, Vec<usize>) {
    let columns = header.len();
    let mut natural = vec![0usize; columns];
    let mut least = vec![0usize; columns];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            let content = cell.content();
            for line in content.lines() {
                natural[i] = natural[i].max(display_width(line));
                if i < text_columns {
                    let piece = pieces(line).map(display_width).max().unwrap_or(0);
                    least[i] = least[i].max(piece);
                }
            }
        }
    }
    let mut fitted = natural.clone();
    while table_width(&fitted) > width as usize {
        let Some(i) = (0..text_columns)
            .filter(|&i| fitted[i] > least[i])
            .max_by_key(|&i| (fitted[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        fitted[i] -= 1;
    }
    (natural, fitted)
}

/// A comfy-table's width: each column is its content plus one space of padding.
fn table_width(columns: &[usize]) -> usize {
    columns.iter().map(|w| w + 1).sum()
}

/// Sets the header and rows of `t` so that the table fits `width` columns when its words
/// allow. Number columns (after the first `text_columns`) keep their width and never wrap;
/// when the table is too wide, the widest text column gives up a column at a time, its
/// values wrapping only at a space or after a hyphen (never inside a word), down to its
/// longest unbreakable piece. One space separates columns.
fn fill(t: &mut Table, header: Vec<Cell>, rows: Vec<Vec<Cell>>, text_columns: usize, width: u16) {
    let (natural, fitted) = fit(&header, &rows, text_columns, width);
    let shape = |row: Vec<Cell>| -> Vec<Cell> {
        row.into_iter()
            .enumerate()
            .map(|(i, cell)| {
                if i < text_columns && fitted[i] < natural[i] {
                    Cell::new(wrap_cell(&cell.content(), fitted[i]))
                } else {
                    cell
                }
            })
            .collect()
    };
    t.set_header(shape(header));
    let mut rows: Vec<Vec<Cell>> = rows.into_iter().map(shape).collect();
    flow_first_column(&mut rows);
    for row in rows {
        t.add_row(row);
    }
    // The fitting is done: comfy-table must not wrap again (it would split words).
    t.set_content_arrangement(ContentArrangement::Disabled);
    for i in 0..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            if i < text_columns {
                c.set_padding((0, 1));
            } else {
                c.set_padding((1, 0));
            }
        }
    }
}

/// A wrapped id in the first column flows into the blank first cells of the rows below it
/// (the other groups of the same standard), so that wrapping it adds no lines.
fn flow_first_column(rows: &mut [Vec<Cell>]) {
    let mut r = 0;
    while r < rows.len() {
        let content = rows[r].first().map(Cell::content).unwrap_or_default();
        let lines: Vec<&str> = content.lines().collect();
        let blanks = rows[r + 1..]
            .iter()
            .take_while(|row| row.first().is_some_and(|c| c.content().is_empty()))
            .count();
        if lines.len() > 1 && blanks > 0 {
            let used = blanks.min(lines.len() - 1);
            for k in 0..used {
                // The last row taken keeps every line left, so none is lost.
                let piece = if k + 1 == used {
                    lines[k + 1..].join("\n")
                } else {
                    lines[k + 1].to_string()
                };
                rows[r + 1 + k][0] = Cell::new(piece);
            }
            rows[r][0] = Cell::new(lines[0]);
        }
        r += 1 + blanks;
    }
}

/// The pieces a line may wrap between: words, a hyphen staying with the piece before it.
fn pieces(line: &str) -> impl Iterator<Item = &str> {
    line.split(' ').flat_map(hyphen_pieces)
}

/// A word cut after each hyphen that joins two letters (`first-reply`), never after one next
/// to a digit, so that `2026-W47`, `ORD-58269` and `reply-10m`'s `10m` stay whole.
fn hyphen_pieces(word: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut cuts = vec![0];
    for k in 1..chars.len().saturating_sub(1) {
        if chars[k].1 == '-' && chars[k - 1].1.is_alphabetic() && chars[k + 1].1.is_alphabetic() {
            cuts.push(chars[k + 1].0);
        }
    }
    cuts.push(word.len());
    let pieces: Vec<&str> = cuts.windows(2).map(|c| &word[c[0]..c[1]]).collect();
    pieces.into_iter()
}

/// `content` wrapped to `width` columns at spaces and after hyphens; a piece longer than the
/// line stays whole.
fn wrap_cell(content: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in content.lines() {
        let mut current = String::new();
        for word in line.split(' ') {
            let mut first_piece = true;
            for piece in hyphen_pieces(word) {
                let sep = if first_piece && !current.is_empty() {
                    " "
                } else {
                    ""
                };
                if !current.is_empty()
                    && display_width(&current) + sep.len() + display_width(piece) > width
                {
                    out.push(std::mem::take(&mut current));
                } else {
                    current.push_str(sep);
                }
                current.push_str(piece);
                first_piece = false;
            }
        }
        out.push(current);
    }
    out.join("\n")
}

/// The widest of `header` and `values` as shown, escapes included.
fn max_width<'a>(header: &str, values: impl Iterator<Item = &'a str>) -> usize {
    values
        .map(|v| display_width(&terminal(v)))
        .chain([display_width(&terminal(header))])
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

/// A standard's id in the first column: shown on the first of its rows only (`previous`:
/// the id of the row before), blank below it.
fn heading<'a>(previous: &mut Option<&'a str>, id: &'a str) -> &'a str {
    let first = *previous != Some(id);
    *previous = Some(id);
    if first {
        id
    } else {
        ""
    }
}

/// Decided cases below which a group's status says `n<20` instead of PASS or FAIL.
const TOO_FEW: u64 = 20;

/// A group (an agent, a small team, a week) with few decided cases is not judged here: its
/// compliance is mostly noise (see compliance_low/high in the machine formats). The
/// standard's own row, and its totals row, are always judged.
fn too_few(row: &crate::report::Row) -> bool {
    let decided = row.met + row.breached;
    row.group.as_ref().is_some_and(|g| !g.is_total()) && decided > 0 && decided < TOO_FEW
}

/// The summary table, then the lines that explain it: titles, repeat periods, legends,
/// what was left out to fit, and what falls short.
pub fn audit(report: &Report, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let dims = group_columns(report);
    let mut header = audit_header(&dims);
    let mut rows = audit_rows(report, &dims, style);
    // The variance is compliance minus target, both shown, and in words under "Falling
    // short": the one column given up when words leave no other way to fit the width.
    let dropped_variance =
        table_width(&fit(&header, &rows, 1 + dims.len(), style.width).1) > style.width as usize;
    if dropped_variance {
        let var = header.len() - 2;
        header.remove(var);
        for row in &mut rows {
            row.remove(var);
        }
    }
    let mut t = new_table(style);
    fill(&mut t, header, rows, 1 + dims.len(), style.width);
    write_trimmed(w, &t)?;
    let id_width = max_width("Standard", report.standards.iter().map(|r| r.id.as_str()));
    write_titles(report, id_width, style.width as usize, w)?;
    write_notes(report, &dims, dropped_variance, style, w)?;
    Ok(())
}

fn audit_header(dims: &[String]) -> Vec<Cell> {
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
    header
}

/// One row of cells per report row, as `audit_header` names them.
fn audit_rows(report: &Report, dims: &[String], style: Style) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut previous: Option<&str> = None;
    for row in &report.standards {
        // With groups, a standard's id heads its first group only.
        let id = heading(&mut previous, &row.id);
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
        cells.extend(number_cells(row));
        cells.push(status_cell(row, style));
        rows.push(cells);
    }
    rows
}

/// Level, target, compliance, counts, median, p90 and variance.
fn number_cells(row: &crate::report::Row) -> [Cell; 7] {
    [
        Cell::new(level_short(row)),
        right(super::target(row)),
        right(compliance(row)),
        right(format!("{}/{}/{}", row.met, row.breached, row.open)),
        right(if row.lateness {
            super::signed_stat(row, row.median_s)
        } else {
            median(row)
        }),
        right(if row.kind == crate::report::StandardKind::Value {
            super::p90(row)
        } else {
            super::signed_stat(row, row.p90_s)
        }),
        right(
            row.compliance_variance
                .map(|v| format!("{v:+.1}"))
                .unwrap_or_default(),
        ),
    ]
}

fn status_cell(row: &crate::report::Row, style: Style) -> Cell {
    let too_few = too_few(row);
    let cell = Cell::new(if too_few {
        format!("n<{TOO_FEW}")
    } else {
        status(row).to_string()
    });
    if !style.color {
        return cell;
    }
    match row.passed {
        _ if too_few => cell.add_attribute(Attribute::Dim),
        Some(true) => cell.fg(Color::Green),
        Some(false) => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        None => cell.fg(Color::Yellow),
    }
}

/// Titles below the table, once per standard, each beside its id (`id_width` wide).
fn write_titles(
    report: &Report,
    id_width: usize,
    width: usize,
    w: &mut dyn Write,
) -> io::Result<()> {
    // A set: a list scanned per row made a report of 20,000 standards quadratic.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // A title wraps under itself, indented past the id column; with an id column wider than
    // half the line the title goes under the id instead, so that it keeps room for words.
    let hang = if id_width + 2 <= width / 2 {
        id_width + 2
    } else {
        4
    };
    for (k, r) in report.standards.iter().enumerate() {
        // With versions by date, rows of one id may show different versions: the id's last
        // row (its totals) speaks for it.
        let later = report.standards.get(k + 1).is_some_and(|n| n.id == r.id);
        if (later && !r.versions.is_empty()) || !seen.insert(&r.id) {
            continue;
        }
        // A standard with versions by date: the version the row shows, after its title.
        let dated = (r.title.is_some() || !r.versions.is_empty()).then(|| super::dated_title(r));
        if let Some(title) = &dated {
            let id = terminal(&r.id);
            let pad = id_width.saturating_sub(display_width(&id));
            let lines = if hang == 4 {
                let mut lines = vec![id.into_owned()];
                lines.extend(wrap(&terminal(title), width, 4, 4));
                lines
            } else {
                let mut lines = wrap(&terminal(title), width, hang, hang);
                lines[0].replace_range(..id_width + 2, &format!("{id}{}  ", " ".repeat(pad)));
                lines
            };
            for line in lines {
                writeln!(w, "{}", escape::line(&line))?;
            }
        }
    }
    Ok(())
}

/// The notes after the titles, each only when it applies: repeat periods, the deadline
/// legend, `n<20`, the zone of time buckets, the variance left out, and what falls short.
fn write_notes(
    report: &Report,
    dims: &[String],
    dropped_variance: bool,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    let width = style.width as usize;
    // `escaped`: the note holds data, so no line of it may pass for a workflow command.
    let mut note = |text: &str, first: usize, rest: usize, escaped: bool| -> io::Result<()> {
        for line in wrap(text, width, first, rest) {
            if escaped {
                writeln!(w, "{}", escape::line(&line))?;
            } else {
                writeln!(w, "{line}")?;
            }
        }
        Ok(())
    };
    // A repeat rate's customers and period, once per standard: without them its figure
    // cannot be read (and the default period is nowhere else in the table).
    let mut told: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in &report.standards {
        if let Some(words) = super::repeat_window(r).filter(|_| told.insert(&r.id)) {
            note(
                &format!("Repeat rate {}: {words}.", terminal(&r.id)),
                0,
                2,
                true,
            )?;
        }
    }
    if report.standards.iter().any(|r| r.lateness) {
        note("Deadline standards: median and p90 are lateness against the deadline (-2h = 2 hours early).", 0, 2, false)?;
    }
    if report.standards.iter().any(too_few) {
        let text = format!(
            "n<{TOO_FEW}: fewer than {TOO_FEW} decided cases in the group, too few to judge \
             (compliance_low and compliance_high in --format json or csv give its 95% interval)."
        );
        note(&text, 0, 2, false)?;
    }
    let time_dims: Vec<&str> = dims
        .iter()
        .map(String::as_str)
        .filter(|d| matches!(*d, "day" | "week" | "month"))
        .collect();
    if !time_dims.is_empty() {
        let what = match time_dims.as_slice() {
            ["day"] => "Days",
            ["week"] => "Weeks",
            ["month"] => "Months",
            _ => "Periods",
        };
        let zones = report
            .standards
            .iter()
            .map(|r| (r.id.as_str(), r.timezone.as_str()));
        note(&terminal(&zone_legend(what, zones)), 0, 2, true)?;
    }
    if dropped_variance {
        let text = format!(
            "Var. (pts) left out to fit {} columns: it is compliance minus target.",
            style.width
        );
        note(&text, 0, 2, false)?;
    }
    let short = super::shortfalls(report);
    if !short.is_empty() {
        writeln!(w, "Falling short:")?;
        for (who, words) in short {
            let line = format!("{who}: {words}");
            for line in wrap(&terminal(&line), width, 2, 4) {
                writeln!(w, "{}", escape::line(&line))?;
            }
        }
    }
    Ok(())
}

/// Columns `text` takes on a terminal: a CJK character takes two, a combining mark none.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Word-wraps `text` to `width` columns (display width): the first line indented by
/// `first`, the others by `rest`. A word longer than the line stays whole.
fn wrap(text: &str, width: usize, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split(' ') {
        let len = display_width(&line);
        if !empty && len + 1 + display_width(word) > width {
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

/// Attribute lines a breach gets when no `where` or `--columns` names the ones to show.
const ATTR_LINES: usize = 2;

/// `yardstick breaches`: one aligned line per breach (standard, case, start, time taken,
/// how far over), then its attributes as `name=value` on indented lines below, each pair
/// whole. The attributes shown are those the standard's `where` and `--columns` name; with
/// none named, as many as fit in two lines, then how many more there are (every one is in
/// the machine formats).
pub fn breaches(report: &BreachReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    if report.breaches.is_empty() {
        return writeln!(w, "No breaches.");
    }
    let width = style.width as usize;
    let header = ["Standard", "Case", "Started", "Took", "Over by"];
    let mut rows = Vec::new();
    let mut previous: Option<&str> = None;
    for b in &report.breaches {
        let case = match b.occurrence {
            Some(n) => format!("{} #{n}", b.case),
            None => b.case.clone(),
        };
        let took = match (b.elapsed_s, b.count, &b.required, &b.clock_stop) {
            (Some(e), _, _, Some(_)) => human(e),
            (Some(e), _, _, None) => format!("{}, open", human(e)),
            (None, Some(c), Some(r), _) => format!("{c} ({r})"),
            // A value standard: its number against its bounds.
            (None, None, Some(r), _) if b.value.is_some() => {
                format!("{} ({r})", super::number(b.value))
            }
            _ => String::new(),
        };
        // Wall-clock time in the standard's zone, to the minute; the machine formats carry
        // the full RFC 3339 time in UTC.
        let started = chrono::DateTime::parse_from_rfc3339(&b.clock_start)
            .map(|t| {
                t.with_timezone(&b.zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| b.clock_start.clone());
        // A standard's id heads its first breach only, as in the audit table.
        let id = terminal(heading(&mut previous, &b.standard)).into_owned();
        rows.push(vec![
            id,
            terminal(&case).into_owned(),
            terminal(&started).into_owned(),
            terminal(&took).into_owned(),
            match (b.over_by_s, b.outside) {
                (Some(o), _) => human(o),
                (None, Some((d, side))) => format!("{} {side}", super::compact_number(d)),
                _ => String::new(),
            },
        ]);
    }
    let (head, body, case_at) = grid(&header, &rows, 3, width);
    // Attributes sit under the case they belong to, unless that leaves them too narrow.
    let indent = if width.saturating_sub(case_at) >= 40 {
        case_at
    } else {
        2
    };
    for line in head {
        writeln!(w, "{}", escape::line(line.trim_end()))?;
    }
    for (b, lines) in report.breaches.iter().zip(body) {
        for line in lines {
            writeln!(w, "{}", escape::line(line.trim_end()))?;
        }
        if let Some(v) = &b.version {
            let dates = match (&v.effective_from, &v.effective_until) {
                (Some(f), Some(u)) => format!("from {f} until {u}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(u)) => format!("until {u}"),
                (None, None) => String::new(),
            };
            let line = format!(
                "{}judged by the version in force {dates} (line {})",
                " ".repeat(indent),
                v.line
            );
            writeln!(w, "{}", escape::line(&line))?;
        }
        for line in attribute_lines(b, report.shown.get(&b.standard), indent, width) {
            writeln!(w, "{}", escape::line(&line))?;
        }
    }
    writeln!(
        w,
        "{} breach{}",
        report.breaches.len(),
        if report.breaches.len() == 1 { "" } else { "es" }
    )
}

/// A breach's attributes as `name=value` pairs, two spaces apart, on lines indented by
/// `indent`.
/// `named` is the list to show (`where` and `--columns`); without one, every non-empty
/// attribute up to `ATTR_LINES` lines.
fn attribute_lines(
    b: &crate::report::Breach,
    named: Option<&Vec<String>>,
    indent: usize,
    width: usize,
) -> Vec<String> {
    let pair = |k: &str, v: &str| format!("{}={}", terminal(k), terminal(v));
    let (pairs, limit): (Vec<String>, Option<usize>) = match named.filter(|n| !n.is_empty()) {
        Some(names) => (
            names
                .iter()
                .filter_map(|n| b.attributes.0.iter().find(|(k, _)| k == n))
                .map(|(k, v)| pair(k, v))
                .collect(),
            None,
        ),
        None => (
            b.attributes
                .0
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| pair(k, v))
                .collect(),
            Some(ATTR_LINES),
        ),
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let indent = " ".repeat(indent);
    for (n, p) in pairs.iter().enumerate() {
        let fits = display_width(&line) + 2 + display_width(p) <= width;
        if !line.is_empty() && fits {
            line.push_str("  ");
            line.push_str(p);
        } else {
            if !line.is_empty() {
                if limit.is_some_and(|l| lines.len() + 1 >= l) {
                    // The last line allowed: say how many are left out, if that fits.
                    let more = format!("  (+{} more)", pairs.len() - n);
                    if display_width(&line) + display_width(&more) <= width {
                        line.push_str(&more);
                    } else {
                        lines.push(std::mem::take(&mut line));
                        line = format!("{indent}(+{} more)", pairs.len() - n);
                    }
                    lines.push(line);
                    return lines;
                }
                lines.push(std::mem::take(&mut line));
            }
            if indent.len() + display_width(p) <= width {
                line = format!("{indent}{p}");
            } else {
                // A pair longer than a line wraps at its spaces, never inside a word.
                let mut wrapped = wrap(p, width, indent.len(), indent.len() + 2);
                line = wrapped.pop().unwrap_or_default();
                lines.extend(wrapped);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays out a header and rows in aligned columns within `width`, as `fill` does for
/// comfy-table: the first `text_columns` are left-aligned and may wrap at spaces and after
/// hyphens, the others are right-aligned and keep their width. Returns the header's lines
/// (with the rule under it), each row's lines, and the column the second column starts at.
fn grid(
    header: &[&str],
    rows: &[Vec<String>],
    text_columns: usize,
    width: usize,
) -> (Vec<String>, Vec<Vec<String>>, usize) {
    let columns = header.len();
    let mut natural: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    let mut least: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            natural[i] = natural[i].max(display_width(cell));
            if i < text_columns {
                let piece = pieces(cell).map(display_width).max().unwrap_or(0);
                least[i] = least[i].max(piece);
            }
        }
    }
    let mut fitted = natural.clone();
    // One space between columns.
    let total = |f: &[usize]| f.iter().sum::<usize>() + columns - 1;
    while total(&fitted) > width {
        let Some(i) = (0..text_columns)
            .filter(|&i| fitted[i] > least[i])
            .max_by_key(|&i| (fitted[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        fitted[i] -= 1;
    }
    let lay = |cells: Vec<String>| -> Vec<String> {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < text_columns {
                    wrap_cell(c, fitted[i])
                        .lines()
                        .map(str::to_string)
                        .collect()
                } else {
                    vec![c.clone()]
                }
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (0..height)
            .map(|k| {
                let mut line = String::new();
                for (i, cell) in wrapped.iter().enumerate() {
                    let piece = cell.get(k).map(String::as_str).unwrap_or("");
                    let pad = " ".repeat(fitted[i].saturating_sub(display_width(piece)));
                    if i > 0 {
                        line.push(' ');
                    }
                    if i < text_columns {
                        line.push_str(piece);
                        line.push_str(&pad);
                    } else {
                        line.push_str(&pad);
                        line.push_str(piece);
                    }
                }
                line
            })
            .collect()
    };
    let mut head = lay(header.iter().map(|h| h.to_string()).collect());
    head.push("─".repeat(total(&fitted)));
    let body = rows.iter().map(|r| lay(r.clone())).collect();
    (head, body, fitted[0] + 1)
}

pub fn counts(report: &BreachCounts, style: Style, w: &mut dyn Write) -> io::Result<()> {
    if report.counts.is_empty() {
        return writeln!(w, "No breaches.");
    }
    let mut t = new_table(style);
    let mut header = vec![Cell::new("Standard")];
    header.extend(report.by.iter().map(|c| text(c)));
    header.extend([right("Breaches"), right("Share")]);
    let mut rows = Vec::new();
    let mut previous: Option<&str> = None;
    for c in &report.counts {
        let id = heading(&mut previous, &c.standard);
        let mut cells = vec![text(id)];
        cells.extend(
            c.group
                .0
                .iter()
                .map(|(_, v)| text(if v.is_empty() { "(empty)" } else { v })),
        );
        cells.extend([right(c.breaches), right(super::share(c.share))]);
        rows.push(cells);
    }
    fill(&mut t, header, rows, 1 + report.by.len(), style.width);
    write_trimmed(w, &t)
}

pub fn trend(report: &TrendReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let mut t = new_table(style);
    let header = vec![
        Cell::new("Standard"),
        Cell::new("Period"),
        right("Compli-\nance"),
        right("Target"),
        right("Change\n(pts)"),
        right("Met/Br/\nOpen"),
        right("Error budget\nused"),
    ];
    let mut rows = Vec::new();
    let mut previous: Option<&str> = None;
    for r in &report.trend {
        let id = heading(&mut previous, &r.id);
        let mut change = Cell::new(super::change(r)).set_alignment(CellAlignment::Right);
        if style.color {
            change = match r.direction {
                Some("up") => change.fg(Color::Green),
                Some("down") => change.fg(Color::Red),
                _ => change,
            };
        }
        rows.push(vec![
            text(id),
            // The current period is not over: its figures may still change.
            text(&if r.partial {
                format!("{}*", r.period)
            } else {
                r.period.clone()
            }),
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
    fill(&mut t, header, rows, 2, style.width);
    write_trimmed(w, &t)?;
    let legend = "Error budget used: breaches of floor((100 - target)% x decided cases) allowed.";
    for line in wrap(legend, style.width as usize, 0, 2) {
        writeln!(w, "{line}")?;
    }
    if report.trend.iter().any(|r| r.partial) {
        let legend = "*: partial, the period runs past the as-of (its figures may still change).";
        for line in wrap(legend, style.width as usize, 0, 2) {
            writeln!(w, "{line}")?;
        }
    }
    let zones = report
        .trend
        .iter()
        .map(|r| (r.id.as_str(), r.timezone.as_str()));
    for line in wrap(
        &terminal(&zone_legend("Periods", zones)),
        style.width as usize,
        0,
        2,
    ) {
        writeln!(w, "{}", escape::line(&line))?;
    }
    Ok(())
}

/// Which zone the periods were cut in: one zone in a few words, several with the standards
/// of each (in the order of the rows), so that a reader comparing two standards' weeks knows
/// they are not the same weeks.
fn zone_legend<'a>(what: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut zones: Vec<(&str, Vec<&str>)> = Vec::new();
    for (id, zone) in rows {
        match zones.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, ids)) => {
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
            None => zones.push((zone, vec![id])),
        }
    }
    match zones.as_slice() {
        [(zone, _)] => format!("{what} in {zone} time."),
        _ => {
            let each: Vec<String> = zones
                .iter()
                .map(|(zone, ids)| format!("{zone} ({})", ids.join(", ")))
                .collect();
            format!("{what} in each standard's time zone: {}.", each.join("; "))
        }
    }
}
