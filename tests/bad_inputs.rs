//! A catalogue of bad inputs, one row each: a broken scenario or a bad command line, and
//! the fragments its message must contain. Every case must exit 2 with the message on
//! standard error (file, line and dotted key where they exist), never panic, print
//! nothing on standard output, and leave no output file behind.

mod common;

use common::Folder;

/// A valid scenario touching most of the vocabulary; cases edit it. Line numbers in the
/// expected fragments refer to this text.
const BASE: &str = r#"name = "base"
horizon_weeks = 4
warmup_weeks = 1

[calendar]
hours_per_day = 8

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[leads]
shelf_life_days = 10

[roles.desk]
headcount = 2
annual_cost = 100000
priority = ["serve", "quote"]

[roles.expert]
headcount = 1

[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.5

[[funnel]]
name = "quote"
role = "expert"
quote = true
duration = { dist = "triangular", min = 1.0, mode = 2.0, max = 4.0 }

[[funnel]]
name = "visit"
kind = "meeting"
role = "desk"
customer_notice_days = { dist = "uniform", min = 1, max = 3 }
duration = 1.5
reschedule_probability = 0.1

[handoff]
win_loss = 0.02
"#;

enum Input {
    /// The text of `bad.toml`, run as `salesim run bad.toml ... --out out.csv`.
    Scenario(String),
    /// A command line, run in a folder holding `good.toml` (BASE), `folder/` and the
    /// non-UTF-8 `latin1.toml`.
    Args(Vec<&'static str>),
}

struct Case {
    name: &'static str,
    input: Input,
    expect: &'static [&'static str],
}

/// BASE with `old` (which must occur exactly once) replaced by `new`.
fn edit(name: &'static str, old: &str, new: &str, expect: &'static [&'static str]) -> Case {
    assert_eq!(
        BASE.matches(old).count(),
        1,
        "case `{name}`: `{old}` not unique"
    );
    Case {
        name,
        input: Input::Scenario(BASE.replacen(old, new, 1)),
        expect,
    }
}

/// BASE with `extra` added at the end.
fn append(name: &'static str, extra: &str, expect: &'static [&'static str]) -> Case {
    Case {
        name,
        input: Input::Scenario(format!("{BASE}{extra}")),
        expect,
    }
}

fn args(name: &'static str, args: &[&'static str], expect: &'static [&'static str]) -> Case {
    Case {
        name,
        input: Input::Args(args.to_vec()),
        expect,
    }
}

fn syntax_and_type_cases() -> Vec<Case> {
    vec![
        Case {
            name: "an empty file",
            input: Input::Scenario(String::new()),
            expect: &["bad.toml", "roles", "defines no roles"],
        },
        Case {
            name: "a funnel that no lead source feeds",
            input: Input::Scenario(
                "[roles.desk]\nheadcount = 1\n[[funnel]]\nname = \"a\"\nrole = \"desk\"\nduration = 1\n".into(),
            ),
            expect: &["bad.toml", "lead_sources", "no lead source feeds it"],
        },
        edit(
            "an unclosed table header",
            "[roles.expert]",
            "[roles.expert",
            &["bad.toml:20:14", "unclosed table"],
        ),
        edit(
            "an unterminated string",
            "name = \"base\"",
            "name = \"base",
            &["bad.toml:1:13", "string"],
        ),
        edit(
            "a key set twice",
            "annual_cost = 100000",
            "annual_cost = 100000\nheadcount = 3",
            &["bad.toml:18:1", "duplicate key `headcount`"],
        ),
        append(
            "a table defined twice",
            "\n[roles.desk]\nheadcount = 5\n",
            &["bad.toml:47:8", "duplicate key `desk`"],
        ),
        edit(
            "a headcount written as a word",
            "headcount = 2",
            "headcount = \"three\"",
            &["bad.toml:16:13", "roles.desk.headcount", "whole number"],
        ),
        edit(
            "a fractional headcount",
            "headcount = 2",
            "headcount = 2.5",
            &["bad.toml:16:13", "roles.desk.headcount", "whole number"],
        ),
        edit(
            "a negative headcount",
            "headcount = 2",
            "headcount = -1",
            &["bad.toml:16:13", "roles.desk.headcount", "whole number"],
        ),
        edit(
            "a rate written as a boolean",
            "rate_per_week = 20.0",
            "rate_per_week = true",
            &[
                "bad.toml:10:17",
                "lead_sources.0.rate_per_week",
                "expected a number",
            ],
        ),
        edit(
            "a priority written as a string, not a list",
            "priority = [\"serve\", \"quote\"]",
            "priority = \"serve\"",
            &["bad.toml:18:12", "roles.desk.priority", "expected a list"],
        ),
        edit(
            "a routing that is not pool or owner",
            "routing = \"pool\"",
            "routing = \"pol\"",
            &["bad.toml:26:11", "funnel.0.routing", "did you mean `pool`"],
        ),
        edit(
            "a duration that is a word",
            "duration = 1.5",
            "duration = \"long\"",
            &["bad.toml:41:12", "funnel.2.duration", "a number or a table"],
        ),
    ]
}

fn unknown_and_missing_key_cases() -> Vec<Case> {
    vec![
        edit(
            "an unknown top-level key",
            "name = \"base\"",
            "nmae = \"base\"",
            &["bad.toml:1:1", "nmae", "did you mean `name`"],
        ),
        edit(
            "an unknown key in a role",
            "annual_cost",
            "anual_cost",
            &[
                "bad.toml:17:1",
                "roles.desk.anual_cost",
                "did you mean `annual_cost`",
            ],
        ),
        edit(
            "an unknown key in a step",
            "advance = 0.5",
            "advanse = 0.5",
            &[
                "bad.toml:28:1",
                "funnel.0.advanse",
                "did you mean `advance`",
            ],
        ),
        edit(
            "an unknown key in a distribution",
            "mean = 1.0 }",
            "maen = 1.0 }",
            &[
                "bad.toml:27:36",
                "funnel.0.duration.maen",
                "did you mean `mean`",
            ],
        ),
        edit(
            "a step without a duration",
            "duration = { dist = \"exponential\", mean = 1.0 }\n",
            "",
            &["bad.toml:23:", "funnel.0.duration", "is required"],
        ),
        edit(
            "a step without a role",
            "role = \"desk\"\nrouting",
            "routing",
            &["bad.toml:23:", "funnel.0.role", "is required"],
        ),
        edit(
            "an inbound source without a rate",
            "rate_per_week = 20.0\n",
            "",
            &["bad.toml:8:", "lead_sources.0.rate_per_week", "is required"],
        ),
        edit(
            "a role without a headcount",
            "[roles.expert]\nheadcount = 1\n",
            "[roles.expert]\nannual_cost = 1\n",
            &["bad.toml:20:", "roles.expert.headcount", "is required"],
        ),
        edit(
            "a distribution without `dist`",
            "{ dist = \"exponential\", mean = 1.0 }",
            "{ mean = 1.0 }",
            &["bad.toml:27:", "funnel.0.duration.dist", "is required"],
        ),
    ]
}

fn number_cases() -> Vec<Case> {
    vec![
        edit(
            "a negative arrival rate",
            "rate_per_week = 20.0",
            "rate_per_week = -1",
            &[
                "bad.toml:10:1",
                "lead_sources.0.rate_per_week",
                "must not be negative (got -1)",
            ],
        ),
        edit(
            "a zero horizon",
            "horizon_weeks = 4",
            "horizon_weeks = 0",
            &[
                "bad.toml:2:1",
                "horizon_weeks",
                "must be greater than 0 (got 0)",
            ],
        ),
        edit(
            "a horizon that is not a number",
            "horizon_weeks = 4",
            "horizon_weeks = nan",
            &["bad.toml:2:1", "horizon_weeks", "finite number (got NaN)"],
        ),
        edit(
            "an infinite warm-up",
            "warmup_weeks = 1",
            "warmup_weeks = inf",
            &["bad.toml:3:1", "warmup_weeks", "finite number (got inf)"],
        ),
        edit(
            "a cost that is not a number",
            "annual_cost = 100000",
            "annual_cost = nan",
            &[
                "bad.toml:17:1",
                "roles.desk.annual_cost",
                "finite number (got NaN)",
            ],
        ),
        edit(
            "a working day longer than a day",
            "hours_per_day = 8",
            "hours_per_day = 30",
            &[
                "bad.toml:6:1",
                "calendar.hours_per_day",
                "at most 24 (got 30)",
            ],
        ),
        edit(
            "a zero shelf life",
            "shelf_life_days = 10",
            "shelf_life_days = 0",
            &["bad.toml:13:1", "leads.shelf_life_days", "greater than 0"],
        ),
        edit(
            "a number too large for TOML",
            "horizon_weeks = 4",
            "horizon_weeks = 1e400",
            &["bad.toml:2:", "overflow"],
        ),
        edit(
            "an absurd horizon",
            "horizon_weeks = 4",
            "horizon_weeks = 1e9",
            &["bad.toml:2:1", "horizon_weeks", "at most"],
        ),
        edit(
            "an advance probability above 1",
            "advance = 0.5",
            "advance = 1.5",
            &[
                "bad.toml:28:1",
                "funnel.0.advance",
                "between 0 and 1 (got 1.5)",
            ],
        ),
        append(
            "a negative hand-off time",
            "time_minutes = -5\n",
            &[
                "bad.toml:46:1",
                "handoff.time_minutes",
                "must not be negative (got -5)",
            ],
        ),
        edit(
            "a hand-off loss below 0",
            "win_loss = 0.02",
            "win_loss = -0.1",
            &[
                "bad.toml:45:1",
                "handoff.win_loss",
                "between 0 and 1 (got -0.1)",
            ],
        ),
        edit(
            "a reschedule probability of 2",
            "reschedule_probability = 0.1",
            "reschedule_probability = 2",
            &[
                "bad.toml:42:1",
                "funnel.2.reschedule_probability",
                "between 0 and 1 (got 2)",
            ],
        ),
        edit(
            "a reschedule probability of exactly 1",
            "reschedule_probability = 0.1",
            "reschedule_probability = 1",
            &[
                "bad.toml:42:1",
                "funnel.2.reschedule_probability",
                "no meeting would ever happen",
            ],
        ),
        edit(
            "a reschedule probability on a task",
            "advance = 0.5",
            "advance = 0.5\nreschedule_probability = 0.2",
            &[
                "bad.toml:29:1",
                "funnel.0.reschedule_probability",
                "only to kind = \"meeting\"",
            ],
        ),
        append(
            "an attrition rate that would make every quit fall at once",
            "\n[roles.expert.people]\nattrition_per_year = 1e300\n",
            &[
                "bad.toml:",
                "roles.expert.people.attrition_per_year",
                "at most 52",
            ],
        ),
    ]
}

fn structure_cases() -> Vec<Case> {
    vec![
        edit(
            "variant shares that do not sum to 1",
            "role = \"expert\"\nquote = true\nduration = { dist = \"triangular\", min = 1.0, mode = 2.0, max = 4.0 }\n",
            "quote = true\n[[funnel.variants]]\nshare = 0.5\nrole = \"expert\"\nduration = 2\n[[funnel.variants]]\nshare = 0.3\nrole = \"desk\"\nduration = 1\n",
            &[
                "bad.toml:",
                "funnel.1.variants",
                "sum to 1 (they sum to 0.8)",
            ],
        ),
        edit(
            "a step routed to an unknown role",
            "role = \"expert\"",
            "role = \"expret\"",
            &[
                "bad.toml:32:1",
                "funnel.1.role",
                "unknown role \"expret\"",
                "did you mean \"expert\"",
                "defined roles: desk, expert",
            ],
        ),
        edit(
            "work routed to a role with no people",
            "[roles.expert]\nheadcount = 1",
            "[roles.expert]\nheadcount = 0",
            &[
                "bad.toml:21:1",
                "roles.expert.headcount",
                "by funnel.1.role",
                "has no people",
            ],
        ),
        edit(
            "a negative standard deviation",
            "duration = 1.5",
            "duration = { dist = \"normal\", mean = 1.5, sd = -1 }",
            &[
                "bad.toml:41:",
                "funnel.2.duration.sd",
                "must not be negative (got -1)",
            ],
        ),
        edit(
            "a uniform minimum above its maximum",
            "min = 1, max = 3",
            "min = 3, max = 1",
            &[
                "bad.toml:40:",
                "funnel.2.customer_notice_days.min",
                "must not exceed max",
            ],
        ),
        edit(
            "a triangular mode outside its bounds",
            "mode = 2.0",
            "mode = 5.0",
            &[
                "bad.toml:34:",
                "funnel.1.duration.mode",
                "must lie in [min, max]",
            ],
        ),
        edit(
            "an unknown distribution",
            "dist = \"exponential\"",
            "dist = \"exponentail\"",
            &[
                "bad.toml:27:",
                "funnel.0.duration.dist",
                "did you mean \"exponential\"",
                "lognormal",
            ],
        ),
        edit(
            "an exponential with mean 0",
            "mean = 1.0 }",
            "mean = 0 }",
            &[
                "bad.toml:27:",
                "funnel.0.duration.mean",
                "greater than 0 (got 0)",
            ],
        ),
        edit(
            "empirical weights of the wrong length",
            "duration = 1.5",
            "duration = { dist = \"empirical\", values = [1, 2, 3], weights = [1, 2] }",
            &[
                "bad.toml:41:",
                "funnel.2.duration.weights",
                "has 2 entries but values has 3",
            ],
        ),
        edit(
            "a parameter that does not belong to the distribution",
            "mean = 1.0 }",
            "mean = 1.0, sd = 0.5 }",
            &[
                "bad.toml:27:",
                "funnel.0.duration.sd",
                "not a parameter of \"exponential\"",
            ],
        ),
        edit(
            "a mean too small to mean anything",
            "mean = 1.0 }",
            "mean = 1.0 }\ncount = { dist = \"gamma\", mean = 1e-200, sd = 1 }",
            &[
                "bad.toml:28:",
                "funnel.0.count.mean",
                "at least 1e-9 (got 1e-200)",
            ],
        ),
        append(
            "a span of control of 1 (managers above managers for ever)",
            "\n[costs]\nspan_of_control = 1\n",
            &[
                "bad.toml:48:1",
                "costs.span_of_control",
                "at least 2 (got 1)",
            ],
        ),
        edit(
            "a customer notice too long for any calendar",
            "min = 1, max = 3",
            "min = 1, max = 1e300",
            &[
                "bad.toml:40:",
                "funnel.2.customer_notice_days.max",
                "at most 1e12",
            ],
        ),
        edit(
            "a warm-up as long as the horizon",
            "warmup_weeks = 1",
            "warmup_weeks = 4",
            &["bad.toml:3:1", "warmup_weeks", "shorter than horizon_weeks"],
        ),
        edit(
            "two steps with one name",
            "name = \"visit\"",
            "name = \"serve\"",
            &[
                "bad.toml:37:1",
                "funnel.2.name",
                "duplicate step name \"serve\"",
            ],
        ),
        edit(
            "a step named like a built-in kind of work",
            "name = \"visit\"",
            "name = \"service\"",
            &["bad.toml:37:1", "funnel.2.name", "built-in kind"],
        ),
        edit(
            "a priority naming an unknown kind of work",
            "priority = [\"serve\", \"quote\"]",
            "priority = [\"serve\", \"quoet\"]",
            &[
                "bad.toml:18:1",
                "roles.desk.priority",
                "\"quoet\"",
                "did you mean \"quote\"",
            ],
        ),
        edit(
            "two quote steps",
            "name = \"serve\"\n",
            "name = \"serve\"\nquote = true\n",
            &[
                "bad.toml:",
                "funnel",
                "at most one step may be the quote step",
            ],
        ),
    ]
}

fn command_line_cases() -> Vec<Case> {
    vec![
        args(
            "zero trials",
            &["run", "good.toml", "--trials", "0", "--out", "out.csv"],
            &["--trials", "at least 1 (got 0)"],
        ),
        args(
            "a trillion trials",
            &[
                "run",
                "good.toml",
                "--trials",
                "1000000000000",
                "--out",
                "out.csv",
            ],
            &["--trials 1000000000000", "--shard"],
        ),
        args(
            "zero threads",
            &["run", "good.toml", "--threads", "0", "--out", "out.csv"],
            &["--threads", "at least 1 (got 0)"],
        ),
        args(
            "a negative seed",
            &["run", "good.toml", "--seed", "-1", "--out", "out.csv"],
            &["--seed", "whole number", "-1"],
        ),
        args(
            "a fractional trial count",
            &["run", "good.toml", "--trials", "2.5", "--out", "out.csv"],
            &["--trials", "whole number", "2.5"],
        ),
        args(
            "a --set without `=`",
            &[
                "run",
                "good.toml",
                "--set",
                "roles.desk.headcount",
                "--out",
                "out.csv",
            ],
            &["--set", "roles.desk.headcount", "PATH=VALUE"],
        ),
        args(
            "a --set path that does not exist",
            &[
                "run",
                "good.toml",
                "--set",
                "roles.dsek.headcount=3",
                "--out",
                "out.csv",
            ],
            &["good.toml", "roles.dsek", "did you mean `desk`"],
        ),
        args(
            "a --set of an unknown key",
            &[
                "run",
                "good.toml",
                "--set",
                "roles.desk.headcont=3",
                "--out",
                "out.csv",
            ],
            &[
                "roles.desk.headcont",
                "did you mean `headcount`",
                "--set roles.desk.headcont=3",
            ],
        ),
        args(
            "a --set leaving a role with no people",
            &[
                "run",
                "good.toml",
                "--set",
                "roles.desk.headcount=0",
                "--out",
                "out.csv",
            ],
            &[
                "good.toml",
                "roles.desk.headcount",
                "has no people",
                "--set roles.desk.headcount=0",
            ],
        ),
        args(
            "a --set of the wrong type",
            &[
                "run",
                "good.toml",
                "--set",
                "roles.desk.headcount=many",
                "--out",
                "out.csv",
            ],
            &[
                "roles.desk.headcount",
                "whole number",
                "--set roles.desk.headcount=many",
            ],
        ),
        args(
            "a shard index equal to the count",
            &["run", "good.toml", "--shard", "2/2", "--out", "out.csv"],
            &["--shard", "2/2", "below N"],
        ),
        args(
            "a shard that is not K/N",
            &["run", "good.toml", "--shard", "x", "--out", "out.csv"],
            &["--shard", "`x` is not K/N"],
        ),
        args(
            "more shards than trials",
            &[
                "run",
                "good.toml",
                "--trials",
                "3",
                "--shard",
                "0/4",
                "--out",
                "out.csv",
            ],
            &["--shard 0/4", "more than the 3 trials"],
        ),
        args(
            "a shard without --out",
            &["run", "good.toml", "--shard", "0/2"],
            &["--shard needs --out"],
        ),
        args(
            "an unknown format",
            &["run", "good.toml", "--format", "xml", "--out", "out.csv"],
            &["xml", "--format", "table, csv, json"],
        ),
        args(
            "a missing scenario file",
            &["run", "nowhere.toml", "--out", "out.csv"],
            &["nowhere.toml", "cannot read"],
        ),
        args(
            "a folder given as the scenario",
            &["run", "folder", "--out", "out.csv"],
            &["folder", "cannot read"],
        ),
        args(
            "a scenario that is not UTF-8",
            &["run", "latin1.toml", "--out", "out.csv"],
            &["latin1.toml", "not UTF-8"],
        ),
        args(
            "an output file in a missing folder",
            &["run", "good.toml", "--out", "missing/out.csv"],
            &["--out missing/out.csv", "folder missing does not exist"],
        ),
        args(
            "an output path that is a folder",
            &["run", "good.toml", "--out", "folder"],
            &["--out folder", "folder"],
        ),
        args(
            "a trace of a missing file",
            &["trace", "nowhere.toml", "--out", "out.csv"],
            &["nowhere.toml", "cannot read"],
        ),
        args(
            "a merge of a file that is not a part",
            &["merge", "good.toml", "--out", "out.csv"],
            &["good.toml", "manifest"],
        ),
        args(
            "a comparison of one scenario",
            &["compare", "good.toml", "--csv", "out.csv"],
            &["SCENARIOS", "2"],
        ),
        args(
            "an unknown command",
            &["simulate", "good.toml"],
            &["simulate"],
        ),
    ]
}

fn catalogue() -> Vec<Case> {
    let mut cases = syntax_and_type_cases();
    cases.extend(unknown_and_missing_key_cases());
    cases.extend(number_cases());
    cases.extend(structure_cases());
    cases.extend(command_line_cases());
    cases
}

/// Runs one case in a fresh folder and returns what is wrong with the outcome.
fn check(case: &Case) -> Vec<String> {
    let dir = Folder::holding("good.toml", BASE);
    std::fs::create_dir(dir.path("folder")).unwrap();
    dir.write("latin1.toml", b"name = \"caf\xe9\"\n");
    let command: Vec<&str> = match &case.input {
        Input::Scenario(text) => {
            dir.write("bad.toml", text);
            vec![
                "run", "bad.toml", "--trials", "2", "--quiet", "--format", "csv", "--out",
                "out.csv",
            ]
        }
        Input::Args(args) => args.clone(),
    };
    let before = dir.files();
    let output = dir
        .salesim(&command)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("salesim runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let mut wrong = Vec::new();
    if output.status.code() != Some(2) {
        wrong.push(format!("exit code {:?}, not 2", output.status.code()));
    }
    for fragment in case.expect {
        if !stderr.contains(fragment) {
            wrong.push(format!("stderr lacks `{fragment}`"));
        }
    }
    for forbidden in ["panicked", "RUST_BACKTRACE"] {
        if stderr.contains(forbidden) {
            wrong.push(format!("stderr contains `{forbidden}`"));
        }
    }
    if !stderr.starts_with("error: ") {
        wrong.push("stderr does not start with `error: `".into());
    }
    if !output.stdout.is_empty() {
        wrong.push(format!(
            "stdout is not empty: {}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    let after = dir.files();
    if after != before {
        wrong.push(format!("files changed: {before:?} -> {after:?}"));
    }
    if !wrong.is_empty() {
        wrong.push(format!("stderr was:\n{stderr}"));
    }
    wrong
}

#[test]
fn the_base_scenario_is_valid() {
    Folder::holding("good.toml", BASE).ok(&["run", "good.toml", "--trials", "2", "--quiet"]);
}

#[test]
fn the_catalogue_is_large_and_names_are_unique() {
    let cases = catalogue();
    assert!(cases.len() >= 45, "only {} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "duplicate case names");
}

#[test]
fn every_bad_input_exits_2_with_a_clear_message_and_no_output() {
    let failures: Vec<String> = catalogue()
        .iter()
        .filter_map(|case| {
            let wrong = check(case);
            (!wrong.is_empty()).then(|| format!("case `{}`:\n  {}", case.name, wrong.join("\n  ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
