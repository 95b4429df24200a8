//! Header lines: column names found by name (with a "did you mean" for a near miss), made
//! unique for attributes (`name`, `name_2`, ...), and positions by name, each in time linear
//! in the header's width.

use crate::error::{Error, Result};

pub(crate) fn find(headers: &[String], name: &str, path: &str, why: &str) -> Result<usize> {
    let mut hits = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| *h == name)
        .map(|(i, _)| i);
    match (hits.next(), hits.next()) {
        (Some(i), None) => Ok(i),
        (Some(_), Some(_)) => Err(Error::Input {
            path: path.to_string(),
            message: format!("column {name:?} ({why}) appears more than once in the header; rename one of them in the export"),
        }),
        (None, _) => {
            let near = headers
                .iter()
                .find(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                .map(|h| format!(" (did you mean {h:?}?)"))
                .unwrap_or_default();
            Err(Error::Input {
                path: path.to_string(),
                message: format!(
                    "missing column {name:?} ({why}){near}; the header has: {}",
                    headers.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ")
                ),
            })
        }
    }
}

/// Every one of `names` the header lacks, in one error (`None` when fewer than two are
/// missing: one is told by [`find`], with its role).
pub(crate) fn missing_columns(headers: &[String], names: &[&str], path: &str) -> Option<Error> {
    let mut missing: Vec<&str> = Vec::new();
    for &n in names {
        if !headers.iter().any(|h| h == n) && !missing.contains(&n) {
            missing.push(n);
        }
    }
    if missing.len() < 2 {
        return None;
    }
    let named: Vec<String> = missing
        .iter()
        .map(|name| {
            let near = headers
                .iter()
                .find(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                .map(|h| format!(" (did you mean {h:?}?)"))
                .unwrap_or_default();
            format!("{name:?}{near}")
        })
        .collect();
    Some(Error::Input {
        path: path.to_string(),
        message: format!(
            "missing columns {}; the header has: {}",
            named.join(", "),
            headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Header names made unique for attributes: a name's second use becomes `name_2`, its third
/// `name_3` (unless the header already has such a name). Maps, not scans of the header, so
/// that a header of 100,000 columns is resolved in linear time.
pub(crate) fn unique_names(headers: &[String]) -> Vec<String> {
    // First every name of the header, each use past the first marked for later: a generated
    // name must not be one the header has further on.
    let mut in_header: hashbrown::HashSet<&str> = hashbrown::HashSet::with_capacity(headers.len());
    let mut out: Vec<String> = Vec::with_capacity(headers.len());
    let mut again = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if !in_header.insert(h.as_str()) && !h.is_empty() {
            again.push(i);
        }
        out.push(h.clone());
    }
    // Then the names used again, in header order. A generated name is never a header's name,
    // so it cannot change the names of the first uses.
    let mut generated: hashbrown::HashSet<String> = hashbrown::HashSet::new();
    // Per name used more than once, the last suffix it took: a suffix passed over once stays
    // taken (names are only added), so the next use tries from the one after it.
    let mut last_suffix: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::new();
    for i in again {
        let h = headers[i].as_str();
        let k = last_suffix.entry(h).or_insert(1);
        out[i] = loop {
            *k += 1;
            let name = format!("{h}_{k}");
            if !in_header.contains(name.as_str()) && !generated.contains(&name) {
                break name;
            }
        };
        generated.insert(out[i].clone());
    }
    out
}

/// Where each of `names` is in `named` (its first place), or `usize::MAX` when it is not
/// there: one map of the header instead of a scan of it per name.
pub(crate) fn positions(named: &[String], names: &[String]) -> Vec<usize> {
    let mut at: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::with_capacity(named.len());
    for (i, h) in named.iter().enumerate() {
        at.entry(h.as_str()).or_insert(i);
    }
    names
        .iter()
        .map(|n| at.get(n.as_str()).copied().unwrap_or(usize::MAX))
        .collect()
}
