//! The commands: turn parsed arguments into library calls and write the results.

use std::path::{Path, PathBuf};

use super::args::{Cli, Command, CompareArgs, Format, RunArgs, TraceArgs, TrialArgs, ValidateArgs};
use super::error::{CliError, note};
use super::output::{
    accept, accept_pair, commit, ensure_stdout_open, stage, stage_pair, write_stdout,
};
use super::progress::{Signals, bar, bar_counting};
use salesim::experiment::parts;
use salesim::experiment::sensitivity;
use salesim::experiment::{self, Comparison, ExperimentError, Manifest, Plan, Shard};
use salesim::files::{OutputPlan, is_stream};
use salesim::report::{self, Batch};
use salesim::scenario::{LoadedScenario, Override, ScenarioError, load_file};

/// Trials beyond this are a typo, not a study (split big studies into shards).
const MAX_TRIALS: u64 = 10_000_000;
const MAX_THREADS: usize = 1024;

pub fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Compare(args) => compare(args),
        Command::Sweep(args) => super::sweep::sweep(args),
        Command::Sensitivity(args) => super::sensitivity::sensitivity(args),
        Command::Merge(args) => super::merge::merge(args),
        Command::Validate(args) => validate(args),
        Command::Trace(args) => trace(args),
        Command::Init(args) => super::init::init(args),
        Command::Calibrate(args) => super::calibrate::calibrate(args),
        Command::Backtest(args) => super::backtest::backtest(args),
        Command::Forecast(args) => super::forecast::forecast(args),
        Command::Transition(args) => super::transition::transition(args),
    }
}

pub fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

pub fn parse_overrides(set: &[String]) -> Result<Vec<Override>, CliError> {
    set.iter()
        .map(|s| Override::parse(s).map_err(|m| bad(format!("--set: {m}"))))
        .collect()
}

pub fn load_all(paths: &[PathBuf], set: &[String]) -> Result<Vec<LoadedScenario>, CliError> {
    let overrides = parse_overrides(set)?;
    paths
        .iter()
        .map(|p| {
            let mut loaded = load_file(p, &overrides).map_err(|e| bad(problem_lines(&e)))?;
            let warnings =
                salesim::data::pipeline::attach_initial_pipeline(&mut loaded).map_err(bad)?;
            for line in warnings {
                super::error::note(&format!("warning: {line}"));
            }
            Ok(loaded)
        })
        .collect()
}

/// One problem a line, each but the first prefixed with `error: ` (the first gets it
/// when the error is printed), so every line of a long report reads as an error.
fn problem_lines(e: &ScenarioError) -> String {
    e.to_string().lines().collect::<Vec<_>>().join("\nerror: ")
}

pub fn check_trial_args(t: &TrialArgs) -> Result<(), CliError> {
    if t.trials == 0 {
        return Err(bad("--trials must be at least 1 (got 0)"));
    }
    if t.trials > MAX_TRIALS {
        return Err(bad(format!(
            "--trials {} is more than {MAX_TRIALS}; split a study that large with --shard K/N and `salesim merge`",
            t.trials
        )));
    }
    match t.threads {
        Some(0) => Err(bad(
            "--threads must be at least 1 (got 0); leave it out to use every core",
        )),
        Some(n) if n > MAX_THREADS => Err(bad(format!(
            "--threads must be at most {MAX_THREADS} (got {n})"
        ))),
        _ => Ok(()),
    }
}

pub fn parse_shard(shard: &Option<String>) -> Result<Shard, CliError> {
    match shard {
        None => Ok(Shard::WHOLE),
        Some(s) => s.parse().map_err(|m| bad(format!("--shard: {m}"))),
    }
}

pub fn command_line() -> String {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .map(|a| {
            if a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the pilots that find (or check) each scenario's warm-up, which set it in
/// `scenarios`, stopping cleanly on a signal; notes each warm-up found.
pub fn find_warmups(
    scenarios: &mut [LoadedScenario],
    plan: Plan,
    t: &TrialArgs,
    signals: &Signals,
) -> Result<(), CliError> {
    experiment::with_threads(t.threads, || {
        experiment::warmup::resolve(scenarios, plan.seed, plan.trials, &signals.any)
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    for l in scenarios.iter() {
        if let Some(chosen) = experiment::warmup::chosen(&l.scenario) {
            note(&format!("note: {}: {chosen}", l.origin));
        }
    }
    Ok(())
}

/// Runs the plan on the scenarios with a progress bar, stopping cleanly on a signal.
pub fn simulate(
    scenarios: &[LoadedScenario],
    plan: Plan,
    t: &TrialArgs,
    signals: &Signals,
) -> Result<Vec<experiment::ScenarioResult>, CliError> {
    let per_scenario = plan.shard.trials(plan.trials).count() as u64;
    let what = match scenarios.len() {
        1 => "trials".to_string(),
        n => format!("trial runs ({per_scenario} trials x {n} designs)"),
    };
    let progress = bar_counting(per_scenario * scenarios.len() as u64, t.quiet, &what);
    let tick = || progress.inc(1);
    let result = experiment::with_threads(t.threads, || {
        experiment::run(scenarios, plan, &tick, &signals.any)
    })
    .map_err(CliError::Other)?;
    progress.finish_and_clear();
    result.map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })
}

pub fn warn(c: &Comparison) {
    for s in &c.scenarios {
        for w in &s.warnings {
            note(&format!("warning: {}: {w}", s.file));
        }
    }
}

fn run(args: RunArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let shard = parse_shard(&args.shard)?;
    // Any `--shard`, `0/1` too, writes a part for `merge` (a one-task array merges).
    let sharded = args.shard.is_some();
    let mut scenarios = load_all(std::slice::from_ref(&args.scenario), &args.trials.set)?;
    if sharded && args.out.as_deref().is_none_or(is_stream) {
        return Err(bad(
            "--shard needs --out FILE: a part file (with its manifest beside it) for `salesim merge`",
        ));
    }
    if shard.count > args.trials.trials {
        return Err(bad(format!(
            "--shard {shard}: {} shards is more than the {} trials; use at most --shard K/{}",
            shard.count, args.trials.trials, args.trials.trials
        )));
    }
    if args.out.as_deref().is_none_or(|o| o.as_os_str() == "-") {
        ensure_stdout_open()?;
    }
    let mut outputs = OutputPlan::new([args.scenario.as_path()]);
    if let Some(out) = &args.out {
        if args.format == Format::Csv || sharded {
            accept_pair(&mut outputs, "--out", out)?;
        } else {
            accept(&mut outputs, "--out", out)?;
        }
    }
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard,
    };
    find_warmups(&mut scenarios, plan, &args.trials, &signals)?;
    let results = simulate(&scenarios, plan, &args.trials, &signals)?;
    let manifest = Manifest::new(&scenarios, plan, command_line());
    let out = args.out.as_deref().unwrap_or(Path::new("-"));
    let mut batch = Batch::new();
    if sharded {
        let part = parts::render_part(&scenarios, &results);
        let manifest = parts::run_part_manifest(manifest, &scenarios, &results, &part);
        for w in &manifest.warnings {
            note(&format!("warning: {w}"));
        }
        stage_pair(&mut batch, out, part, &manifest)?;
        return commit(batch, &signals);
    }
    let comparison = Comparison::new(&scenarios, results, manifest);
    warn(&comparison);
    let bytes = match args.format {
        Format::Table => report::render_table(&comparison),
        Format::Csv => report::render_csv(&comparison),
        Format::Json => report::render_json(&comparison),
    };
    if args.format == Format::Csv {
        stage_pair(&mut batch, out, bytes, &comparison.manifest)?;
    } else {
        stage(&mut batch, out, bytes)?;
    }
    commit(batch, &signals)
}

fn compare(args: CompareArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let mut scenarios = load_all(&args.scenarios, &args.trials.set)?;
    let mut outputs = OutputPlan::new(args.scenarios.iter().map(PathBuf::as_path));
    outputs.stdout_taken("the table on standard output");
    ensure_stdout_open()?;
    if let Some(p) = &args.report {
        accept(&mut outputs, "--report", p)?;
    }
    if let Some(p) = &args.csv {
        accept_pair(&mut outputs, "--csv", p)?;
    }
    if let Some(p) = &args.json {
        accept(&mut outputs, "--json", p)?;
    }
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard: Shard::WHOLE,
    };
    find_warmups(&mut scenarios, plan, &args.trials, &signals)?;
    // After the pilots: designs compared share one measured window.
    experiment::check_comparable(&scenarios).map_err(experiment_error)?;
    let results = simulate(&scenarios, plan, &args.trials, &signals)?;
    let comparison = Comparison::new(
        &scenarios,
        results,
        Manifest::new(&scenarios, plan, command_line()),
    );
    warn(&comparison);
    let mut batch = Batch::new();
    if let Some(p) = &args.csv {
        stage_pair(
            &mut batch,
            p,
            report::render_csv(&comparison),
            &comparison.manifest,
        )?;
    }
    if let Some(p) = &args.json {
        stage(&mut batch, p, report::render_json(&comparison))?;
    }
    if let Some(p) = &args.report {
        let study = report_sensitivity(&args, &scenarios, &signals)?;
        stage(
            &mut batch,
            p,
            report::html::render_html_with(&comparison, Some(&study)),
        )?;
    }
    let table = report::render_table(&comparison);
    // The table goes to standard output: refuse before any file is put in place.
    ensure_stdout_open()?;
    commit(batch, &signals)?;
    // The files are in place: a signal from here on changes nothing.
    if let Some(p) = &args.report {
        note(&format!("report written to {}", p.display()));
    }
    write_stdout(&table)
}

/// The bottom line's sensitivity for the report: which inputs the difference between
/// the first and the last design depends on most.
fn report_sensitivity(
    args: &CompareArgs,
    scenarios: &[LoadedScenario],
    signals: &Signals,
) -> Result<sensitivity::SensitivityReport, CliError> {
    let overrides = parse_overrides(&args.trials.set)?;
    let sources = args
        .scenarios
        .iter()
        .map(|p| sensitivity::Source::read(p, &overrides).map_err(|e| bad(problem_lines(&e))))
        .collect::<Result<Vec<_>, _>>()?;
    let pair = [0, scenarios.len() - 1];
    let sources: Vec<_> = pair.iter().map(|&i| sources[i].clone()).collect();
    let base: Vec<_> = pair.iter().map(|&i| scenarios[i].clone()).collect();
    let options = sensitivity::report_options(args.trials.seed, args.trials.trials);
    let inputs = sensitivity::input_keys(&sources, &base, &[]).len();
    let progress = bar(
        sensitivity::planned_trials(inputs, base.len(), &options),
        args.trials.quiet,
    );
    let tick = || progress.inc(1);
    let study = experiment::with_threads(args.trials.threads, || {
        sensitivity::study(
            &sources,
            &base,
            &sensitivity::Measure::BottomLine,
            &[],
            options,
            &tick,
            &signals.any,
        )
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    progress.finish_and_clear();
    Ok(study)
}

/// A library error as the command line reports it.
pub fn experiment_error(e: ExperimentError) -> CliError {
    if e.is_bad_input() {
        CliError::BadInput(e.to_string())
    } else {
        CliError::Other(e.to_string())
    }
}

fn validate(args: ValidateArgs) -> Result<(), CliError> {
    let mut failures = Vec::new();
    for path in &args.scenarios {
        match load_file(path, &[]) {
            Ok(loaded) => {
                let (file, name) = (path.display().to_string(), &loaded.scenario.name);
                let line = format!(
                    "ok: {} ({})\n",
                    report::printable(&file),
                    report::printable(name)
                );
                match write_stdout(line.as_bytes()) {
                    // A closed pipe still leaves every file checked and the exit code true.
                    Ok(()) | Err(CliError::Quiet) => {}
                    Err(e) => return Err(e),
                }
                for w in experiment::overload_warnings(&loaded) {
                    note(&format!("warning: {}: {w}", path.display()));
                }
            }
            Err(e) => failures.push(problem_lines(&e)),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(bad(failures.join("\nerror: ")))
    }
}

fn trace(args: TraceArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &args.set)?;
    let mut outputs = OutputPlan::new([args.scenario.as_path()]);
    if let Some(history) = &args.history {
        accept(&mut outputs, "--history", history)?;
    }
    match &args.out {
        Some(out) => accept(&mut outputs, "--out", out)?,
        None if args.history.is_none() => ensure_stdout_open()?,
        None => {}
    }
    let scenario = &scenarios[0].scenario;
    let (_, trace) = salesim::model::simulate_traced(scenario, args.seed, args.trial);
    let mut batch = Batch::new();
    if let Some(history) = &args.history {
        stage(
            &mut batch,
            history,
            report::render_history_csv(scenario, &trace),
        )?;
    }
    if args.out.is_some() || args.history.is_none() {
        let bytes = report::render_trace_csv(scenario, &trace);
        stage(
            &mut batch,
            args.out.as_deref().unwrap_or(Path::new("-")),
            bytes,
        )?;
    }
    commit(batch, &signals)
}
