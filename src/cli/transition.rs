//! `salesim transition BEFORE AFTER`: parse the plans, run them on the same trials
//! against staying on BEFORE, and write the table, CSV, JSON or HTML report.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, TrialArgs};
use super::commands::{bad, check_trial_args, command_line, find_warmups, load_all};
use super::error::{CliError, note};
use super::output::{accept, accept_pair, commit, ensure_stdout_open, stage, stage_pair};
use super::progress::{Signals, bar_counting};
use salesim::experiment::transition::{self, SwitchPlan, TransitionSpec};
use salesim::experiment::{self, Manifest, Plan, Shard};
use salesim::files::OutputPlan;
use salesim::report::{self, Batch};

#[derive(Debug, Args)]
#[command(
    after_help = "SPEC is all=WEEK (every office switches in simulation week WEEK, counted from the empty start as run's weekly series) or OFFICE=WEEK[,OFFICE=WEEK...] naming every office of AFTER once; all=WEEK may come first, followed by the offices that differ (all=13,south=26); `:` may stand for `=` inside a SPEC (enroll=north:20,central:33).\n\nEach trial runs staying (BEFORE alone) and, per plan, BEFORE taking each office's new work until its switch and then winding down, plus AFTER taking it from the switch with its people joining then (with AFTER's ramp), on the same market: common random numbers, every new lead goes to exactly one part.\n\nExample: salesim transition scenarios/distributor_before.toml scenarios/transition/distributor_after_ramp.toml --plan rollout=all:20 --plan enroll=north:20,central:33,south:46 --trials 200 --report transition.html"
)]
pub struct TransitionArgs {
    /// The design being left (TOML); staying on it is the yardstick.
    pub before: PathBuf,
    /// The design moved to (TOML), with the same offices.
    pub after: PathBuf,
    /// One plan: all=WEEK or OFFICE=WEEK[,OFFICE=WEEK...].
    #[arg(long, value_name = "SPEC", conflicts_with = "plan")]
    pub switch: Option<String>,
    /// A named plan, NAME=SPEC (repeatable): plans are compared side by side.
    #[arg(long, value_name = "NAME=SPEC")]
    pub plan: Vec<String>,
    /// Weeks after its switch an office's before-design people may take to finish its
    /// open work; what is still open then is lost to the transition.
    #[arg(long, default_value_t = 13.0, value_name = "W")]
    pub wind_down_weeks: f64,
    /// Override a value of BEFORE only, after `--set` (repeatable), e.g. a key AFTER has not.
    #[arg(long = "set-before", value_name = "PATH=VALUE")]
    pub set_before: Vec<String>,
    /// Override a value of AFTER only, after `--set` (repeatable): the transition's own
    /// assumptions, e.g. --set-after roles.field.people.ramp.weeks=8.
    #[arg(long = "set-after", value_name = "PATH=VALUE")]
    pub set_after: Vec<String>,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the self-contained HTML report.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

/// The plans as written: `--switch SPEC` is one plan named "switch".
fn plan_texts(args: &TransitionArgs) -> Result<Vec<(String, String)>, CliError> {
    if let Some(spec) = &args.switch {
        return Ok(vec![("switch".to_string(), spec.clone())]);
    }
    if args.plan.is_empty() {
        return Err(bad(
            "transition needs --switch SPEC or at least one --plan NAME=SPEC (SPEC: all=WEEK or OFFICE=WEEK,...)",
        ));
    }
    let mut plans: Vec<(String, String)> = Vec::new();
    for p in &args.plan {
        let (name, spec) = parse_plan(p)?;
        if plans.iter().any(|(n, _)| *n == name) {
            return Err(bad(format!(
                "--plan: the name {name:?} is used twice; give each plan its own name"
            )));
        }
        plans.push((name, spec));
    }
    Ok(plans)
}

/// One `--plan NAME=SPEC`, as (NAME, SPEC).
pub fn parse_plan(p: &str) -> Result<(String, String), CliError> {
    let written = || {
        bad(format!(
            "--plan {p:?}: write NAME=SPEC, e.g. rollout=all:20"
        ))
    };
    let (name, spec) = p.split_once('=').ok_or_else(written)?;
    let (name, spec) = (name.trim(), spec.trim());
    if name.is_empty() || spec.is_empty() {
        return Err(written());
    }
    Ok((name.to_string(), spec.to_string()))
}

/// `--wind-down-weeks` must be a finite number of weeks, 0 or more.
pub fn check_wind_down(weeks: f64) -> Result<(), CliError> {
    if weeks.is_finite() && weeks >= 0.0 {
        return Ok(());
    }
    Err(bad(format!(
        "--wind-down-weeks must be 0 or more weeks (got {weeks})"
    )))
}

pub fn transition(args: TransitionArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    check_wind_down(args.wind_down_weeks)?;
    let texts = plan_texts(&args)?;
    // `--set` moves both designs; `--set-before` / `--set-after` one of them, after it.
    let with = |extra: &[String]| [args.trials.set.as_slice(), extra].concat();
    let mut scenarios = load_all(std::slice::from_ref(&args.before), &with(&args.set_before))?;
    scenarios.extend(load_all(
        std::slice::from_ref(&args.after),
        &with(&args.set_after),
    )?);
    let (before, after) = (&scenarios[0].scenario, &scenarios[1].scenario);
    transition::check_same_offices(before, after).map_err(bad)?;
    let plans = texts
        .iter()
        .map(|(name, spec)| SwitchPlan::parse(name, spec, after).map_err(bad))
        .collect::<Result<Vec<_>, _>>()?;
    let mut outputs = OutputPlan::new([args.before.as_path(), args.after.as_path()]);
    match &args.out {
        Some(out) if args.format == Format::Csv => accept_pair(&mut outputs, "--out", out)?,
        Some(out) => accept(&mut outputs, "--out", out)?,
        None => ensure_stdout_open()?,
    }
    if let Some(r) = &args.report {
        accept(&mut outputs, "--report", r)?;
    }
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard: Shard::WHOLE,
    };
    // The warm-up is found only to warn of a switch inside it: weeks are counted from
    // the empty start whatever it is.
    find_warmups(&mut scenarios[..1], plan, &args.trials, &signals)?;
    let spec = TransitionSpec {
        plans,
        wind_down_weeks: args.wind_down_weeks,
        trials: args.trials.trials,
        seed: args.trials.seed,
    };
    let progress = bar_counting(args.trials.trials, args.trials.quiet, "trials");
    let tick = || progress.inc(1);
    let (before, after) = (&scenarios[0].scenario, &scenarios[1].scenario);
    let result = experiment::with_threads(args.trials.threads, || {
        transition::run(before, after, &spec, &tick, &signals.any)
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    progress.finish_and_clear();
    for w in &result.warnings {
        note(&format!("warning: {w}"));
    }
    let manifest = Manifest::new(&scenarios, plan, command_line());
    let out = args.out.as_deref().unwrap_or(Path::new("-"));
    let mut batch = Batch::new();
    match args.format {
        Format::Table => stage(&mut batch, out, report::render_transition_table(&result))?,
        Format::Json => stage(
            &mut batch,
            out,
            report::render_transition_json(&result, &manifest),
        )?,
        Format::Csv => stage_pair(
            &mut batch,
            out,
            report::render_transition_csv(&result),
            &manifest,
        )?,
    }
    if let Some(r) = &args.report {
        stage(
            &mut batch,
            r,
            report::html::render_transition_html(&result, &manifest),
        )?;
    }
    commit(batch, &signals)
}
