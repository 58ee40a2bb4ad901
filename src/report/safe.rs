//! Making user text safe where it lands: control characters out of terminal output, and
//! spreadsheet formulas out of CSV cells.

use std::borrow::Cow;

/// `text` for a terminal: every control character (ESC, CR, NUL, DEL, the C1 range;
/// tab and newline included, since a name is one line) is replaced by `?`, so a
/// scenario name cannot move the cursor, recolour or overwrite what was printed.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell for CSV, neutralised as OWASP recommends against formula injection: a
/// cell that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
/// single quote (`'`), so a spreadsheet shows it as text instead of evaluating it.
///
/// A cell that is a plain decimal number (`-3.5`, `+2`, `-1e-3`: digits, one optional
/// leading sign, `.` and an exponent, nothing else) is left as it is: a spreadsheet
/// reads it as that number and nothing can be hidden in it. Value columns written by
/// [`super::number`] never go through here.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Digits with an optional sign, decimal point and exponent, and nothing else (so no
/// `inf` or `nan`, which a spreadsheet would read as a formula after a `-`).
fn is_plain_number(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
        && text.chars().any(|c| c.is_ascii_digit())
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_leading_quote() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-inf",
            "-",
        ] {
            assert_eq!(csv_cell(risky), format!("'{risky}"), "{risky:?}");
        }
    }

    #[test]
    fn plain_text_and_plain_numbers_are_untouched() {
        for safe in [
            "desk",
            "B - A",
            "roles.desk.utilization",
            "-3.5",
            "+2",
            "-1e-3",
            "",
            "a=b",
        ] {
            assert_eq!(csv_cell(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn control_characters_become_question_marks() {
        assert_eq!(printable("a\u{1b}[2Jb\r\0"), "a?[2Jb??");
        assert_eq!(printable("Quote desk, ρ 0.8"), "Quote desk, ρ 0.8");
        assert_eq!(printable("x\u{9b}y\u{7f}"), "x?y?");
    }
}
