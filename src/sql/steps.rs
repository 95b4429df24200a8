//! How the query's steps (its CTEs) are written one after the other: each with the hint
//! its dialect gives a step read by that many later steps (`Dialect::cte`). Knows
//! nothing of what a step computes, only which later text names it.

use super::Dialect;

/// The CTEs `ctes`, in order, as the list after `WITH`, each with its dialect's hint for
/// how many times the later CTEs and `tail` (the final `SELECT`) name it.
pub fn write(d: Dialect, ctes: &[(String, String)], tail: &str) -> String {
    let parts: Vec<String> = ctes
        .iter()
        .enumerate()
        .map(|(i, (name, body))| {
            let later = ctes[i + 1..].iter().map(|(_, b)| b.as_str());
            let n: usize = later.chain([tail]).map(|text| reads(name, text)).sum();
            d.cte(name, body, n)
        })
        .collect();
    parts.join(",\n")
}

/// How many times `text` names the step `name`: as a whole word (a CTE is named by a bare
/// identifier; `tickets_attr_1` is not in `tickets_attr_10`). A comment or a literal that
/// happens to hold the name counts too, which only keeps a step computed once.
fn reads(name: &str, text: &str) -> usize {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_counted_as_a_whole_word() {
        assert_eq!(reads("t_attr_1", "FROM t_attr_1 a JOIN t_attr_10 b"), 1);
        assert_eq!(reads("t_rows", "FROM t_rows, t_rows r2 WHERE x_t_rows"), 2);
        assert_eq!(reads("t_rows", "t_rows"), 1);
    }

    #[test]
    fn duckdb_inlines_a_step_read_once_and_computes_the_others_once() {
        let ctes = vec![
            ("a".to_string(), "  SELECT 1 AS x".to_string()),
            ("b".to_string(), "  SELECT x FROM a".to_string()),
            ("c".to_string(), "  SELECT * FROM b, b b2".to_string()),
        ];
        assert_eq!(
            write(Dialect::Duckdb, &ctes, "SELECT * FROM c"),
            "a AS NOT MATERIALIZED (\n  SELECT 1 AS x\n),\nb AS MATERIALIZED (\n  SELECT x FROM a\n),\nc AS NOT MATERIALIZED (\n  SELECT * FROM b, b b2\n)"
        );
        assert_eq!(
            write(Dialect::Postgres, &ctes, "SELECT * FROM c"),
            "a AS MATERIALIZED (\n  SELECT 1 AS x\n),\nb AS MATERIALIZED (\n  SELECT x FROM a\n),\nc AS MATERIALIZED (\n  SELECT * FROM b, b b2\n)"
        );
        assert_eq!(
            write(Dialect::Bigquery, &ctes, "SELECT * FROM c"),
            "a AS (\n  SELECT 1 AS x\n),\nb AS (\n  SELECT x FROM a\n),\nc AS (\n  SELECT * FROM b, b b2\n)"
        );
    }
}
