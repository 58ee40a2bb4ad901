//! Offices: leads stay in the office where they arise (a central role serves all),
//! per-office metrics add up to the team's, each office's staffing cost is its own
//! people and cost, and bad office keys are refused with file, line and key.
//!
//! Every expected value follows from the scenario's own figures or from conservation;
//! none is copied from a run.

use salesim::model::{catalogue, simulate, simulate_traced, staffing_cost};
use salesim::scenario::{LoadedScenario, Scenario, load_str};

const SEED: u64 = 142_026;
const TRIALS: u64 = 12;

/// Three offices; reps per office (pooled first contact, then the owner's visit),
/// central engineering for quotes, service to the account's owner. North has its own
/// travel legs.
const THREE_OFFICES: &str = r#"
name = "three offices"
horizon_weeks = 30
warmup_weeks = 4

[offices.north]
annual_cost = 50000
travel_hours = 0.5
[offices.central]
annual_cost = 70000
[offices.south]
annual_cost = 30000

[[lead_sources]]
kind = "inbound"
rate_per_week = 30.0
to_role = "rep"
office_shares = { north = 0.5, central = 0.3, south = 0.2 }

[roles.rep]
headcount = { north = 3, central = 2, south = 1 }
annual_cost = 100000
travel_hours = 1.0
max_meetings_per_day = 3
span_of_control = 2

[roles.engineering]
headcount = 2
annual_cost = 120000
managers = 0

[[funnel]]
name = "qualify"
role = "rep"
routing = "pool"
duration = { dist = "exponential", mean = 0.5 }
advance = 0.7

[[funnel]]
name = "visit"
kind = "meeting"
role = "rep"
routing = "owner"
customer_notice_days = { dist = "uniform", min = 1, max = 3 }
duration = 1.0
advance = 0.8

[[funnel]]
name = "quote"
quote = true
role = "engineering"
routing = "pool"
duration = { dist = "exponential", mean = 2.0 }
advance = 0.6

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }

[service]
rate_per_week = 20.0
role = "rep"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[costs]
span_of_control = 4
manager_annual_cost = 150000
"#;

const OFFICES: [&str; 3] = ["central", "north", "south"];

fn load(text: &str) -> LoadedScenario {
    load_str(text, "offices.toml", "offices", &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Each person's office, worked out from the file's headcounts: people are numbered
/// role by role (roles in name order), and within a role with people per office,
/// office by office (offices in name order). `None` for a central role.
fn office_of_person(s: &Scenario) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for role in &s.roles {
        match role.name.as_str() {
            // engineering = 2, central
            "engineering" => out.extend([None, None]),
            // rep = { central = 2, north = 3, south = 1 }, offices in name order
            "rep" => out.extend([0, 0, 1, 1, 1, 2].map(Some)),
            other => panic!("unexpected role {other}"),
        }
    }
    out
}

#[test]
fn leads_never_cross_offices_unless_the_role_is_central() {
    let loaded = load(THREE_OFFICES);
    let s = &loaded.scenario;
    let names: Vec<&str> = s.offices.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, OFFICES);
    let offices = office_of_person(s);
    let engineering = s.role_index("engineering").unwrap();
    let mut checked = 0;
    let mut central_offices_served = [false; 3];
    let mut created = [0u64; 3];
    for trial in 0..3 {
        let (_, trace) = simulate_traced(s, SEED, trial);
        for r in &trace.records {
            let Ok(lead_office) = usize::try_from(r.office) else {
                continue;
            };
            if r.what == "lead created" {
                created[lead_office] += 1;
            }
            let Ok(person) = usize::try_from(r.person) else {
                continue;
            };
            match offices[person] {
                Some(person_office) => {
                    assert_eq!(
                        person_office, lead_office,
                        "trial {trial}: {} of office {} worked on {} of office {} ({})",
                        r.person, OFFICES[person_office], r.item, OFFICES[lead_office], r.what
                    );
                    checked += 1;
                }
                None => {
                    let first_engineer = s.roles[..engineering]
                        .iter()
                        .map(|r| r.headcount as usize)
                        .sum::<usize>();
                    assert!(person >= first_engineer);
                    central_offices_served[lead_office] = true;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} records checked");
    assert_eq!(
        central_offices_served, [true; 3],
        "the central role serves every office"
    );
    // Leads arise by the source's office shares (central 0.3, north 0.5, south 0.2):
    // each office's count is binomial; within 4 standard deviations.
    let total: u64 = created.iter().sum();
    for (o, share) in [0.3, 0.5, 0.2].into_iter().enumerate() {
        let sd = (total as f64 * share * (1.0 - share)).sqrt();
        let off = (created[o] as f64 - total as f64 * share).abs();
        assert!(
            off < 4.0 * sd,
            "{}: {} of {total} leads, share {share}",
            OFFICES[o],
            created[o]
        );
    }
}

/// One trial's value of `name`.
fn value(names: &[String], values: &[f64], name: &str) -> f64 {
    let i = names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    values[i]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn per_office_metrics_sum_to_the_whole() {
    let loaded = load(THREE_OFFICES);
    let s = &loaded.scenario;
    let names = catalogue(s).names().to_vec();
    for trial in 0..TRIALS {
        let values = simulate(s, SEED, trial).values;
        let v = |name: &str| value(&names, &values, name);
        // Counts and money add up (to rounding of the sums' order).
        for metric in [
            "leads_created_per_week",
            "meetings_per_week",
            "deals_won_per_week",
            "revenue_per_year",
            "leads_gone_cold_per_week",
        ] {
            let sum: f64 = OFFICES
                .iter()
                .map(|o| v(&format!("offices.{o}.{metric}")))
                .sum();
            assert!(
                close(sum, v(metric)),
                "trial {trial}: {metric}: offices {sum}, team {}",
                v(metric)
            );
        }
        let office_cost: f64 = OFFICES
            .iter()
            .map(|o| v(&format!("offices.{o}.staffing_cost_per_year")))
            .sum();
        let total = office_cost + v("staffing_cost.central_per_year");
        assert!(
            close(total, v("staffing_cost_per_year")),
            "trial {trial}: cost"
        );
        // Rates and means are weighted averages of the offices': within their range.
        for (metric, weight) in [
            ("win_rate", None),
            ("sales_cycle_hours.mean", Some("deals_won_per_week")),
            ("quote_lead_time_hours.mean", None),
            ("service_response_hours.mean", None),
        ] {
            let of: Vec<f64> = OFFICES
                .iter()
                .map(|o| v(&format!("offices.{o}.{metric}")))
                .collect();
            let (lo, hi) = of
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            let team = v(metric);
            assert!(
                lo - 1e-9 <= team && team <= hi + 1e-9,
                "trial {trial}: {metric} {team} outside {of:?}"
            );
            // The sales cycle is exactly the deal-weighted mean of the offices' cycles.
            if let Some(w) = weight {
                let weights: Vec<f64> = OFFICES
                    .iter()
                    .map(|o| v(&format!("offices.{o}.{w}")))
                    .collect();
                let weighted: f64 = of.iter().zip(&weights).map(|(x, w)| x * w).sum::<f64>()
                    / weights.iter().sum::<f64>();
                assert!(
                    close(weighted, team),
                    "trial {trial}: {metric} {team} vs weighted {weighted}"
                );
            }
        }
        // The reps' time in the offices adds up to the role's: utilization weighted by
        // each office's people is the role's.
        let people = [2.0, 3.0, 1.0];
        let weighted: f64 = OFFICES
            .iter()
            .zip(people)
            .map(|(o, n)| n * v(&format!("offices.{o}.roles.rep.utilization")))
            .sum::<f64>()
            / 6.0;
        assert!(
            close(weighted, v("roles.rep.utilization")),
            "trial {trial}: rep utilization"
        );
    }
}

#[test]
fn each_office_costs_its_people_their_managers_and_its_own_cost() {
    let loaded = load(THREE_OFFICES);
    let s = &loaded.scenario;
    let names = catalogue(s).names().to_vec();
    let values = simulate(s, SEED, 0).values;
    let v = |name: &str| value(&names, &values, name);
    // From the file: reps at 100,000 with a span of control of 2 (managers per office,
    // ceil(people / 2)), managers at 150,000, each office's own annual cost.
    let rep = 100_000.0;
    let manager = 150_000.0;
    let expected = [
        ("central", 2.0 * rep + 1.0 * manager + 70_000.0),
        ("north", 3.0 * rep + 2.0 * manager + 50_000.0),
        ("south", 1.0 * rep + 1.0 * manager + 30_000.0),
    ];
    for (office, cost) in expected {
        assert_eq!(
            v(&format!("offices.{office}.staffing_cost_per_year")),
            cost,
            "{office}"
        );
    }
    // Layers above the offices: 4 first-line managers at a span of 4 have one above.
    let cost = staffing_cost(s);
    assert_eq!(cost.managers, 4 + 1);
    assert_eq!(cost.offices_per_year, 150_000.0);
    // Outside the offices: the two engineers and the manager above.
    assert_eq!(
        v("staffing_cost.central_per_year"),
        2.0 * 120_000.0 + manager
    );
}

#[test]
fn office_travel_legs_replace_the_roles() {
    // North's legs are 0.5 h, the role's 1 h: north's reps spend half the travel time
    // per meeting. Travel per meeting is two legs (self-booked round trips).
    let loaded = load(THREE_OFFICES);
    let s = &loaded.scenario;
    let names = catalogue(s).names().to_vec();
    let mut ratios = Vec::new();
    for trial in 0..TRIALS {
        let values = simulate(s, SEED, trial).values;
        let v = |name: &str| value(&names, &values, name);
        // Whole-role travel hours = share x people x measured hours; north's part
        // is 2 x 0.5 x its meetings, the rest 2 x 1.0 x theirs (meetings of north's
        // leads are held by north's reps only).
        let hours = s.measured_hours();
        let travel = v("roles.rep.time_share.travel") * 6.0 * hours;
        let weeks = s.measured_weeks();
        let per_week = |o: &str| v(&format!("offices.{o}.meetings_per_week")) * weeks;
        let expected =
            2.0 * 0.5 * per_week("north") + 2.0 * (per_week("central") + per_week("south"));
        ratios.push(travel / expected);
    }
    // Meetings cut by the horizon or warm-up make a small difference: within 3%.
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    assert!(
        (mean - 1.0).abs() < 0.03,
        "travel / expected = {mean}, {ratios:?}"
    );
}

#[test]
fn a_plain_headcount_with_offices_is_central_and_shares_default_to_headcount() {
    // Without office_shares, leads split by the to_role's people per office: 1 : 3.
    let text = THREE_OFFICES
        .replace(
            "office_shares = { north = 0.5, central = 0.3, south = 0.2 }\n",
            "",
        )
        .replace(
            "{ north = 3, central = 2, south = 1 }",
            "{ north = 3, south = 1 }",
        );
    let loaded = load(&text);
    let shares = &loaded.scenario.lead_sources[0].office_shares;
    assert_eq!(shares, &vec![0.0, 0.75, 0.25]);
    let rep = loaded.scenario.role_index("rep").unwrap();
    assert_eq!(loaded.scenario.roles[rep].headcount, 4);
    let engineering = loaded.scenario.role_index("engineering").unwrap();
    assert_eq!(loaded.scenario.roles[engineering].office_headcount, None);
}

/// The error text of `text`, which must not load.
fn error_of(text: &str) -> String {
    match load_str(text, "bad.toml", "bad", &[]) {
        Ok(_) => panic!("loaded, but should not:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_office_keys_name_file_line_and_key() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (
            THREE_OFFICES.replace("central = 2, south = 1 }", "centrl = 2, south = 1 }"),
            "centrl = 2",
            "roles.rep.headcount.centrl",
            "did you mean \"central\"",
        ),
        (
            THREE_OFFICES.replace("central = 0.3, south = 0.2", "central = 0.3, south = 0.3"),
            "office_shares",
            "lead_sources.0.office_shares",
            "sum to 1",
        ),
        (
            THREE_OFFICES.replace("south = 0.2 }", "sud = 0.2 }"),
            "office_shares",
            "lead_sources.0.office_shares.sud",
            "unknown office",
        ),
        (
            THREE_OFFICES.replace(
                "manager_annual_cost = 150000",
                "manager_annual_cost = 1\noffice_annual_cost = 5",
            ),
            "office_annual_cost",
            "costs.office_annual_cost",
            "replaces costs.offices",
        ),
        (
            THREE_OFFICES.replace(
                "{ north = 3, central = 2, south = 1 }",
                "{ north = 3, central = 2 }",
            ),
            "headcount = { north = 3, central = 2 }",
            "roles.rep.headcount",
            "\"south\" has nobody of role \"rep\"",
        ),
        (
            THREE_OFFICES.replace(
                "[offices.north]\nannual_cost = 50000\ntravel_hours = 0.5\n",
                "",
            ),
            "north = 3",
            "roles.rep.headcount.north",
            "unknown office",
        ),
        (
            THREE_OFFICES.replace(
                "advance = 0.6\n",
                "advance = 0.6\nsame_person_as = \"qualfy\"\n",
            ),
            "same_person_as",
            "funnel.2.same_person_as",
            "did you mean \"qualify\"",
        ),
        (
            THREE_OFFICES.replace(
                "advance = 0.6\n",
                "advance = 0.6\nsame_person_as = \"visit\"\n",
            ),
            "same_person_as",
            "funnel.2.same_person_as",
            "done by another role",
        ),
    ];
    for (text, needle, key, words) in cases {
        let message = error_of(&text);
        let line = line_of(&text, needle);
        assert!(
            message.contains(&format!("bad.toml:{line}:")),
            "line {line}: {message}"
        );
        assert!(
            message.contains(key) && message.contains(words),
            "{key} / {words}: {message}"
        );
    }
    // Office shares without any office.
    let single = "[[lead_sources]]\nkind = \"inbound\"\nrate_per_week = 1.0\noffice_shares = { a = 1.0 }\n[roles.x]\nheadcount = 1\n[[funnel]]\nname = \"s\"\nrole = \"x\"\nduration = 1.0\n";
    let message = error_of(single);
    assert!(
        message.contains("bad.toml:4:") && message.contains("needs [offices.NAME]"),
        "{message}"
    );
}

fn shipped(file: &str) -> LoadedScenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    salesim::scenario::load_file(&path, &[]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_distributor_pair_runs_without_warnings_and_reports_its_offices() {
    use salesim::experiment::{Comparison, Plan, Shard};
    let before = shipped("distributor_before.toml");
    let after = shipped("distributor_after.toml");
    for loaded in [&before, &after] {
        let names: Vec<&str> = loaded
            .scenario
            .offices
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(names, OFFICES, "{}", loaded.origin);
    }
    // One market: the same lead sources, rates and office shares in both designs.
    let supply = |l: &LoadedScenario| {
        l.scenario
            .lead_sources
            .iter()
            .map(|s| format!("{:?} {:?}", s.kind, s.office_shares))
            .collect::<Vec<_>>()
    };
    let (a, b) = (supply(&before), supply(&after));
    assert_eq!(a.len(), b.len());
    assert_eq!(a[0], b[0], "inbound");
    let plan = Plan {
        trials: 3,
        seed: SEED,
        shard: Shard::WHOLE,
    };
    let c = Comparison::run(&[before, after], plan, "offices test");
    for s in &c.scenarios {
        assert!(s.warnings.is_empty(), "{}: {:?}", s.name, s.warnings);
    }
    let html = String::from_utf8(salesim::report::html::render_html(&c)).unwrap();
    assert!(
        html.contains("<section id=\"offices\">") && html.contains(">north<"),
        "no offices section"
    );
    // A comparison without offices has no such section.
    let plain = Comparison::run(&[shipped("validation/mm3.toml")], plan, "no offices");
    let html = String::from_utf8(salesim::report::html::render_html(&plain)).unwrap();
    assert!(!html.contains("id=\"offices\""));
}

#[test]
fn an_office_short_of_people_is_warned_about_though_its_role_is_not() {
    use salesim::experiment::overload_warnings;
    // South's one rep gets 60% of the leads: about 18 a week of some 2.5 hours each
    // (qualify, then for 70% a visit with two legs and a booking), past his 40 hours,
    // while the six reps together stay well below theirs.
    let text = THREE_OFFICES.replace(
        "{ north = 0.5, central = 0.3, south = 0.2 }",
        "{ north = 0.2, central = 0.2, south = 0.6 }",
    );
    let warnings = overload_warnings(&load(&text));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("role `rep` in office `south` is overloaded")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.starts_with("role `rep` is")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("office `north`")),
        "{warnings:?}"
    );
    // The balanced split warns about no office.
    assert!(overload_warnings(&load(THREE_OFFICES)).is_empty());
}
