//! GitHub-flavoured Markdown tables, numbers rounded for reading. Values are escaped so that
//! they stay text in their cell (see `escape`).

use std::io::{self, Write};

// Values from the logs and the standards go through `cell` (or `code` in a code span); the
// words and numbers yardstick writes itself hold no `|`, markup or line break and go as they
// are.
use super::escape::{markdown_cell as cell, markdown_code as code};
use super::{compliance, group_text, level_short, median, p90, status, variance};
use crate::report::{BreachCounts, BreachReport, Report, TrendReport};
use crate::time::duration::human;

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let grouped = report.standards.iter().any(|r| r.group.is_some());
    let g = if grouped { " Group |" } else { "" };
    let gs = if grouped { "---|" } else { "" };
    writeln!(w, "| Standard | Title |{g} Level | Target | Compliance | Met | Breached | Open | Median | p90 | Variance | Status |")?;
    writeln!(
        w,
        "|---|---|{gs}---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )?;
    for r in &report.standards {
        let group = if grouped {
            format!(" {} |", cell(&group_text(r)))
        } else {
            String::new()
        };
        writeln!(
            w,
            "| {} | {} |{group} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.id),
            cell(&super::dated_title(r)),
            level_short(r),
            super::target(r),
            compliance(r),
            r.met,
            r.breached,
            r.open,
            median(r),
            p90(r),
            variance(r),
            status(r),
        )?;
    }
    // A repeat rate's customers and period, once per standard (the row's figure needs them).
    let mut told = std::collections::HashSet::new();
    for r in &report.standards {
        if let Some(words) = super::repeat_window(r).filter(|_| told.insert(&r.id)) {
            writeln!(w)?;
            writeln!(w, "Repeat rate `{}`: {}.", code(&r.id), cell(&words))?;
        }
    }
    let short = super::shortfalls(report);
    if !short.is_empty() {
        writeln!(w)?;
        writeln!(w, "**Falling short**")?;
        writeln!(w)?;
        for (who, words) in short {
            writeln!(w, "- `{}`: {words}", code(&who))?;
        }
    }
    Ok(())
}

pub fn breaches(report: &BreachReport, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "| Standard | Case | Started | Stopped | Elapsed | Over by | Attributes |"
    )?;
    writeln!(w, "|---|---|---|---|---:|---:|---|")?;
    for b in &report.breaches {
        let attrs = b
            .attributes
            .0
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&b.standard),
            cell(&match b.occurrence {
                Some(n) => format!("{} #{n}", b.case),
                None => b.case.clone(),
            }),
            b.clock_start,
            b.clock_stop.as_deref().unwrap_or(""),
            b.elapsed_s
                .map(human)
                .or_else(|| b.count.map(|c| format!("{c} events")))
                .or_else(|| b.value.map(|_| format!(
                    "{} ({})",
                    super::number(b.value),
                    b.required.as_deref().unwrap_or("")
                )))
                .unwrap_or_default(),
            b.over_by_s.map(human).unwrap_or_default(),
            cell(&attrs),
        )?;
    }
    Ok(())
}

pub fn counts(report: &BreachCounts, w: &mut dyn Write) -> io::Result<()> {
    let by: Vec<String> = report.by.iter().map(|c| cell(c)).collect();
    writeln!(w, "| Standard | {} | Breaches | Share |", by.join(" | "))?;
    writeln!(w, "|---|{}---:|---:|", "---|".repeat(by.len()))?;
    for c in &report.counts {
        let values: Vec<String> = c
            .group
            .0
            .iter()
            .map(|(_, v)| cell(if v.is_empty() { "(empty)" } else { v }))
            .collect();
        writeln!(
            w,
            "| {} | {} | {} | {} |",
            cell(&c.standard),
            values.join(" | "),
            c.breaches,
            super::share(c.share)
        )?;
    }
    Ok(())
}

pub fn trend(report: &TrendReport, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "| Standard | Period | Compliance | Target | Change | Met | Breached | Open | Error budget used |"
    )?;
    writeln!(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|")?;
    for r in &report.trend {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.id),
            // The running period: its figures may still change.
            if r.partial {
                format!("{} (partial)", r.period)
            } else {
                r.period.clone()
            },
            r.compliance
                .map_or_else(|| "no data".to_string(), super::percent),
            super::target_text(r.target, r.target_max),
            super::change(r),
            r.met,
            r.breached,
            r.open,
            super::budget(r),
        )?;
    }
    Ok(())
}
