//! Assumptions as the scenario files mark them: a comment containing `(A)` (or the word
//! "assumption") after a key, on the lines above it, or above a table header marks that
//! key or table as an assumption, with the comment as its reason or source.

use toml_edit::{DocumentMut, Item, Table};

/// (dotted key, note) for every input marked as an assumption in `text`, in file order;
/// empty when the text does not parse.
pub fn assumptions(text: &str) -> Vec<(String, String)> {
    let Ok(document) = text.parse::<DocumentMut>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk("", document.as_table(), &mut out);
    out
}

fn marked(comment: &str) -> Option<String> {
    let lower = comment.to_lowercase();
    if !comment.contains("(A)") && !lower.contains("assumption") {
        return None;
    }
    // The last comment line is the one nearest the key.
    let note = comment
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .rfind(|l| l.contains("(A)") || l.to_lowercase().contains("assumption"))?
        .to_string();
    Some(note)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk(prefix: &str, table: &Table, out: &mut Vec<(String, String)>) {
    for (key, item) in table.iter() {
        let path = join(prefix, key);
        match item {
            Item::Table(t) => {
                let above = t.decor().prefix().and_then(|r| r.as_str()).unwrap_or("");
                if let Some(note) = marked(above) {
                    out.push((path.clone(), note));
                }
                walk(&path, t, out);
            }
            Item::ArrayOfTables(array) => {
                for (i, t) in array.iter().enumerate() {
                    let path = format!("{path}.{i}");
                    let above = t.decor().prefix().and_then(|r| r.as_str()).unwrap_or("");
                    if let Some(note) = marked(above) {
                        out.push((path.clone(), note));
                    }
                    walk(&path, t, out);
                }
            }
            Item::Value(v) => {
                let after = v.decor().suffix().and_then(|r| r.as_str()).unwrap_or("");
                let above = table
                    .key(key)
                    .and_then(|k| k.leaf_decor().prefix())
                    .and_then(|r| r.as_str())
                    .unwrap_or("");
                if let Some(note) = marked(after).or_else(|| marked(above)) {
                    out.push((path, note));
                }
            }
            Item::None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_marks_after_keys_above_keys_and_above_tables() {
        let text = "# Market demand (A).\n[[lead_sources]]\nrate_per_week = 28.0\n\n\
                    [roles.rep]\nheadcount = 12 # DOMAIN\nadmin_hours_per_week = 6.5  # reports, CRM (A)\n\
                    # a guess (A)\nannual_cost = 1\n";
        let found = assumptions(text);
        assert_eq!(
            found,
            vec![
                (
                    "lead_sources.0".to_string(),
                    "Market demand (A).".to_string()
                ),
                (
                    "roles.rep.admin_hours_per_week".to_string(),
                    "reports, CRM (A)".to_string()
                ),
                (
                    "roles.rep.annual_cost".to_string(),
                    "a guess (A)".to_string()
                ),
            ]
        );
    }
}
