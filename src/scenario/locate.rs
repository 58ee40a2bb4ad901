//! Finds where a dotted key path is written in a TOML text, so that semantic errors
//! found after parsing can still point at a line and column.

use toml_edit::{Document, Item};

/// Line and column (1-based) of `key_path` in `text`, or of its deepest ancestor that is
/// written in the file (a missing key points at the table that should hold it).
pub fn locate(text: &str, key_path: &str) -> Option<(usize, usize)> {
    let document = Document::parse(text).ok()?;
    let mut item: &Item = document.as_item();
    let mut best: Option<std::ops::Range<usize>> = None;
    for segment in key_path.split('.').filter(|s| !s.is_empty()) {
        let next = if let Ok(index) = segment.parse::<usize>() {
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
    fn a_missing_key_points_at_its_table() {
        assert_eq!(
            locate(TEXT, "roles.field.annual_cost").map(|p| p.0),
            Some(3)
        );
    }
}
