//! Scenario errors: every problem names the file, the line and column where known, and
//! the dotted key, and says what would be valid.

use std::fmt;

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted path of the key (`roles.field.headcount`), empty for the whole file.
    pub key: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Everything wrong with one scenario file (or its `--set` overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl ScenarioError {
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_string(),
            problems: vec![Problem {
                key: String::new(),
                message: message.into(),
                line: None,
                column: None,
            }],
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
                if let Some(column) = problem.column {
                    write!(f, ":{column}")?;
                }
            }
            if problem.key.is_empty() {
                write!(f, ": {}", problem.message)?;
            } else {
                write!(f, ": {}: {}", problem.key, problem.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Suggests the closest of `candidates` to `given`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let allowed = (given.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .filter(|(distance, c)| *distance <= allowed || strsim::jaro_winkler(given, c) > 0.88)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_key() {
        let error = ScenarioError {
            file: "after.toml".into(),
            problems: vec![Problem {
                key: "roles.field.headcount".into(),
                message: "must be at least 1 (got 0)".into(),
                line: Some(14),
                column: Some(12),
            }],
        };
        assert_eq!(
            error.to_string(),
            "after.toml:14:12: roles.field.headcount: must be at least 1 (got 0)"
        );
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            did_you_mean("headcont", ["headcount", "annual_cost"]).as_deref(),
            Some("headcount")
        );
        assert_eq!(did_you_mean("zzz", ["headcount"]), None);
    }
}
