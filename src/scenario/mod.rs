//! Scenario files: the TOML format of DESIGN §5, its defaults and validation, and
//! `--set` overrides.
//!
//! Loading runs in two stages: the text is deserialized into `RawScenario` (a mirror of
//! the file that rejects unknown keys), then validated into `Scenario`, in which every
//! name is resolved and every unit converted. Errors name file, line, column and key.

mod assumptions;
mod changes;
mod dist;
mod error;
mod locate;
mod overrides;
mod parameters;
pub mod raw;
pub mod raw_offices;
mod raw_segments;
mod segments;
mod spec;
pub mod templates;
mod validate;

pub use assumptions::assumptions;
pub use changes::{Period, RawChange};
pub use dist::Distribution;
pub use error::{Problem, ScenarioError, did_you_mean};
pub use overrides::{Override, is_written};
pub use parameters::{NumericInput, numeric_inputs};
pub use segments::{Attempts, OTHER_SEGMENT, Segment, Segments};
pub use spec::*;

use std::path::Path;

/// A validated scenario with where it came from, for manifests and error messages.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// The file as named on the command line (or a label for text given in code).
    pub origin: String,
    /// SHA-256 of the file's bytes, before overrides.
    pub file_sha256: String,
    pub overrides: Vec<Override>,
    /// Every parameter as written, after overrides: (dotted key, text) rows in key
    /// order, for reports that list them (a distribution reads as
    /// "triangular (max 2.5, min 1, mode 1.5)").
    pub parameters: Vec<(String, String)>,
    /// The raw form after overrides, for tests that check a file as written.
    pub raw: raw::RawScenario,
    /// Inputs the file marks as assumptions (a comment with `(A)`): (dotted key, note).
    pub assumptions: Vec<(String, String)>,
}

/// Largest scenario file read, in bytes: the shipped ones are under 10 KB. Reading
/// stops there, so `/dev/zero` or a huge file is refused without filling memory.
pub const MAX_SCENARIO_BYTES: u64 = 1024 * 1024;

/// Reads, overrides and validates a scenario file.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<LoadedScenario, ScenarioError> {
    let origin = path.display().to_string();
    let bytes = crate::files::read_at_most(path, MAX_SCENARIO_BYTES).map_err(|e| {
        ScenarioError::whole_file(&origin, format!("cannot read the scenario file: {e}"))
    })?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(ScenarioError::whole_file(
            &origin,
            format!(
                "the file is larger than {MAX_SCENARIO_BYTES} bytes (1 MiB), the most a scenario may be; is it the right file?"
            ),
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| ScenarioError::whole_file(&origin, "the file is not UTF-8 text"))?;
    let default_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    load_str(&text, &origin, &default_name, overrides)
}

/// Parses, overrides and validates scenario text. `origin` labels errors.
pub fn load_str(
    text: &str,
    origin: &str,
    default_name: &str,
    overrides: &[Override],
) -> Result<LoadedScenario, ScenarioError> {
    use sha2::Digest;
    let file_sha256: String = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let effective = match overrides::apply(text, overrides) {
        Ok(effective) => effective,
        Err((o, message)) => {
            // A file that does not parse is reported as the file's own error, with
            // its position, rather than as a failure of the first --set.
            parse_raw(text, text, origin, &[])?;
            return Err(ScenarioError {
                file: origin.to_string(),
                problems: vec![Problem {
                    key: o.path.clone(),
                    message: format!("--set {o}: {message}"),
                    line: None,
                    column: None,
                }],
            });
        }
    };
    let raw = parse_raw(&effective, text, origin, overrides)?;
    // Positions are looked up in the user's file, not in the text after --set (where
    // an added key shifts every later line).
    let mut scenario =
        validate::validate(&raw, default_name).map_err(|problems| ScenarioError {
            file: origin.to_string(),
            problems: problems
                .into_iter()
                .map(|p| position(p, text, overrides))
                .collect(),
        })?;
    if !raw.changes.is_empty() {
        let period = |all: &[Override]| period_scenario(text, origin, default_name, all);
        scenario.timeline =
            changes::timeline(text, origin, &scenario, overrides, &raw.changes, period)?;
    }
    Ok(LoadedScenario {
        scenario,
        origin: origin.to_string(),
        file_sha256,
        overrides: overrides.to_vec(),
        parameters: parameters::listing(&raw),
        raw,
        assumptions: assumptions::assumptions(text),
    })
}

/// The scenario of one period of a timeline: the file with `all` overrides (`--set`
/// and the changes up to the period), validated as the file is, its own changes left
/// out.
fn period_scenario(
    text: &str,
    origin: &str,
    default_name: &str,
    all: &[Override],
) -> Result<Scenario, ScenarioError> {
    let effective = overrides::apply(text, all).map_err(|(o, message)| ScenarioError {
        file: origin.to_string(),
        problems: vec![Problem {
            key: o.path.clone(),
            message,
            line: None,
            column: None,
        }],
    })?;
    let mut raw = parse_raw(&effective, text, origin, &[])?;
    raw.changes.clear();
    validate::validate(&raw, default_name).map_err(|problems| ScenarioError {
        file: origin.to_string(),
        problems,
    })
}

/// Deserializes `text` (the file after overrides). `original` is the file as the user
/// wrote it: when overrides changed the text, positions are found there by key, since
/// spans in `text` would not match the user's lines.
fn parse_raw(
    text: &str,
    original: &str,
    origin: &str,
    overrides: &[Override],
) -> Result<raw::RawScenario, ScenarioError> {
    let deserializer =
        toml::Deserializer::parse(text).map_err(|e| toml_error(e, text, origin, String::new()))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let key = path_to_key(e.path());
        let inner = e.into_inner();
        let mut error = toml_error(inner, text, origin, key.clone());
        if text != original {
            let at = locate::locate(original, &key);
            for problem in &mut error.problems {
                problem.line = at.map(|(l, _)| l);
                problem.column = at.map(|(_, c)| c);
            }
        }
        for problem in &mut error.problems {
            *problem = blame_override(problem.clone(), overrides);
        }
        error
    })
}

/// serde_path_to_error writes `funnel[0].name`; our keys are `funnel.0.name`.
fn path_to_key(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => Some(key.clone()),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn toml_error(error: toml::de::Error, text: &str, origin: &str, key: String) -> ScenarioError {
    let (line, column) = match error.span() {
        Some(span) => {
            let (l, c) = locate::line_column(text, span.start);
            (Some(l), Some(c))
        }
        None => match locate::locate(text, &key) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        },
    };
    let message = error.message().trim().replace('\n', " ");
    let written = error
        .span()
        .and_then(|span| text.get(span))
        .unwrap_or_default();
    let (key, message) = plain_message(key, message, written);
    ScenarioError {
        file: origin.to_string(),
        problems: vec![Problem {
            key,
            message,
            line,
            column,
        }],
    }
}

/// Rewrites serde's and toml's wording for people who write scenarios rather than Rust:
/// names the key of a duplicate or a missing field, suggests the nearest known key or
/// value, and says "a whole number" where serde says `u32`. `written` is the text the
/// error points at.
fn plain_message(key: String, message: String, written: &str) -> (String, String) {
    if message == "duplicate key" {
        let name = written.trim().trim_matches(['"', '\'']);
        return (
            key,
            format!("duplicate key `{name}`: it is already set above; keep only one"),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        let key = if key.is_empty() {
            field.to_string()
        } else {
            format!("{key}.{field}")
        };
        return (key, "is required".to_string());
    }
    for (prefix, what) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((given, expected)) = rest.split_once("`, expected ")
        {
            let candidates: Vec<&str> = expected
                .split(['`', ',', ' '])
                .filter(|s| !s.is_empty() && !["one", "of", "or"].contains(s))
                .collect();
            let hint = did_you_mean(given, candidates.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            return (
                key,
                format!("unknown {what} `{given}`; {hint}expected {expected}"),
            );
        }
    }
    if message.contains("recurs") {
        return (
            key,
            "tables, arrays or inline tables are nested too deeply to read; a scenario needs only a few levels: look for a runaway run of `[` or `{`".to_string(),
        );
    }
    let mut message = message;
    for (rust, plain) in [
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
        (
            "expected a sequence",
            "expected a list: [...] or [[...]] tables",
        ),
        ("expected a boolean", "expected true or false"),
    ] {
        if let Some(stem) = message.strip_suffix(rust) {
            message = format!("{stem}{plain}");
        }
    }
    if let Some(at) = message.find("expected struct ") {
        message = format!("{}expected a table", &message[..at]);
    }
    (key, message)
}

/// Adds line and column to a semantic problem, or names the `--set` it came from.
fn position(problem: Problem, text: &str, overrides: &[Override]) -> Problem {
    let mut problem = problem;
    if let Some((line, column)) = locate::locate(text, &problem.key) {
        problem.line = Some(line);
        problem.column = Some(column);
    }
    blame_override(problem, overrides)
}

fn blame_override(mut problem: Problem, overrides: &[Override]) -> Problem {
    if let Some(o) = overrides
        .iter()
        .rev()
        .find(|o| problem.key == o.path || problem.key.starts_with(&format!("{}.", o.path)))
    {
        problem.message = format!("{} (set by --set {o})", problem.message);
        problem.line = None;
        problem.column = None;
    }
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    const MM1: &str = r#"
name = "M/M/1"
horizon_weeks = 10

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.desk]
headcount = 1

[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
"#;

    fn load(text: &str) -> Result<LoadedScenario, ScenarioError> {
        load_str(text, "test.toml", "test", &[])
    }

    #[test]
    fn loads_a_plain_queue() {
        let s = load(MM1).unwrap().scenario;
        assert_eq!(s.roles.len(), 1);
        assert_eq!(s.horizon_hours, 400.0);
        assert!((s.lead_sources.len()) == 1);
    }

    #[test]
    fn unknown_keys_are_rejected_with_a_suggestion_and_position() {
        let text = MM1.replace("headcount = 1", "headcount = 1\nanual_cost = 5");
        let err = load(&text).unwrap_err().to_string();
        assert!(err.starts_with("test.toml:11:1: roles.desk"), "{err}");
        assert!(err.contains("did you mean `annual_cost`"), "{err}");
    }

    #[test]
    fn semantic_errors_point_at_the_key() {
        let text = MM1.replace("role = \"desk\"", "role = \"dsk\"");
        let err = load(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("test.toml:14:1: funnel.0.role: unknown role \"dsk\""),
            "{err}"
        );
    }

    #[test]
    fn overrides_go_through_validation_and_are_named() {
        let o = [Override::parse("roles.desk.headcount=0").unwrap()];
        let err = load_str(MM1, "t.toml", "t", &o).unwrap_err().to_string();
        assert!(
            err.contains("roles.desk.headcount") && err.contains("--set roles.desk.headcount=0"),
            "{err}"
        );
        let o = [Override::parse("roles.desk.headcount=3").unwrap()];
        assert_eq!(
            load_str(MM1, "t.toml", "t", &o).unwrap().scenario.roles[0].headcount,
            3
        );
    }
}
