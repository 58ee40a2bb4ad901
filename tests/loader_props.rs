//! Properties of the loader and the model on generated inputs: mangled scenario texts
//! never panic the loader (errors are fine), and randomly built valid scenarios always
//! load, run to the end without panicking, and account for every lead they create.

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use salesim::model::{TrialOutput, simulate};
use salesim::scenario::{Override, Scenario, SourceKind, load_str};

/// A valid scenario using most of the vocabulary: the seed of the mutations.
const SEED_TEXT: &str = r#"name = "seed"
horizon_weeks = 3
warmup_weeks = 1

[calendar]
hours_per_day = 8
days_per_week = 5

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0
assign = "round_robin"
to_role = "desk"

[leads]
shelf_life_days = 10

[roles.desk]
headcount = 2
annual_cost = 100000
priority = ["service", "serve", "quote"]
interrupted_by = ["service"]
switch_cost_minutes = 5

[roles.expert]
headcount = 1

[[funnel]]
name = "serve"
role = "desk"
routing = "owner"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.5

[[funnel]]
name = "quote"
role = "expert"
quote = true
duration = { dist = "triangular", min = 1.0, mode = 2.0, max = 4.0 }
advance = 0.8

[[funnel]]
name = "visit"
kind = "meeting"
role = "desk"
routing = "owner"
customer_notice_days = { dist = "uniform", min = 1, max = 3 }
duration = 1.5
reschedule_probability = 0.1

[handoff]
time_minutes = 20
win_loss = 0.02

[deals]
value = { dist = "lognormal", mean = 40000, sd = 20000 }

[service]
rate_per_week = 5.0
role = "desk"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[admin]
per_win_hours = 0.5

[costs]
span_of_control = 8
manager_annual_cost = 150000
"#;

/// One edit of a scenario text.
#[derive(Debug, Clone)]
enum Edit {
    /// Overwrite the byte at (position modulo length) with an ASCII byte.
    Replace(usize, u8),
    /// Insert an ASCII byte before (position modulo length).
    Insert(usize, u8),
    /// Delete the byte at (position modulo length).
    Delete(usize),
    /// Delete line (index modulo line count).
    DeleteLine(usize),
    /// Write line (index modulo line count) twice.
    DuplicateLine(usize),
    /// Move a line to another place.
    MoveLine(usize, usize),
    /// Replace number (index modulo count) with one of `ODD_NUMBERS`.
    Number(usize, &'static str),
}

/// Numbers that test the semantic checks rather than the TOML parser.
const ODD_NUMBERS: &[&str] = &[
    "0", "-1", "1", "0.5", "2", "1.5", "100", "1e9", "1e-9", "nan", "inf", "-inf", "0.0001",
];

/// Bytes that matter to TOML and to numbers, plus any printable ASCII.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"[]{}=\",.-+0123456789eE_ \n#'infat".to_vec()),
        1 => 0x20u8..0x7f,
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0usize..10_000;
    prop_oneof![
        1 => (at.clone(), interesting_byte()).prop_map(|(i, b)| Edit::Replace(i, b)),
        1 => (at.clone(), interesting_byte()).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => at.clone().prop_map(Edit::Delete),
        1 => at.clone().prop_map(Edit::DeleteLine),
        1 => at.clone().prop_map(Edit::DuplicateLine),
        1 => (at.clone(), at.clone()).prop_map(|(i, j)| Edit::MoveLine(i, j)),
        4 => (at, prop::sample::select(ODD_NUMBERS)).prop_map(|(i, n)| Edit::Number(i, n)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        match *e {
            Edit::Replace(i, b) if !bytes.is_empty() => {
                let n = bytes.len();
                bytes[i % n] = b;
            }
            Edit::Insert(i, b) => {
                let at = i % (bytes.len() + 1);
                bytes.insert(at, b);
            }
            Edit::Delete(i) if !bytes.is_empty() => {
                let n = bytes.len();
                bytes.remove(i % n);
            }
            Edit::Number(i, number) => bytes = replace_number(&bytes, i, number),
            Edit::DeleteLine(i) | Edit::DuplicateLine(i) | Edit::MoveLine(i, _) => {
                let text = String::from_utf8(bytes).expect("ASCII edits keep UTF-8");
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let n = lines.len();
                    match *e {
                        Edit::DeleteLine(_) => {
                            lines.remove(i % n);
                        }
                        Edit::DuplicateLine(_) => lines.insert(i % n, lines[i % n]),
                        Edit::MoveLine(_, j) => {
                            let line = lines.remove(i % n);
                            lines.insert(j % n, line);
                        }
                        _ => unreachable!(),
                    }
                }
                bytes = (lines.join("\n") + "\n").into_bytes();
            }
            _ => {}
        }
    }
    String::from_utf8(bytes).expect("ASCII edits keep UTF-8")
}

/// `bytes` with its (i modulo count)-th run of digits and dots replaced by `number`.
fn replace_number(bytes: &[u8], i: usize, number: &str) -> Vec<u8> {
    let is_number = |b: u8| b.is_ascii_digit() || b == b'.';
    let mut runs = Vec::new();
    let mut start = None;
    for (at, &b) in bytes.iter().enumerate() {
        match (start, is_number(b)) {
            (None, true) => start = Some(at),
            (Some(s), false) => {
                runs.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..bytes.len());
    }
    if runs.is_empty() {
        return bytes.to_vec();
    }
    let run = runs[i % runs.len()].clone();
    let mut out = bytes[..run.start].to_vec();
    out.extend_from_slice(number.as_bytes());
    out.extend_from_slice(&bytes[run.end..]);
    out
}

/// Small enough to simulate in a test: a mutation can turn 20 leads a week into 20000.
fn small(s: &Scenario) -> bool {
    let weekly = |per_hour: f64| per_hour * s.calendar.hours_per_week();
    let sources_small = s.lead_sources.iter().all(|src| match &src.kind {
        SourceKind::Inbound { rate_per_hour, .. } => weekly(*rate_per_hour) <= 200.0,
        SourceKind::Prospecting { leads_per_hour, .. } => *leads_per_hour <= 5.0,
    });
    let service_small = s
        .service
        .as_ref()
        .is_none_or(|sv| weekly(sv.rate_per_hour) <= 200.0);
    s.horizon_hours <= 12.0 * 40.0
        && s.roles.iter().all(|r| r.headcount <= 20)
        && sources_small
        && service_small
        && s.funnel
            .iter()
            .all(|step| step.count.as_ref().is_none_or(|c| c.mean() <= 5.0))
}

/// Runs one trial on another thread and fails if it does not finish within a minute
/// (a hung trial would otherwise hang the test run).
fn simulate_with_deadline(scenario: Scenario, seed: u64, trial: u64) -> TrialOutput {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let out = simulate(&scenario, seed, trial);
        let _ = send.send(out);
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the trial did not finish in 60 s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the trial panicked"),
    }
}

fn assert_conserved(out: &TrialOutput) {
    let c = out.conservation;
    assert_eq!(
        c.created,
        c.won + c.lost + c.cold + c.open,
        "leads not conserved: {c:?}"
    );
}

#[test]
fn the_seed_text_is_valid_and_runs() {
    let loaded = load_str(SEED_TEXT, "seed.toml", "seed", &[]).expect("the seed text loads");
    let out = simulate_with_deadline(loaded.scenario, 1, 0);
    assert!(out.conservation.created > 0);
    assert_conserved(&out);
}

/// A customer who asks for a meeting a billion days ahead (a mutation this file's
/// properties once found): the booking is kept, in memory that does not grow with the
/// distance (it once tried to allocate a list for every day in between).
#[test]
fn a_meeting_a_billion_days_ahead_runs_in_bounded_memory() {
    let text = SEED_TEXT.replace(
        "customer_notice_days = { dist = \"uniform\", min = 1, max = 3 }",
        "customer_notice_days = 1000000000",
    );
    assert_ne!(text, SEED_TEXT, "the seed text has the notice to replace");
    let loaded = load_str(&text, "far.toml", "far", &[]).expect("the far notice loads");
    let out = simulate_with_deadline(loaded.scenario, 1, 0);
    assert_conserved(&out);
    assert!(
        out.conservation.open > 0,
        "leads wait for their far meetings"
    );
}

/// Paths and values for random `--set` overrides, good and bad.
const SET_PATHS: &[&str] = &[
    "horizon_weeks",
    "warmup_weeks",
    "roles.desk.headcount",
    "roles.expert.headcount",
    "roles.desk.priority",
    "roles.nobody.headcount",
    "funnel.0.advance",
    "funnel.1.duration",
    "funnel.2.reschedule_probability",
    "funnel.7.advance",
    "funnel.x.advance",
    "lead_sources.0.release",
    "lead_sources.0.rate_per_week",
    "service.routing",
    "leads.shelf_life_days",
    "name.inner",
    "calendar.hours_per_day",
    "deals.value.sd",
];
const SET_VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2.5",
    "1e400",
    "nan",
    "inf",
    "pull",
    "owner",
    "true",
    "[\"service\"]",
    "{ dist = \"uniform\", min = 2, max = 1 }",
    "{ dist = \"exponential\", mean = 0.5 }",
    "\"unclosed",
    "",
    "[",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mangled_texts_never_panic_the_loader(edits in prop::collection::vec(edit(), 1..6)) {
        let text = apply(SEED_TEXT, &edits);
        // What the loader accepts, the model must run.
        if let Ok(loaded) = load_str(&text, "mangled.toml", "mangled", &[])
            && small(&loaded.scenario)
        {
            assert_conserved(&simulate_with_deadline(loaded.scenario, 3, 0));
        }
    }

    #[test]
    fn odd_numbers_never_panic_the_loader_or_the_model(
        edits in prop::collection::vec(
            (0usize..10_000, prop::sample::select(ODD_NUMBERS))
                .prop_map(|(i, n)| Edit::Number(i, n)),
            1..4,
        )
    ) {
        let text = apply(SEED_TEXT, &edits);
        if let Ok(loaded) = load_str(&text, "odd.toml", "odd", &[])
            && small(&loaded.scenario)
        {
            assert_conserved(&simulate_with_deadline(loaded.scenario, 7, 2));
        }
    }

    #[test]
    fn random_overrides_never_panic_the_loader(
        sets in prop::collection::vec(
            (prop::sample::select(SET_PATHS), prop::sample::select(SET_VALUES)),
            1..4,
        )
    ) {
        let overrides: Vec<Override> = sets
            .iter()
            .filter_map(|(p, v)| Override::parse(&format!("{p}={v}")).ok())
            .collect();
        match load_str(SEED_TEXT, "seed.toml", "seed", &overrides) {
            Ok(loaded) => {
                if small(&loaded.scenario) {
                    assert_conserved(&simulate_with_deadline(loaded.scenario, 5, 1));
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.starts_with("seed.toml"), "{}", text);
            }
        }
    }
}

/// A generated valid design, rendered to TOML by `Design::text`.
#[derive(Debug, Clone)]
struct Design {
    horizon_weeks: u32,
    warmup: bool,
    rate_per_week: f64,
    headcounts: Vec<u32>,
    steps: Vec<StepDesign>,
    service: Option<ServiceDesign>,
    shelf_life_days: Option<f64>,
    /// Priority and interruption lists for role 0, as indices into the kinds.
    priority: Option<Vec<usize>>,
    interrupted_by: Vec<usize>,
    seed: u64,
    trial: u64,
}

#[derive(Debug, Clone)]
struct StepDesign {
    role: usize,
    owner: bool,
    advance: f64,
    duration: String,
}

#[derive(Debug, Clone)]
struct ServiceDesign {
    rate_per_week: f64,
    role: usize,
    owner: bool,
    duration: String,
}

fn duration() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.05f64..4.0).prop_map(|m| format!("{{ dist = \"exponential\", mean = {m} }}")),
        (0.05f64..4.0).prop_map(|v| format!("{{ dist = \"constant\", value = {v} }}")),
        (0.0f64..2.0, 0.01f64..3.0).prop_map(|(min, w)| format!(
            "{{ dist = \"uniform\", min = {min}, max = {} }}",
            min + w
        )),
        (0.05f64..4.0).prop_map(|v| format!("{v}")),
    ]
}

fn step(roles: usize) -> impl Strategy<Value = StepDesign> {
    (0..roles, any::<bool>(), 0.0f64..=1.0, duration()).prop_map(
        |(role, owner, advance, duration)| StepDesign {
            role,
            owner,
            advance,
            duration,
        },
    )
}

fn service(roles: usize) -> impl Strategy<Value = ServiceDesign> {
    (0.0f64..20.0, 0..roles, any::<bool>(), duration()).prop_map(
        |(rate_per_week, role, owner, duration)| ServiceDesign {
            rate_per_week,
            role,
            owner,
            duration,
        },
    )
}

fn design() -> impl Strategy<Value = Design> {
    (1usize..=3, 1usize..=4)
        .prop_flat_map(|(roles, steps)| {
            let kinds = steps + 4;
            (
                (2u32..=6, any::<bool>(), 0.5f64..40.0),
                prop::collection::vec(1u32..=5, roles),
                prop::collection::vec(step(roles), steps),
                prop::option::of(service(roles)),
                prop::option::of(0.2f64..10.0),
                prop::option::of(Just((0..kinds).collect::<Vec<_>>()).prop_shuffle()),
                prop::collection::vec(0..kinds, 0..3),
                (any::<u64>(), 0u64..1000),
            )
        })
        .prop_map(
            |(
                (horizon_weeks, warmup, rate_per_week),
                headcounts,
                steps,
                service,
                shelf_life_days,
                priority,
                interrupted_by,
                (seed, trial),
            )| Design {
                horizon_weeks,
                warmup,
                rate_per_week,
                headcounts,
                steps,
                service,
                shelf_life_days,
                priority: priority.map(|mut p| {
                    // A priority list may name only some kinds.
                    let keep = (seed as usize % p.len()) + 1;
                    p.truncate(keep);
                    p
                }),
                interrupted_by,
                seed,
                trial,
            },
        )
}

impl Design {
    fn kind_name(&self, k: usize) -> String {
        match k.checked_sub(self.steps.len()) {
            None => format!("step{k}"),
            Some(b) => ["service", "admin", "prospecting", "booking"][b].to_string(),
        }
    }

    fn list(&self, kinds: &[usize]) -> String {
        let mut names: Vec<String> = kinds.iter().map(|k| self.kind_name(*k)).collect();
        names.dedup();
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        format!("[{}]", quoted.join(", "))
    }

    fn text(&self) -> String {
        let routing = |owner: bool| if owner { "owner" } else { "pool" };
        let mut t = format!(
            "name = \"generated\"\nhorizon_weeks = {}\nwarmup_weeks = {}\n\n",
            self.horizon_weeks,
            if self.warmup { 1 } else { 0 }
        );
        t += &format!(
            "[[lead_sources]]\nkind = \"inbound\"\nrate_per_week = {}\n\n",
            self.rate_per_week
        );
        if let Some(days) = self.shelf_life_days {
            t += &format!("[leads]\nshelf_life_days = {days}\n\n");
        }
        for (i, h) in self.headcounts.iter().enumerate() {
            t += &format!("[roles.r{i}]\nheadcount = {h}\nannual_cost = 50000\n");
            if i == 0 {
                if let Some(p) = &self.priority {
                    t += &format!("priority = {}\n", self.list(p));
                }
                let mut interrupted = self.interrupted_by.clone();
                interrupted.sort_unstable();
                t += &format!("interrupted_by = {}\n", self.list(&interrupted));
            }
            t += "\n";
        }
        for (k, s) in self.steps.iter().enumerate() {
            t += &format!(
                "[[funnel]]\nname = \"step{k}\"\nrole = \"r{}\"\nrouting = \"{}\"\nadvance = {}\nduration = {}\n\n",
                s.role,
                routing(s.owner),
                s.advance,
                s.duration
            );
        }
        if let Some(s) = &self.service {
            t += &format!(
                "[service]\nrate_per_week = {}\nrole = \"r{}\"\nrouting = \"{}\"\nduration = {}\n",
                s.rate_per_week,
                s.role,
                routing(s.owner),
                s.duration
            );
        }
        t
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_designs_run_and_conserve_leads(d in design()) {
        let text = d.text();
        let loaded = match load_str(&text, "generated.toml", "generated", &[]) {
            Ok(l) => l,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n--- text:\n{text}"))),
        };
        let out = simulate_with_deadline(loaded.scenario, d.seed, d.trial);
        let c = out.conservation;
        prop_assert_eq!(
            c.created,
            c.won + c.lost + c.cold + c.open,
            "leads not conserved: {:?}\n--- text:\n{}",
            c,
            text
        );
        prop_assert!(!out.runaway, "a small design ran away:\n{}", text);
        prop_assert!(out.values.iter().all(|v| !v.is_infinite()), "an infinite metric:\n{}", text);
    }
}
