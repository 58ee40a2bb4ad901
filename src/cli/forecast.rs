//! `salesim forecast`: read today's open pipeline for a scenario, simulate the weeks
//! ahead from it (no new leads) and print the spread of deals and bookings.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, TrialArgs};
use super::calibrate::read_for;
use super::commands::{bad, check_trial_args, load_all};
use super::error::CliError;
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::Signals;
use salesim::data::{Column, History, Problem};
use salesim::experiment::{self, forecast::forecast as run_forecast};
use salesim::files::OutputPlan;
use salesim::report::{self, Batch};

#[derive(Debug, Args)]
#[command(
    after_help = "The pipeline is a CSV of the open opportunities, one row per stage entered (the reader of calibrate and backtest): opportunity_id, stage, entered_at, and optionally owner, amount, segment, office (and outcome: rows of won or lost opportunities are left out). Each opportunity is in the last stage it entered. An unknown stage is an error.\n\nEach trial starts with every open opportunity entering its stage at week 0 (time already spent there is not credited), with its amount as its deal value (the scenario's deal value when it has none), and walks the rest of the funnel as any lead. Open pipeline only: no new leads arrive, as a pipeline forecast means. Reported: P10/P50/P90 of deals won and bookings (revenue won) per week and in total; the weighted-pipeline forecast (amount x the stage's win probability, the product of its and later steps' advance probabilities); the deals at risk (in their stage, as of the file's latest date, longer than the p90 of that stage's time in trials of the scenario as written); and a per-owner funnel table.\n\nExample: salesim forecast scenarios/craftsperson.toml --pipeline OPEN.csv --weeks 13 --trials 500"
)]
pub struct ForecastArgs {
    /// The scenario (TOML): the design the pipeline runs through.
    pub scenario: PathBuf,
    /// The open opportunities (CSV, one row per stage entered).
    #[arg(long, value_name = "OPEN.csv", required = true)]
    pub pipeline: PathBuf,
    /// Weeks to forecast.
    #[arg(long, default_value_t = 13, value_parser = clap::value_parser!(u64).range(1..=520))]
    pub weeks: u64,
    /// Read a column from another header, COLUMN=HEADER, or a stage value as a step,
    /// stage:VALUE=STEP (repeatable).
    #[arg(long = "map", value_name = "COLUMN=HEADER")]
    pub map: Vec<String>,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// A pipeline must name only the funnel's stages: a forecast cannot leave one out.
fn check_stages(pipeline: &History) -> Result<(), CliError> {
    if pipeline.problems.count(Problem::UnknownStage) == 0 {
        return Ok(());
    }
    let first = pipeline
        .problems
        .examples(Problem::UnknownStage)
        .first()
        .cloned()
        .unwrap_or_default();
    let (line, stage) = first.split_once(": ").unwrap_or(("", first.as_str()));
    Err(bad(format!(
        "{}: {line}, column `{}`: unknown stage {stage}: the funnel's steps are {} (or map it with --map stage:VALUE=STEP); {} such rows",
        pipeline.file,
        Column::Stage.name(),
        pipeline.steps.join(", "),
        pipeline.problems.count(Problem::UnknownStage)
    )))
}

pub fn forecast(args: ForecastArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &args.trials.set)?;
    let mut outputs = OutputPlan::new([args.scenario.as_path(), args.pipeline.as_path()]);
    match &args.out {
        Some(out) => accept(&mut outputs, "--out", out)?,
        None => ensure_stdout_open()?,
    }
    let scenario = &scenarios[0].scenario;
    let pipeline = read_for(&args.pipeline, scenario, &args.map)?;
    check_stages(&pipeline)?;
    let (trials, seed, weeks) = (args.trials.trials, args.trials.seed, args.weeks as usize);
    let result = experiment::with_threads(args.trials.threads, || {
        run_forecast(&pipeline, scenario, weeks, trials, seed)
    })
    .map_err(CliError::Other)?;
    let (file, name) = (pipeline.file.as_str(), args.scenario.display().to_string());
    let bytes = match args.format {
        Format::Table => report::render_forecast_table(&result, file, &name),
        Format::Csv => report::render_forecast_csv(&result),
        Format::Json => report::render_forecast_json(&result, file, &name),
    };
    let mut batch = Batch::new();
    stage(
        &mut batch,
        args.out.as_deref().unwrap_or(Path::new("-")),
        bytes,
    )?;
    commit(batch, &signals)
}
