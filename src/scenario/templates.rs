//! The starting scenarios `salesim init TEMPLATE` writes: the shipped reference files,
//! every figure with its source or marked (A), so a consultant starts from a file that
//! validates and runs. One table: a new template is one line.

/// A starting scenario: its name on the command line, what it is, and its text.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub name: &'static str,
    pub about: &'static str,
    pub text: &'static str,
}

/// Every template, in the order `salesim init` lists them.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "craftsperson",
        about: "field reps who prospect, meet, quote and serve their own accounts",
        text: include_str!("../../scenarios/craftsperson.toml"),
    },
    Template {
        name: "specialized",
        about: "a Sales Process Engineering team: promotions, inside sales, coordinated field sellers, pooled quotes and service",
        text: include_str!("../../scenarios/specialized.toml"),
    },
    Template {
        name: "saas",
        about: "SDRs with contact attempts, account executives on video calls, solution engineers for technical demos",
        text: include_str!("../../scenarios/saas_after.toml"),
    },
    Template {
        name: "distributor",
        about: "three regional offices: a central inside team and coordinator, pooled field sellers per office",
        text: include_str!("../../scenarios/distributor_after.toml"),
    },
];

/// The template named `name`.
pub fn template(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// The names of every template, comma separated, for messages.
pub fn template_names() -> String {
    TEMPLATES
        .iter()
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text `salesim init` writes for `t`: a header saying where it came from and
/// what to do next, then the scenario.
pub fn starting_file(t: &Template) -> String {
    format!(
        "# Written by `salesim init {}`: {}.\n\
         # A starting point: replace the figures marked (A) with the client's, keep a\n\
         # source beside every figure, then `salesim validate` and `salesim run` this file.\n\
         #\n{}",
        t.name, t.about, t.text
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_loads_and_has_a_unique_name() {
        for (i, t) in TEMPLATES.iter().enumerate() {
            assert!(
                TEMPLATES[..i].iter().all(|o| o.name != t.name),
                "{}",
                t.name
            );
            let text = starting_file(t);
            if let Err(e) = crate::scenario::load_str(&text, t.name, t.name, &[]) {
                panic!("template {} does not load: {e}", t.name);
            }
        }
        assert!(template("saas").is_some() && template("nope").is_none());
    }
}
