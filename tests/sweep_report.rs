//! `salesim sweep --report`: a self-contained HTML report of a staffing sweep that
//! names the chosen design; refused for one shard of a sweep.

mod common;

use std::process::Output;

use common::Folder;
use common::scenarios::quote_desk;

/// `salesim sweep` of the M/M/3 quote desk shortened to 40 weeks, written to
/// `desk.toml` in `dir`, over 3 to 6 engineers, with `extra` arguments.
fn sweep(dir: &Folder, extra: &[&str]) -> Output {
    dir.write("desk.toml", quote_desk(40, 4));
    dir.salesim(&["sweep", "desk.toml"])
        .args([
            "--vary",
            "roles.engineering.headcount=3..=6",
            "--trials",
            "10",
        ])
        .args(["--objective", "min:staffing_cost_per_year"])
        .args(["--constraint", "steps.quote.wait_hours.mean<=1", "--quiet"])
        .args(extra)
        .output()
        .unwrap()
}

/// The value of every `name="..."` attribute in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn the_sweep_report_is_self_contained_and_names_the_chosen_point() {
    let dir = Folder::new();
    let out = sweep(&dir, &["--out", "s.csv", "--report", "r.html"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let chosen = stdout
        .lines()
        .find_map(|l| l.strip_prefix("best feasible point: "))
        .expect("a chosen point")
        .to_string();
    let (index, described) = chosen.split_once(' ').unwrap();
    assert!(
        described.contains("roles.engineering.headcount="),
        "{chosen}"
    );

    let html = dir.read_text("r.html");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    assert!(!lower.contains("<link") && !lower.contains("url("));
    for attribute in ["src", "href", "xlink:href"] {
        for value in attribute_values(&lower, attribute) {
            assert!(
                !value.contains("http://") && !value.contains("https://"),
                "{attribute}=\"{value}\" would load something"
            );
        }
    }
    assert!(!lower.contains("http://") && !lower.contains("https://"));
    assert!(html.contains("<svg"), "charts");
    assert!(html.contains("Quote desk"));
    let headcount = described.trim_matches(|c| c == '(' || c == ')');
    let named = format!(
        "Point {index}: <span class=\"design\" style=\"border-color:#2563eb\">{headcount}</span>"
    );
    assert!(
        html.contains(&named),
        "the report names the chosen point {chosen}"
    );
    assert!(html.contains("Pareto front") && html.contains("met"));
    assert!(
        html.contains("roles.engineering.headcount=3..=6"),
        "manifest"
    );
    assert!(!html.contains("NaN"));

    // The same sweep gives the same bytes.
    let again = sweep(&dir, &["--report", "r2.html"]);
    assert!(again.status.success());
    let twin = dir.read_text("r2.html");
    let command = |h: &str| h.replace("r2.html", "r.html").replace(" --out s.csv", "");
    assert_eq!(command(&html), command(&twin));
}

#[test]
fn a_shard_cannot_write_a_sweep_report() {
    let dir = Folder::new();
    let out = sweep(
        &dir,
        &["--shard", "0/2", "--out", "p.csv", "--report", "r.html"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("merge"), "{stderr}");
    assert!(!dir.path("r.html").exists());
    assert!(!dir.path("p.csv").exists());
}

#[test]
fn the_pareto_front_sets_cost_against_another_metric_and_lists_the_chosen_point() {
    let dir = Folder::new();
    let out = sweep(&dir, &["--out", "s.csv", "--report", "r.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let chosen = stdout
        .lines()
        .find_map(|l| l.strip_prefix("best feasible point: "))
        .expect("a chosen point")
        .to_string();
    let (index, _) = chosen.split_once(' ').unwrap();
    let html = dir.read_text("r.html");
    let section = &html[html.find("id=\"front\"").expect("a front section")..];
    let section = &section[..section.find("</section>").unwrap()];
    let y_title = section
        .split("class=\"y-title\"")
        .nth(1)
        .and_then(|t| t.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .expect("a y title");
    assert!(section.contains(">staffing cost per year<"), "x is cost");
    assert!(
        !y_title.contains("staffing_cost"),
        "cost against itself: {y_title}"
    );
    assert!(y_title.contains("steps.quote.wait_hours"), "{y_title}");
    let listed = format!("<li>Point {index}: ");
    let item = section
        .split(&listed)
        .nth(1)
        .expect("the chosen point is listed");
    assert!(item[..item.find("</li>").unwrap()].contains("(chosen)"));
}

/// The point numbers after each `prefix` in `text`.
fn listed(text: &str, prefix: &str) -> Vec<String> {
    let after = text.split(prefix).skip(1);
    let digits = after.map(|rest| rest.chars().take_while(char::is_ascii_digit).collect());
    digits.filter(|d: &String| !d.is_empty()).collect()
}

#[test]
fn the_terminal_lists_the_same_pareto_front_as_the_html_report() {
    // The objective is the staffing cost itself, so both writers must set cost against
    // the constraint's metric and keep only the points that meet it.
    let dir = Folder::new();
    let out = sweep(&dir, &["--out", "s.csv", "--report", "r.html"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let table = &stdout[stdout.find("Pareto front").expect("a front in the table")..];
    let head = "Pareto front (staffing_cost_per_year.mean against steps.quote.wait_hours.mean";
    assert!(table.starts_with(head), "{table}");
    let html = dir.read_text("r.html");
    let section = &html[html.find("id=\"front\"").expect("a front section")..];
    let section = &section[..section.find("</section>").unwrap()];
    let in_html = listed(section, "<li>Point ");
    let in_table = listed(table, "\n  point ");
    assert!(!in_html.is_empty(), "{section}");
    assert_eq!(in_table, in_html, "{table}");
    let chosen = stdout
        .lines()
        .find_map(|l| l.strip_prefix("best feasible point: "))
        .and_then(|l| l.split(' ').next())
        .expect("a chosen point");
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("  point {chosen} (")))
        .expect("the chosen point is on the terminal's front");
    assert!(line.ends_with("(chosen)"), "{line}");
}
