//! The numbers of value standards in SQL, read as the native reader reads them
//! (`ingest::reader::number` and `Reader::add_to_case`): which cell counts for a case, what
//! parses as a number, and what is "not a number". Knows the source only by its rows CTE.
//!
//! - A cell is trimmed and nulled as every cell (`source::nul`); an empty cell on an `on`
//!   row leaves the case without a number, elsewhere it is no news.
//! - A number is what Rust's `f64` parser takes and gives finite: `3`, `4.5`, `-2`, `.5`,
//!   `3.`, `+1E3` (no thousands separators, no `inf` or `NaN`); `1e400` rounds to infinity and
//!   is not a number, `1e-400` rounds to 0 and is one. The engines' casts would round the
//!   same text the same (correctly), but raise an error (PostgreSQL) or give infinity (DuckDB)
//!   out of range, so the query decides the range from the text first: the decimal exponent
//!   of the first significant digit against the halfway points of the largest double and of
//!   0 and the smallest, whose digits are below.
//! - `on`: the row of the case's first such event (earliest time; at one instant, the first
//!   by `--row-order`); without `on`: the latest non-empty cell (by time, then `--row-order`,
//!   as attributes). A row after the given as-of gives no number.

use super::expr::Side;
use super::Dialect;

/// The significant digits of 2^1024 - 2^970, halfway between the largest finite double and
/// 2^1024: a number at or above it (decimal exponent 308) rounds to infinity.
const HALF_PAST_MAX: &str = concat!(
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017",
    "977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273",
    "854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704",
    "342711559699508093042880177904174497792"
);

/// The significant digits of 2^-1075, halfway between 0 and the smallest double: a number
/// at or below it (decimal exponent -324) rounds to 0.
const HALF_TO_MIN: &str = concat!(
    "247032822920623272088284396434110686182529901307162382212792841250337753635104375932649918",
    "180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922",
    "908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692",
    "699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740",
    "064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689",
    "513405355374585166611342237666786041621596804619144672918403005300575308490487653917113865",
    "916462395249126236538818796362393732804238910186723484976682350898633885879256283027559956",
    "575244555072551893136908362547791869486679949683240497058210285131854513962138377228261454",
    "37693412532098591327667236328125"
);

/// The grammar of a number cell: Rust's `f64` grammar without `inf` and `NaN`.
const NUMBER: &str = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$";

/// A number column a selected value standard reads: the cell's column in the rows CTE, and
/// the events whose rows it is read on (empty: every row).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub column: String,
    pub on: Vec<String>,
}

/// The CTE `name` of the number that counts for each case: `case_id`, `num` (a double, NULL
/// without one) and `not_a_number` (the cell that counts holds text). `cell` is the need's
/// column in `rows`, `cut` the as-of after which no row counts (none: every row), `latest`
/// the order that makes a row the latest (as for attributes).
pub fn cte(
    d: Dialect,
    name: &str,
    rows: &str,
    cell: &str,
    need: &Need,
    cut: Option<i64>,
    latest: &str,
) -> (String, String) {
    let (which, filter, order) = if need.on.is_empty() {
        (
            "the latest non-empty cell".to_string(),
            format!("{cell} IS NOT NULL{}", cut_at("first_t", cut)),
            format!("{latest}, {cell} DESC"),
        )
    } else {
        (
            format!(
                "the cell on the row of the case's first {}",
                need.on.join("|")
            ),
            format!("{}{}", d.is_in("event", &need.on), cut_at("t_1", cut)),
            format!("t_1, row_order NULLS LAST, {cell} DESC NULLS LAST"),
        )
    };
    let picked = format!(
        "SELECT case_id, {cell} AS x\n                                FROM (SELECT case_id, {cell}, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY {order}) AS rn\n                                      FROM {rows}\n                                      WHERE used AND {filter}) r\n                                WHERE rn = 1"
    );
    let float = d.float();
    let (sig, e) = digits(d);
    let body = format!(
        "  -- the number in {} of each case: {which}; text that is not a number leaves the case none (\"not a number\")\n  SELECT case_id,\n         CASE kind WHEN 'number' THEN CAST(x AS {float}) + CAST(0 AS {float}) WHEN 'zero' THEN CAST(0 AS {float}) END AS num,\n         COALESCE(kind = 'text', FALSE) AS not_a_number\n  FROM (SELECT case_id, x, {} AS kind\n        FROM (SELECT case_id, x, shape, exp_negative, {sig} AS sig, {e} AS e\n              FROM (SELECT case_id, x, shape,\n                           {}\n                    FROM (SELECT case_id, x, {} AS shape\n                          FROM ({picked}) p) s) q) r) v",
        need.column.replace(['\n', '\r'], " "),
        kind(d),
        parts(d).join(",\n                           "),
        d.matches("x", NUMBER),
    );
    (name.to_string(), body)
}

fn cut_at(column: &str, cut: Option<i64>) -> String {
    cut.map_or_else(String::new, |t| format!(" AND {column} <= {t}"))
}

/// The parts of a cell of the number shape (NULL otherwise, so that no cast sees other
/// text): the integer digits without leading zeros, the fraction digits, the exponent's
/// digits without leading zeros and its sign.
fn parts(d: Dialect) -> Vec<String> {
    let when = |e: &str| format!("CASE WHEN shape THEN {e} END");
    let unsigned = "regexp_replace(regexp_replace(x, '[eE].*$', ''), '^[+-]', '')";
    let exponent = "regexp_replace(x, '^[^eE]*[eE]?', '')";
    vec![
        format!(
            "{} AS int_digits",
            when(&d.trim_zeros(
                &format!("regexp_replace({unsigned}, '[.].*$', '')"),
                Side::Leading
            ))
        ),
        format!(
            "{} AS frac_digits",
            when(&format!("regexp_replace({unsigned}, '^[^.]*[.]?', '')"))
        ),
        format!(
            "{} AS exp_digits",
            when(&d.trim_zeros(
                &format!("regexp_replace({exponent}, '^[+-]', '')"),
                Side::Leading
            ))
        ),
        format!(
            "{} AS exp_negative",
            when(&format!("SUBSTR({exponent}, 1, 1) = '-'"))
        ),
    ]
}

/// The significant digits (no leading or trailing zeros) and the decimal exponent of the
/// first of them, NULL for an exponent of seven digits or more (whose cast could overflow).
fn digits(d: Dialect) -> (String, String) {
    let sig = d.trim_zeros(
        &d.trim_zeros("int_digits || frac_digits", Side::Leading),
        Side::Trailing,
    );
    let lead = format!(
        "(CASE WHEN int_digits <> '' THEN LENGTH(int_digits) - 1 ELSE LENGTH({}) - LENGTH(frac_digits) - 1 END)",
        d.trim_zeros("frac_digits", Side::Leading)
    );
    let written = "(CASE WHEN exp_digits = '' THEN 0 WHEN exp_negative THEN -CAST(exp_digits AS BIGINT) ELSE CAST(exp_digits AS BIGINT) END)";
    let e = format!("CASE WHEN LENGTH(exp_digits) <= 6 THEN {lead} + {written} END");
    (sig, e)
}

/// `number`, `zero` (a number that rounds to 0), `text` (not a number), or NULL (no cell).
fn kind(d: Dialect) -> String {
    let sig = d.bytewise("sig");
    format!(
        "CASE WHEN x IS NULL THEN NULL\n                     WHEN NOT shape THEN 'text'\n                     WHEN sig = '' THEN 'zero'\n                     WHEN e IS NULL THEN (CASE WHEN exp_negative THEN 'zero' ELSE 'text' END)\n                     WHEN e > 308 OR (e = 308 AND {sig} >= {}) THEN 'text'\n                     WHEN e < -324 OR (e = -324 AND {sig} <= {}) THEN 'zero'\n                     ELSE 'number' END",
        d.lit(HALF_PAST_MAX),
        d.lit(HALF_TO_MIN),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits are those of the halfway points: just below rounds to the finite side,
    /// at them to infinity (ties to even) and to 0.
    #[test]
    fn the_halfway_digits_are_where_rust_rounds() {
        let at = |digits: &str, exp: i32| format!("0.{digits}e{}", exp + 1);
        let below_max = format!("{}{}", &HALF_PAST_MAX[..HALF_PAST_MAX.len() - 1], "0");
        assert_eq!(
            at(HALF_PAST_MAX, 308).parse::<f64>().unwrap(),
            f64::INFINITY
        );
        assert_eq!(at(&below_max, 308).parse::<f64>().unwrap(), f64::MAX);
        assert_eq!(at(HALF_TO_MIN, -324).parse::<f64>().unwrap(), 0.0);
        let above_min = format!("{HALF_TO_MIN}1");
        assert_eq!(at(&above_min, -324).parse::<f64>().unwrap(), 5e-324);
        assert!(!HALF_PAST_MAX.ends_with('0') && !HALF_TO_MIN.ends_with('0'));
    }
}
