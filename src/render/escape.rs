//! Escaping, in one place: how a value read from a log or a standards file is made inert for
//! each reader it reaches (a terminal or CI log, HTML, XML, Markdown, GitHub workflow commands,
//! a spreadsheet). It knows characters and the rules of those readers, nothing of reports.
//!
//! # The visible form of a control character
//!
//! Wherever a terminal or a CI log shows a value (the table, `explain`, every diagnostic on
//! stderr), each control character is written as Rust's `{:?}` writes it, which is also the
//! form the messages that quote values with `{:?}` already use, so a reader meets one form:
//!
//! * `\t`, `\r`, `\n` and `\0` by name;
//! * every other C0 control, DEL and the C1 controls U+0080–U+009F as `\u{X}`, lowercase hex
//!   without leading zeros: ESC is `\u{1b}`, DEL `\u{7f}`, CSI `\u{9b}`.
//!
//! "Control" is Unicode's `Cc` category, exactly those three ranges ([`char::is_control`]),
//! and the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
//! which reorder what a terminal shows (`abc\u{202e}gnp.exe` displays as `abcexe.png`).
//! Everything else passes through: a backslash is not doubled, so that clean data (a Windows
//! path, a regex in a title) reads as it always did. The escaped form is for eyes, not for
//! parsing back: a value holding a backslash and a `t` reads like one holding a tab. The
//! machine formats (json, csv, ndjson, xlsx) carry values exactly.
//!
//! # Lines that look like workflow commands
//!
//! GitHub's runner takes any line of a job's output whose first non-blank characters are `::`
//! for a workflow command. Escaping controls keeps a value from starting a line, but a table
//! wraps a long cell at its spaces and a trace indents a title: a value `x ::error::...` can
//! still land first on a line. [`line`] is the last guard for each line of terminal text.
//!
//! # Diagnostics
//!
//! No diagnostic of yardstick spans lines: a report of several lines prints each line with a
//! call of its own. So the printing edge passes each whole message through [`terminal`], `\n`
//! included, and a line on stderr can never start with a value (a `\n::error::...` in a log
//! cannot become a GitHub workflow command in the CI log), however the message was built.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` for a terminal: every control character escaped as the module documents. Borrows
/// when there is none, so the common case allocates nothing.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of terminal text (a table's, a trace's) that cannot pass for a GitHub workflow
/// command: when its first non-blank characters are `::`, the first `:` is written `\u{3a}`,
/// the visible form above. Lines of yardstick's own never start so, so only a value can be
/// touched by this.
pub fn line(text: &str) -> Cow<'_, str> {
    let rest = text.trim_start();
    if !rest.starts_with("::") {
        return Cow::Borrowed(text);
    }
    let blank = text.len() - rest.len();
    Cow::Owned(format!("{}\\u{{3a}}{}", &text[..blank], &rest[1..]))
}

/// A character that acts on a terminal instead of showing: a control, or a bidirectional
/// control.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible form of one control character.
fn push_escaped(out: &mut String, c: char) {
    // `escape_debug` names \0, \t, \r, \n and writes the other controls as \u{..}.
    let _ = write!(out, "{}", c.escape_debug());
}

/// Text and attribute values in HTML.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text and attribute values in XML 1.0.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's message (after the closing `::`), escaped as GitHub's toolkit does
/// (`%` `\r` `\n` as `%25` `%0D` `%0A`, which the runner decodes), so that a value can never
/// end the line and start a command of its own; the runner splits lines at `\r` as well as
/// `\n`. Other control characters would reach the log viewer, which acts on ANSI sequences;
/// they get the terminal form.
pub fn workflow_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if hidden(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's property value (`file=`, `title=`): as [`workflow_data`], and `:` and
/// `,` as `%3A` and `%2C`, which would otherwise end the value or the properties early.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A value in a Markdown table cell. `|` would end the cell and a line break the row; `<`,
/// `>` and `&` would be read as HTML (a `<script>`, an `<img onerror=...>`) by the renderers
/// the Markdown lands in (a GitHub job summary), so they become entities.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' | '\n' => out.push(' '),
            // The Markdown goes to a terminal or a CI log as often as to a browser.
            c if hidden(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A value in a Markdown code span (`` `...` ``), where entities are not decoded: a backtick
/// would close the span, and a line break could end the paragraph and leave the rest outside
/// it.
pub fn markdown_code(s: &str) -> String {
    let flat = s.replace('`', "'").replace(['\r', '\n'], " ");
    terminal(&flat).into_owned()
}

/// A cell of a CSV/TSV file meant for a spreadsheet (`--formula-safe`): a value that is not
/// a number and starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so that the
/// spreadsheet shows it as text instead of running it as a formula (OWASP's advice).
pub fn formula(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number(s) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// A number as written in the reports: what `f64` parsing accepts (`-5`, `+3.2`, `1e3`), but
/// not the words `inf`, `infinity` and `nan`, which a spreadsheet takes for text anyway.
fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok()
        && !s
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_escapes_every_kind_of_control() {
        assert_eq!(terminal("\x1b[31mred\x1b[0m"), "\\u{1b}[31mred\\u{1b}[0m");
        assert_eq!(
            terminal("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "\\u{1b}]8;;http://x\\u{1b}\\link\\u{1b}]8;;\\u{1b}\\"
        );
        assert_eq!(terminal("a\rb"), "a\\rb");
        assert_eq!(terminal("a\n::error::pwned"), "a\\n::error::pwned");
        assert_eq!(terminal("a\tb"), "a\\tb");
        assert_eq!(terminal("\0\x07\x7f"), "\\0\\u{7}\\u{7f}");
        assert_eq!(
            terminal("\u{9b}31m\u{80}\u{9f}"),
            "\\u{9b}31m\\u{80}\\u{9f}"
        );
    }

    #[test]
    fn terminal_borrows_clean_text_and_keeps_everything_else() {
        for s in [
            "",
            "plain",
            "C:\\tickets\\x.csv",
            "Müller — ✓ \u{a0}\u{2028}",
            "%:,|<>&",
        ] {
            assert!(matches!(terminal(s), Cow::Borrowed(_)), "{s:?}");
            assert_eq!(terminal(s), s);
        }
    }

    #[test]
    fn a_line_cannot_pass_for_a_workflow_command() {
        assert_eq!(line("    ::error::pwned"), "    \\u{3a}:error::pwned");
        assert_eq!(line("::warning file=x::y"), "\\u{3a}:warning file=x::y");
        assert_eq!(line(" \t::x"), " \t\\u{3a}:x");
        for clean in ["", "  a::b", "std::string", ": :x", "standard  reply-1h"] {
            assert!(matches!(line(clean), Cow::Borrowed(_)), "{clean:?}");
        }
    }

    #[test]
    fn workflow_escapes_follow_github() {
        assert_eq!(
            workflow_data("100% \r\n::error::x"),
            "100%25 %0D%0A::error::x"
        );
        assert_eq!(workflow_data("a\x1b[31m"), "a\\u{1b}[31m");
        assert_eq!(
            workflow_property("t: a, b%\n::x"),
            "t%3A a%2C b%25%0A%3A%3Ax"
        );
        // Encoded before `:` and `,` are, so the `%` of `%3A` is not encoded twice.
        assert_eq!(workflow_property("%3A:"), "%253A%3A");
    }

    #[test]
    fn markdown_cells_hold_no_html_and_no_row_break() {
        assert_eq!(
            markdown_cell("<script>alert(1)</script> | <img src=x onerror=y> & \n::x\r"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\| &lt;img src=x onerror=y&gt; &amp;  ::x "
        );
        assert_eq!(markdown_code("a`b\n\n<x>"), "a'b  <x>");
    }

    #[test]
    fn html_and_xml_escapes() {
        assert_eq!(
            html("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            xml("<'&\">\x1b\t\n\r"),
            "&lt;&apos;&amp;&quot;&gt;\u{FFFD}\t\n\r"
        );
    }

    #[test]
    fn formula_prefixes_text_that_a_spreadsheet_would_run() {
        for (s, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("+NaN", "'+NaN"),
            ("-infinity", "'-infinity"),
            ("-", "'-"),
        ] {
            assert_eq!(formula(s), want, "{s:?}");
        }
        for s in [
            "-5",
            "+3.2",
            "-1e3",
            "+1E-3",
            "-.5",
            "1e3",
            "plain",
            "",
            "a=b",
            "2026-11-16",
        ] {
            assert!(matches!(formula(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    /// The inverse of [`terminal`] for text that held no backslash of its own.
    fn unescape(t: &str) -> String {
        let mut out = String::new();
        let mut chars = t.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('n') => out.push('\n'),
                Some('0') => out.push('\0'),
                Some('u') => {
                    assert_eq!(chars.next(), Some('{'));
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                other => panic!("unknown escape {other:?} in {t:?}"),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn no_control_character_survives_the_terminal_escaper(s in any::<String>()) {
            let t = terminal(&s);
            prop_assert!(!t.chars().any(char::is_control), "{:?} -> {:?}", s, t);
            // Nothing but controls changes: removing the escapes gives the text back.
            let kept: String = s.chars().filter(|c| !c.is_control()).collect();
            if kept.len() == s.len() {
                prop_assert_eq!(t.as_ref(), s.as_str());
            }
        }

        #[test]
        fn without_backslashes_the_escaped_form_gives_the_value_back(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[a-z ü✓{}]{0,4}",
                    (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
                    (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
                ],
                0..12,
            )
        ) {
            let s: String = parts.concat();
            let t = terminal(&s).into_owned();
            // Escaping the escaped form changes nothing: it holds no control to escape.
            let again = terminal(&t);
            prop_assert_eq!(again.as_ref(), t.as_str());
            prop_assert_eq!(unescape(&t), s);
        }

        #[test]
        fn workflow_values_stay_on_one_line_and_in_their_field(s in any::<String>()) {
            let d = workflow_data(&s);
            prop_assert!(!d.chars().any(char::is_control));
            let p = workflow_property(&s);
            prop_assert!(!p.chars().any(|c| c.is_control() || c == ':' || c == ','));
        }

        #[test]
        fn formula_safe_cells_never_start_a_formula(s in any::<String>()) {
            let f = formula(&s);
            let risky = f.starts_with(['=', '+', '-', '@', '\t', '\r']);
            prop_assert!(!risky || is_number(&f), "{:?}", f);
        }
    }
}
