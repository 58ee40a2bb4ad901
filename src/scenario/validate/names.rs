//! Names that become parts of keys, metric names and CSV cells (roles, steps; offices
//! and segments when they come) must be identifiers; free-text names are only bounded.

use super::Checker;
use crate::scenario::raw::RawScenario;

/// Longest role or step name, in characters: room for any real name, not for a
/// pasted paragraph that would repeat in every metric name and CSV row.
pub(crate) const MAX_IDENTIFIER_CHARS: usize = 64;

/// Longest scenario `name`, in characters: it is printed in every CSV row.
pub(crate) const MAX_SCENARIO_NAME_CHARS: usize = 200;

/// Why `name` is not an identifier (letters, digits, `_` and `-`, 1 to
/// [`MAX_IDENTIFIER_CHARS`] characters), or `None` if it is one.
pub(crate) fn identifier_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some(
            "an empty name is not allowed: use letters, digits, `_` or `-` (e.g. field_sales)"
                .into(),
        );
    }
    let count = name.chars().count();
    if count > MAX_IDENTIFIER_CHARS {
        return Some(format!(
            "the name is {count} characters long; at most {MAX_IDENTIFIER_CHARS}"
        ));
    }
    let bad = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-'))?;
    let why = if bad == '.' {
        " (a dot would make metric names such as roles.NAME.utilization ambiguous)"
    } else {
        ""
    };
    Some(format!(
        "{} may contain only letters, digits, `_` and `-`; found {}{why}",
        quoted(name),
        describe(bad)
    ))
}

/// A name as it can be shown in a message: quoted, control characters escaped.
pub(crate) fn quoted(name: &str) -> String {
    format!("{:?}", name)
}

fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("{:?} (U+{:04X})", c, c as u32)
    } else {
        format!("`{c}`")
    }
}

/// The key of a role table: `roles.NAME`, with a name that is not a bare TOML key
/// written in quotes (`roles."a.b"`, `roles.""`) so the key can still be located.
pub(crate) fn role_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("roles.{name}")
    } else {
        format!("roles.{}", quoted(name))
    }
}

/// Checks every role name, every step name, and the length of the scenario name.
pub(super) fn check_names(c: &mut Checker, raw: &RawScenario) {
    for name in raw.roles.keys() {
        if let Some(problem) = identifier_problem(name) {
            c.error(role_key(name), format!("role name: {problem}"));
        }
    }
    for (i, step) in raw.funnel.iter().enumerate() {
        // An empty step name is reported by the step-name checks, with the fix.
        if step.name.is_empty() {
            continue;
        }
        if let Some(problem) = identifier_problem(&step.name) {
            c.error(format!("funnel.{i}.name"), format!("step name: {problem}"));
        }
    }
    if let Some(name) = &raw.name {
        let count = name.chars().count();
        if count > MAX_SCENARIO_NAME_CHARS {
            c.error(
                "name",
                format!(
                    "the scenario name is {count} characters long; at most {MAX_SCENARIO_NAME_CHARS} (put longer notes in a comment)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_letters_digits_underscores_and_dashes() {
        for good in ["field", "field_sales", "rep-2", "Ingénieur", "9"] {
            assert_eq!(identifier_problem(good), None, "{good}");
        }
        for bad in ["", "a.b", "a b", "a\u{1b}[31m", "=cmd", "x\r", "a/b"] {
            assert!(identifier_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn a_dot_is_explained() {
        let m = identifier_problem("a.b").unwrap();
        assert!(m.contains("ambiguous"), "{m}");
    }

    #[test]
    fn control_characters_are_escaped_in_the_message() {
        let m = identifier_problem("a\u{1b}b").unwrap();
        assert!(!m.contains('\u{1b}') && m.contains("U+001B"), "{m}");
    }

    #[test]
    fn long_names_are_refused() {
        assert!(identifier_problem(&"a".repeat(MAX_IDENTIFIER_CHARS)).is_none());
        let m = identifier_problem(&"a".repeat(MAX_IDENTIFIER_CHARS + 1)).unwrap();
        assert!(m.contains("at most 64"), "{m}");
    }

    #[test]
    fn odd_role_names_get_quoted_keys() {
        assert_eq!(role_key("desk"), "roles.desk");
        assert_eq!(role_key("a.b"), "roles.\"a.b\"");
        assert_eq!(role_key(""), "roles.\"\"");
    }
}
