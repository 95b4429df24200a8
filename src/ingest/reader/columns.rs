//! A file's header resolved to `Columns`, in steps: the missing columns named at once, the
//! layout's own columns, derived milestones, value columns, attributes (fixed by the first
//! file), deadline columns and promises. Knows header names and the source's definition, not
//! rows.

use hashbrown::HashTable;

use crate::error::{Error, Result};
use crate::ingest::dates;
use crate::ingest::header::{self, find, positions, unique_names};
use crate::ingest::DeadlineRef;
use crate::standards::Layout;

use super::Reader;

/// A milestone column of the cases layout.
pub(in crate::ingest) struct Milestone {
    pub(in crate::ingest) pos: usize,
    /// Wanted event id, or None when no standard reads it as an event.
    pub(in crate::ingest) wanted: Option<u16>,
    /// The source declares it a deadline (`deadlines`): a promise, not something that happened.
    pub(in crate::ingest) promised: bool,
    /// A standard reads it as its deadline (`by`).
    pub(in crate::ingest) by: bool,
}

/// Column positions in one file's header.
pub(in crate::ingest) struct Columns {
    pub(in crate::ingest) case: usize,
    pub(in crate::ingest) time: Option<usize>,
    pub(in crate::ingest) event: Option<usize>,
    pub(in crate::ingest) milestones: Vec<Milestone>,
    /// Attribute column positions, in `attr_columns` order.
    pub(in crate::ingest) attrs: Vec<usize>,
    /// Deadline column positions, in `Case::deadlines` order.
    pub(in crate::ingest) deadlines: Vec<usize>,
    /// Milestones that are another's time plus a duration column, in `Source::derived` order.
    pub(in crate::ingest) derived: Vec<DerivedColumn>,
    /// Number columns of value standards, in `SourceData::value_needs` order.
    pub(in crate::ingest) values: Vec<ValueColumn>,
    pub(in crate::ingest) width: usize,
}

/// Where a value standard's number column is in one file's header, and on which rows it is
/// read.
pub(in crate::ingest) struct ValueColumn {
    /// `usize::MAX`: the file lacks it (no selected standard reads it).
    pub(in crate::ingest) pos: usize,
    /// Read on the rows of these events only, the first in time counting; `every_row`: on
    /// every row, the latest number in file order counting.
    pub(in crate::ingest) on: Vec<u16>,
    pub(in crate::ingest) every_row: bool,
    pub(in crate::ingest) name: String,
    /// A selected standard reads it: its cells that are not numbers are worth a warning.
    pub(in crate::ingest) warn: bool,
}

/// Where a derived milestone's columns are in one file's header.
pub(in crate::ingest) struct DerivedColumn {
    /// The duration column.
    pub(in crate::ingest) pos: usize,
    /// The column of the milestone it follows.
    pub(in crate::ingest) after: usize,
    pub(in crate::ingest) wanted: Option<u16>,
}

impl Reader<'_> {
    /// Resolves the header of one file; the first file fixes the attribute columns.
    pub(in crate::ingest) fn columns(&mut self, headers: &[String], path: &str) -> Result<Columns> {
        self.check_missing(headers, path)?;
        let case = find(headers, &self.source.case, path, "the case id, `case`")?;
        // Every column the source reads as other than an attribute.
        let mut taken = vec![case];
        let (time, event, mut milestones) = self.layout_columns(headers, path, &mut taken)?;
        let derived = self.derived_columns(headers, path, &mut taken)?;
        let values = self.value_columns(headers, path, &mut taken)?;
        let named = unique_names(headers);
        self.check_attribute_columns(&named, &taken, &values, path)?;
        let deadlines = self.deadline_positions(headers, path)?;
        self.resolve_promises();
        if let Layout::Cases { milestones: named } = &self.source.layout {
            for (m, (_, col)) in milestones.iter_mut().zip(named) {
                m.by = self.deadline_columns.contains(col);
            }
        }
        if self.data.inputs.is_empty() {
            self.fix_attributes(&named, &taken);
        }
        // Later files may order their columns differently; attributes are matched by name, and
        // an attribute a later file lacks stays empty for its rows.
        let attrs = positions(&named, &self.data.attr_columns);
        Ok(Columns {
            case,
            time,
            event,
            milestones,
            attrs,
            deadlines,
            derived,
            values,
            width: headers.len(),
        })
    }

    /// Every column the source reads that the export lacks, named at once (with a preset's
    /// own wording, as a preset names many columns).
    fn check_missing(&self, headers: &[String], path: &str) -> Result<()> {
        let src = self.source;
        if let Some(preset) = &src.preset {
            let missing = src
                .columns_read()
                .filter(|c| !headers.iter().any(|h| h == *c));
            let missing: Vec<String> = missing.map(|c| format!("{c:?}")).collect();
            if !missing.is_empty() {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "missing column{} {} of preset {preset:?} (`yardstick presets {preset}` lists what it reads); name the export's own columns in the source table to override the preset's",
                        if missing.len() == 1 { "" } else { "s" },
                        missing.join(", ")
                    ),
                });
            }
        }
        let read: Vec<&str> = src.columns_read().collect();
        match header::missing_columns(headers, &read, path) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The layout's own columns: time and event (events, threads), or the milestones (cases).
    #[allow(clippy::type_complexity)] // three parts of one header, named where they are used
    fn layout_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<(Option<usize>, Option<usize>, Vec<Milestone>)> {
        let src = self.source;
        Ok(match &src.layout {
            Layout::Events { time, event, .. } | Layout::Threads { time, event, .. } => {
                let t = find(headers, time, path, "the event time, `time`")?;
                let e = find(headers, event, path, "the event name, `event`")?;
                taken.extend([t, e]);
                if let Layout::Threads { reply_to, .. } = &src.layout {
                    taken.push(find(
                        headers,
                        reply_to,
                        path,
                        "the message answered, `reply_to`",
                    )?);
                }
                (Some(t), Some(e), Vec::new())
            }
            Layout::Cases { milestones } => {
                let mut out = Vec::new();
                for (name, col) in milestones {
                    let i = find(headers, col, path, &format!("milestone {name:?}"))?;
                    taken.push(i);
                    out.push(Milestone {
                        pos: i,
                        wanted: self.data.event_id(name),
                        promised: src.deadlines.contains(col),
                        by: false,
                    });
                }
                (None, None, out)
            }
        })
    }

    /// Milestones that are another's time plus a duration column.
    fn derived_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<Vec<DerivedColumn>> {
        let mut derived = Vec::new();
        for d in &self.source.derived {
            let why = format!("the duration of milestone {:?}", d.name);
            let pos = find(headers, &d.column, path, &why)?;
            taken.push(pos);
            derived.push(DerivedColumn {
                pos,
                after: find(headers, &d.after_column, path, &why)?,
                wanted: self.data.event_id(&d.name),
            });
        }
        Ok(derived)
    }

    /// Number columns of value standards: read as numbers, never kept as attributes.
    fn value_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<Vec<ValueColumn>> {
        let mut values = Vec::new();
        for need in &self.needs.values {
            let pos = if need.required {
                let why = format!("the value of standard {:?}", need.standard);
                find(headers, &need.column, path, &why)?
            } else {
                headers
                    .iter()
                    .position(|h| *h == need.column)
                    .unwrap_or(usize::MAX)
            };
            if pos != usize::MAX {
                taken.push(pos);
            }
            values.push(ValueColumn {
                pos,
                on: need
                    .on
                    .iter()
                    .filter_map(|e| self.data.event_id(e))
                    .collect(),
                every_row: need.on.is_empty(),
                name: need.column.clone(),
                warn: need.required,
            });
        }
        Ok(values)
    }

    /// Attribute columns (where, --by, calendar.by), found by their unique names: each must
    /// be one the source does not read as something else.
    fn check_attribute_columns(
        &self,
        named: &[String],
        taken: &[usize],
        values: &[ValueColumn],
        path: &str,
    ) -> Result<()> {
        let others = || -> Vec<String> {
            named
                .iter()
                .enumerate()
                .filter(|(k, h)| !taken.contains(k) && !h.is_empty())
                .map(|(_, h)| format!("{h:?}"))
                .collect()
        };
        for (col, why) in &self.needs.columns {
            let i = find(named, col, path, why)?;
            // A value standard's number column: say so, and whose.
            if let Some(k) = values.iter().position(|v| v.pos == i) {
                let others = others();
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) holds the numbers of value standard {:?} \
                         (`value = {col:?}`), read as numbers, not as an attribute; `where`, --by \
                         and `calendar.by` take the other columns: {}",
                        self.needs.values[k].standard,
                        if others.is_empty() {
                            "this log has none".to_string()
                        } else {
                            others.join(", ")
                        }
                    ),
                });
            }
            if taken.contains(&i) {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) is one the source reads as its case, time, event \
                         or a milestone, not an attribute; `where`, --by and `calendar.by` take \
                         the other columns: {}",
                        others().join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Deadlines: a milestone (cases), a column, or else an event (events layout), as the
    /// first file decides; a later file without an events-layout deadline column has no
    /// deadline values (its position stays usize::MAX). The positions, in
    /// `deadline_columns` order.
    fn deadline_positions(&mut self, headers: &[String], path: &str) -> Result<Vec<usize>> {
        let src = self.source;
        let mut deadlines = vec![usize::MAX; self.deadline_columns.len()];
        for by in self.needs.deadlines.clone() {
            let known = self.data.deadline_by.get(&by).copied();
            let column = match (known, &src.layout) {
                (Some(DeadlineRef::Event(_)), _) => None,
                (Some(DeadlineRef::Column(idx)), _) => Some(self.deadline_columns[idx].clone()),
                (None, Layout::Cases { milestones }) => Some(
                    milestones
                        .iter()
                        .find(|(m, _)| *m == by)
                        .map(|(_, c)| c.clone())
                        .unwrap_or_else(|| by.clone()),
                ),
                (None, Layout::Events { .. } | Layout::Threads { .. }) => {
                    headers.contains(&by).then(|| by.clone())
                }
            };
            let reference = match column {
                Some(col) => {
                    let why = format!("the deadline `by = {by:?}`");
                    let pos = match &src.layout {
                        Layout::Cases { .. } => Some(find(headers, &col, path, &why)?),
                        _ if headers.contains(&col) => Some(find(headers, &col, path, &why)?),
                        _ => None,
                    };
                    let idx = self.deadline_column(&col);
                    if deadlines.len() <= idx {
                        deadlines.resize(idx + 1, usize::MAX);
                    }
                    if let Some(pos) = pos {
                        deadlines[idx] = pos;
                    }
                    DeadlineRef::Column(idx)
                }
                None => DeadlineRef::Event(self.deadline_event(&by)),
            };
            self.data.deadline_by.insert(by, reference);
        }
        Ok(deadlines)
    }

    /// The index of deadline column `col`, added (with its dates rule) when new.
    fn deadline_column(&mut self, col: &str) -> usize {
        if let Some(i) = self.deadline_columns.iter().position(|c| c == col) {
            return i;
        }
        self.deadline_columns.push(col.to_string());
        let src = self.source;
        self.dates.push(dates::Column::new(
            col,
            &src.date_columns,
            &src.time_columns,
        ));
        self.deadline_columns.len() - 1
    }

    /// The event id of a deadline read as an event, added when no standard reads it.
    fn deadline_event(&mut self, by: &str) -> u16 {
        if let Some(e) = self.data.event_id(by) {
            return e;
        }
        self.data.event_names.push(by.to_string());
        self.data.event_counts.push(0);
        let e = (self.data.event_names.len() - 1) as u16;
        if !self.event_lookup.contains_key(by.as_bytes()) {
            self.event_lookup.insert(by.as_bytes().into(), e);
        }
        e
    }

    /// A promised time is read from a column only (a missing one is a missing column).
    fn resolve_promises(&mut self) {
        self.promise_specs = self
            .needs
            .promises
            .iter()
            .filter_map(|(by, each)| match self.data.deadline_by.get(by) {
                Some(&DeadlineRef::Column(k)) => Some((
                    k,
                    each.iter().filter_map(|e| self.data.event_id(e)).collect(),
                )),
                _ => None,
            })
            .collect();
    }

    /// The first file's attribute columns: every column not taken (a name used twice in the
    /// header: the second attribute is "name_2", and so on).
    fn fix_attributes(&mut self, named: &[String], taken: &[usize]) {
        self.data.attr_columns = named
            .iter()
            .enumerate()
            // Unnamed columns (a spreadsheet's or pandas' row index) are not attributes.
            .filter(|(i, h)| !taken.contains(i) && !h.is_empty())
            .filter(|(_, h)| {
                !self.needs.named_attributes_only || self.needs.columns.iter().any(|(c, _)| c == *h)
            })
            .map(|(_, h)| h.clone())
            .collect();
        self.data.attr_values = vec![vec!["".into()]; self.data.attr_columns.len()];
        self.attr_lookup = vec![HashTable::new(); self.data.attr_columns.len()];
    }
}
