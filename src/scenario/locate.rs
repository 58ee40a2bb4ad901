//! Finds where a dotted key path is written in a TOML text, so that semantic errors
//! found after parsing can still point at a line and column.

use toml_edit::{Document, Item};

/// Line and column (1-based) of `key_path` in `text`, or of its deepest ancestor that is
/// written in the file (a missing key points at the table that should hold it).
pub fn locate(text: &str, key_path: &str) -> Option<(usize, usize)> {
    let document = Document::parse(text).ok()?;
    let mut item: &Item = document.as_item();
    let mut best: Option<std::ops::Range<usize>> = None;
    for (segment, was_quoted) in segments(key_path) {
        let segment = segment.as_str();
        let next = if let (false, Ok(index)) = (was_quoted, segment.parse::<usize>()) {
            let found = item.get(index);
            if let Some(found) = found {
                best = found.span().or(best);
            }
            found
        } else {
            let table = item.as_table_like()?;
            match table.get_key_value(segment) {
                Some((key, value)) => {
                    best = key.span().or_else(|| value.span()).or(best);
                    Some(value)
                }
                None => None,
            }
        };
        match next {
            Some(next) => item = next,
            None => break,
        }
    }
    best.map(|span| line_column(text, span.start))
}

/// The segments of a dotted key, each with whether it was written in double quotes
/// (`roles."a.b".headcount` is `roles`, `a.b`, `headcount`; `roles.""` names the empty
/// key). Unquoted empty segments are skipped.
fn segments(key_path: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut in_quotes, mut was_quoted) = (false, false);
    let mut chars = key_path.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                was_quoted = true;
            }
            '\\' if in_quotes => current.extend(chars.next()),
            '.' if !in_quotes => {
                if was_quoted || !current.is_empty() {
                    out.push((std::mem::take(&mut current), was_quoted));
                }
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if was_quoted || !current.is_empty() {
        out.push((current, was_quoted));
    }
    out
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n\n[roles.field]\nheadcount = 0\n\n[[funnel]]\nname = \"a\"\n\n[[funnel]]\nname = \"b\"\nduration = { dist = \"exponential\", mean = 2 }\n";

    #[test]
    fn finds_keys_in_tables_and_arrays_of_tables() {
        assert_eq!(locate(TEXT, "roles.field.headcount"), Some((4, 1)));
        assert_eq!(locate(TEXT, "funnel.1.name"), Some((10, 1)));
        assert_eq!(locate(TEXT, "funnel.1.duration.mean"), Some((11, 36)));
    }

    #[test]
    fn finds_quoted_keys_with_dots_and_empty_keys() {
        let text = "[roles.\"a.b\"]\nheadcount = 1\n\n[roles.\"\"]\nheadcount = 2\n";
        assert_eq!(locate(text, "roles.\"a.b\""), Some((1, 8)));
        assert_eq!(locate(text, "roles.\"a.b\".headcount"), Some((2, 1)));
        assert_eq!(locate(text, "roles.\"\""), Some((4, 8)));
    }

    #[test]
    fn a_missing_key_points_at_its_table() {
        assert_eq!(
            locate(TEXT, "roles.field.annual_cost").map(|p| p.0),
            Some(3)
        );
    }
}
