//! `--set PATH=VALUE` overrides: edit the TOML document before it is parsed, so an
//! override goes through exactly the same checks as the file itself.

use toml_edit::{DocumentMut, Item, Value};

/// One `PATH=VALUE` override, as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

impl Override {
    /// Parses `PATH=VALUE`; the error says what is expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (path, value) = text.split_once('=').ok_or_else(|| {
            format!("`{text}` is not PATH=VALUE (e.g. roles.engineering.headcount=3)")
        })?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
            return Err(format!(
                "`{text}`: the path before `=` must be dotted keys, e.g. roles.rep.headcount"
            ));
        }
        Ok(Override {
            path: path.to_string(),
            value: value.trim().to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// A value as the user typed it: TOML if it parses (numbers, booleans, quoted strings,
/// inline tables), otherwise a bare string (`pull`, `coordinator`).
fn parse_value(text: &str) -> Value {
    text.parse::<Value>().unwrap_or_else(|_| Value::from(text))
}

/// Applies overrides to `text`. Errors name the override and the segment that failed.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, (Override, String)> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    let mut document: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        (
            overrides[0].clone(),
            format!("the file does not parse: {e}"),
        )
    })?;
    for o in overrides {
        set(document.as_item_mut(), o).map_err(|message| (o.clone(), message))?;
    }
    Ok(document.to_string())
}

/// Whether the dotted `path` is written in `text` (a TOML document); false when the text
/// does not parse.
pub fn is_written(text: &str, path: &str) -> bool {
    let Ok(document) = text.parse::<DocumentMut>() else {
        return false;
    };
    let mut item = document.as_item();
    for segment in path.split('.') {
        let next = match segment.parse::<usize>() {
            Ok(i) => item.get(i),
            Err(_) => item.as_table_like().and_then(|t| t.get(segment)),
        };
        match next {
            Some(n) => item = n,
            None => return false,
        }
    }
    true
}

fn set(root: &mut Item, o: &Override) -> Result<(), String> {
    let segments: Vec<&str> = o.path.split('.').collect();
    let (last, parents) = segments.split_last().expect("validated non-empty path");
    let mut item = root;
    let mut walked = String::new();
    for segment in parents {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(segment);
        item = step_into(item, segment, &walked)?;
    }
    let value = parse_value(&o.value);
    if let Ok(index) = last.parse::<usize>() {
        let array = item
            .as_array_mut()
            .ok_or_else(|| format!("`{walked}` is not an array, so it has no element {index}"))?;
        let len = array.len();
        let slot = array.get_mut(index).ok_or_else(|| {
            format!("`{walked}` has {len} elements, so there is no element {index}")
        })?;
        *slot = value;
        return Ok(());
    }
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| format!("`{walked}` is not a table, so it has no key `{last}`"))?;
    match table.get_mut(last) {
        Some(existing) => *existing = Item::Value(value),
        None => {
            table.insert(last, Item::Value(value));
        }
    }
    Ok(())
}

fn step_into<'a>(item: &'a mut Item, segment: &str, walked: &str) -> Result<&'a mut Item, String> {
    if let Ok(index) = segment.parse::<usize>() {
        if let Some(array) = item.as_array_of_tables() {
            let len = array.len();
            if index >= len {
                return Err(format!(
                    "`{walked}`: there are only {len} entries (counting from 0)"
                ));
            }
        }
        return item
            .get_mut(index)
            .ok_or_else(|| format!("`{walked}` does not exist (no element {index})"));
    }
    if item.as_table_like().is_none() {
        return Err(format!("`{walked}`: the parent is not a table"));
    }
    let keys: Vec<String> = item
        .as_table_like()
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let exists = item
        .as_table_like()
        .is_some_and(|t| t.contains_key(segment));
    match item
        .as_table_like_mut()
        .and_then(|t| t.get_mut(segment))
        .filter(|_| exists)
    {
        Some(next) => Ok(next),
        None => {
            let hint = super::error::did_you_mean(segment, keys.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            Err(format!(
                "`{walked}` does not exist in the scenario{hint}; keys here: {}",
                keys.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "[roles.eng]\nheadcount = 2\n\n[[lead_sources]]\nkind = \"inbound\"\nrelease = \"push\"\n";

    fn set_one(path: &str, value: &str) -> Result<String, (Override, String)> {
        apply(
            TEXT,
            &[Override {
                path: path.into(),
                value: value.into(),
            }],
        )
    }

    #[test]
    fn replaces_numbers_and_bare_strings() {
        let out = set_one("roles.eng.headcount", "5").unwrap();
        assert!(out.contains("headcount = 5"));
        let out = set_one("lead_sources.0.release", "pull").unwrap();
        assert!(out.contains("release = \"pull\""));
    }

    #[test]
    fn a_missing_table_gets_a_suggestion() {
        let (_, message) = set_one("roles.egn.headcount", "5").unwrap_err();
        assert!(message.contains("did you mean `eng`"), "{message}");
    }

    #[test]
    fn rejects_text_without_equals() {
        assert!(Override::parse("roles.eng.headcount").is_err());
        assert_eq!(Override::parse("a.b = 3").unwrap().value, "3");
    }
}
