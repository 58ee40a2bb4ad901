//! Every metric named in the report code or the README is in the catalogue: a
//! misspelt name would otherwise show "n/a" without a word.

use std::path::Path;

use salesim::model::metrics::{Metric, catalogue};

/// Every name the catalogue can produce, with `NAME` standing for a step or role.
fn known_names() -> Vec<String> {
    catalogue::ALL
        .iter()
        .map(|&def| match def.scope {
            catalogue::Scope::Team => Metric::team(def).to_string(),
            _ => Metric::of(def, "NAME").to_string(),
        })
        .collect()
}

/// `a.b|c|d` is three names: `a.b`, `a.c`, `a.d`.
fn expand(token: &str) -> Vec<String> {
    let mut parts = token.split('|');
    let first = parts.next().unwrap_or_default();
    let stem = first.rsplit_once('.').map_or("", |(s, _)| s);
    let mut names = vec![first.to_string()];
    for alternative in parts {
        names.push(if stem.is_empty() {
            alternative.to_string()
        } else {
            format!("{stem}.{alternative}")
        });
    }
    names
}

/// A metric name with its scope's subject replaced by `NAME`, and a trailing
/// across-trial statistic (`.mean`, `.p95`...) removed when the rest is a metric.
fn normalised(name: &str) -> String {
    let mut name = name.to_string();
    for prefix in ["steps.", "roles."] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Some((_, tail)) = rest.split_once('.')
        {
            name = format!("{prefix}NAME.{tail}");
        }
    }
    for statistic in salesim::stats::Summary::STATISTICS {
        if let Some(metric) = name.strip_suffix(&format!(".{statistic}"))
            && Metric::parse(metric).is_some()
        {
            return metric.to_string();
        }
    }
    name
}

/// Whether `text` reads like a metric name without being one: close to a known name.
fn looks_like_a_misspelt_metric(text: &str, known: &[String]) -> bool {
    let name = normalised(text);
    Metric::parse(&name).is_none()
        && known
            .iter()
            .any(|k| strsim::normalized_levenshtein(k, &name) >= 0.8)
}

fn string_literals(source: &str) -> Vec<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c))
        })
        .map(str::to_string)
        .collect()
}

fn rust_files(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_metric_named_in_the_report_code_is_in_the_catalogue() {
    let known = known_names();
    let mut files = Vec::new();
    rust_files(Path::new("src/report"), &mut files);
    assert!(files.len() > 10, "the report code was not found");
    let mut wrong = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for literal in string_literals(&source) {
            if looks_like_a_misspelt_metric(&literal, &known) {
                wrong.push(format!("{}: \"{literal}\"", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "not in the catalogue: {wrong:#?}");
}

/// Backquoted tokens of the README, `|` alternatives expanded.
fn readme_tokens(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(expand)
        .collect()
}

#[test]
fn every_metric_the_readme_lists_is_in_the_catalogue() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("Metric names are stable")
        .expect("the metric list");
    let end = start + readme[start..].find("Times are in working hours").unwrap();
    let listed = readme_tokens(&readme[start..end]);
    assert!(listed.len() > 40, "only {} metrics listed", listed.len());
    let missing: Vec<&String> = listed
        .iter()
        .filter(|n| Metric::parse(&normalised(n)).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "listed but not in the catalogue: {missing:?}"
    );
    // And every catalogue metric is listed, so the README stays complete.
    let unlisted: Vec<String> = known_names()
        .into_iter()
        .filter(|k| !listed.iter().any(|n| normalised(n) == *k))
        .collect();
    assert!(
        unlisted.is_empty(),
        "in the catalogue but not in the README: {unlisted:?}"
    );
}

#[test]
fn every_metric_the_readme_uses_elsewhere_is_in_the_catalogue() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    // Table rows hold scenario keys (`[targets] quote_lead_time_hours`) and results in
    // words, not metric names.
    let prose: String = readme
        .lines()
        .filter(|l| !l.starts_with('|'))
        .collect::<Vec<_>>()
        .join("\n");
    let known = known_names();
    let mut wrong = Vec::new();
    for token in readme_tokens(&prose) {
        for word in token.split([' ', ':', '<', '>', '=', '\'']) {
            if looks_like_a_misspelt_metric(word, &known) {
                wrong.push(word.to_string());
            }
        }
    }
    assert!(wrong.is_empty(), "not in the catalogue: {wrong:?}");
}

#[test]
fn the_check_catches_a_misspelt_name() {
    let known = known_names();
    for typo in [
        "staffing_cost_per_yer",
        "quote_lead_time_hour.p90",
        "steps.quote.wait_hour.mean",
        "roles.desk.utilisation",
    ] {
        assert!(looks_like_a_misspelt_metric(typo, &known), "{typo}");
    }
    for fine in [
        "win_rate",
        "steps.quote.wait_hours.mean",
        "roles.rep.annual_cost",
    ] {
        assert!(!looks_like_a_misspelt_metric(fine, &known), "{fine}");
    }
}
