//! `salesim backtest`: read a history for a scenario, simulate the period it covers and
//! print simulated against observed.

use std::path::PathBuf;

use clap::Args;

use super::args::{DataArgs, Format};
use super::calibrate::read_for;
use super::commands::{check_trial_args, load_all};
use super::data_out::DataOutputs;
use super::error::{CliError, note};
use super::progress::Signals;
use salesim::experiment::{self, backtest::backtest as run_backtest};
use salesim::report;

#[derive(Debug, Args)]
#[command(
    after_help = "Measures: leads per week, each stage's conversion, win rate, deals won per week, each stage's time in stage, the sales cycle of won deals, revenue per week. Each is measured the same way on the history and on every trial's own simulated history. A measure disagrees when the observed value lies outside the simulated mean ± z sd across trials, z corrected for the number of measures (Bonferroni), so a true design is flagged somewhere in only 5% of back-tests.\n\nExample: salesim backtest scenarios/craftsperson.toml --against scenarios/data/craftsperson_history.csv --trials 100"
)]
pub struct BacktestArgs {
    /// The scenario to test (TOML): the design believed to have made the history.
    pub scenario: PathBuf,
    /// The opportunity history (CSV, one row per stage entered).
    #[arg(long, value_name = "HISTORY.csv", required = true)]
    pub against: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the back-test as a self-contained HTML page.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

pub fn backtest(args: BacktestArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let data = &args.data;
    check_trial_args(&data.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &data.trials.set)?;
    let outputs = DataOutputs::accept(
        [args.scenario.as_path(), args.against.as_path()],
        args.out.as_deref(),
        args.report.as_deref(),
        false,
    )?;
    let scenario = &scenarios[0].scenario;
    let history = read_for(&args.against, scenario, &data.map)?;
    let (trials, seed) = (data.trials.trials, data.trials.seed);
    let result = experiment::with_threads(data.trials.threads, || {
        run_backtest(&history, scenario, trials, seed)
    })
    .map_err(CliError::Other)?;
    for line in report::disagreements(&result) {
        note(&format!("disagreement: {line}"));
    }
    let (file, name) = (history.file.as_str(), args.scenario.display().to_string());
    let bytes = match data.format {
        Format::Table => report::render_backtest_table(&result, file, &name),
        Format::Csv => report::render_backtest_csv(&result),
        Format::Json => report::render_backtest_json(&result, file, &name),
    };
    outputs.write(
        bytes,
        || report::render_backtest_html(&result, file, &name),
        None,
        &signals,
    )
}
