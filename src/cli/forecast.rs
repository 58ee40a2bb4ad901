//! `salesim forecast`: read today's open pipeline for a scenario, simulate the weeks
//! ahead from it (no new leads) and print the spread of deals and bookings.

use std::path::PathBuf;

use clap::Args;

use super::args::{DataArgs, Format};
use super::calibrate::read_for;
use super::commands::{bad, check_trial_args, load_all};
use super::data_out::DataOutputs;
use super::error::CliError;
use super::progress::Signals;
use salesim::data::History;
use salesim::data::pipeline::{snapshot_hours, unknown_stage_error};
use salesim::experiment::{self, forecast::forecast as run_forecast};
use salesim::report;

#[derive(Debug, Args)]
#[command(
    after_help = "The pipeline is a CSV of the open opportunities, one row per stage entered (the reader of calibrate and backtest): opportunity_id, stage, entered_at, and optionally owner, amount, segment, office (and outcome: rows of won or lost opportunities are left out). Each opportunity is in the last stage it entered. An unknown stage is an error.\n\nEach trial starts with every open opportunity in its stage at week 0, with its amount as its deal value (the scenario's deal value when it has none), and walks the rest of the funnel as any lead. The working hours it has already spent in its stage up to the snapshot (--as-of, default the file's latest date) are credited: a task step's remaining work is its duration conditioned on exceeding that time (a fresh draw minus the time spent, redrawn while not positive, up to 1000 tries, then no work left); a meeting step, or a task step with contact attempts, starts afresh. Open pipeline only: no new leads arrive, as a pipeline forecast means. Reported: P10/P50/P90 of deals won and bookings (revenue won) per week and in total; the weighted-pipeline forecast (amount x the stage's win probability, the product of its and later steps' advance probabilities); the deals at risk (in their stage, as of the snapshot, longer than the p90 of that stage's time in trials of the scenario as written); and a per-owner funnel table.\n\nExample: salesim forecast scenarios/craftsperson.toml --pipeline OPEN.csv --weeks 13 --trials 500"
)]
pub struct ForecastArgs {
    /// The scenario (TOML): the design the pipeline runs through.
    pub scenario: PathBuf,
    /// The open opportunities (CSV, one row per stage entered).
    #[arg(long, value_name = "OPEN.csv", required = true)]
    pub pipeline: PathBuf,
    /// The snapshot ("today"), an ISO 8601 date or date-time: time in stage is counted
    /// up to it (default: the latest date in the pipeline file, and not before it: the
    /// file shows what is open at its latest date).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Weeks to forecast.
    #[arg(long, default_value_t = 13, value_parser = clap::value_parser!(u64).range(1..=520))]
    pub weeks: u64,
    #[command(flatten)]
    pub data: DataArgs,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the forecast as a self-contained HTML page: deals won to date by week
    /// (P10/P50/P90) against the weighted pipeline, the deals at risk, the owner funnel.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

/// A pipeline must name only the funnel's stages: a forecast cannot leave one out.
fn check_stages(pipeline: &History) -> Result<(), CliError> {
    match unknown_stage_error(pipeline, " (or map it with --map stage:VALUE=STEP)") {
        Some(message) => Err(bad(message)),
        None => Ok(()),
    }
}

pub fn forecast(args: ForecastArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let data = &args.data;
    check_trial_args(&data.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &data.trials.set)?;
    let outputs = DataOutputs::accept(
        [args.scenario.as_path(), args.pipeline.as_path()],
        args.out.as_deref(),
        args.report.as_deref(),
        false,
    )?;
    let scenario = &scenarios[0].scenario;
    let pipeline = read_for(&args.pipeline, scenario, &data.map)?;
    check_stages(&pipeline)?;
    let as_of = snapshot_hours(&pipeline, args.as_of.as_deref())
        .map_err(|m| bad(format!("{}: {m}", pipeline.file)))?;
    let (trials, seed, weeks) = (data.trials.trials, data.trials.seed, args.weeks as usize);
    let result = experiment::with_threads(data.trials.threads, || {
        run_forecast(&pipeline, scenario, weeks, as_of, trials, seed)
    })
    .map_err(CliError::Other)?;
    let (file, name) = (pipeline.file.as_str(), args.scenario.display().to_string());
    let bytes = match data.format {
        Format::Table => report::render_forecast_table(&result, file, &name),
        Format::Csv => report::render_forecast_csv(&result),
        Format::Json => report::render_forecast_json(&result, file, &name),
    };
    outputs.write(
        bytes,
        || report::html::render_forecast_html(&result, file, &name),
        None,
        &signals,
    )
}
