//! `salesim backtest`: read a history for a scenario, simulate the period it covers and
//! print simulated against observed.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, TrialArgs};
use super::calibrate::read_for;
use super::commands::{check_trial_args, load_all};
use super::error::{CliError, note};
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::Signals;
use salesim::experiment::{self, backtest::backtest as run_backtest};
use salesim::files::OutputPlan;
use salesim::report::{self, Batch};

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
    /// Write the back-test as a self-contained HTML page.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

pub fn backtest(args: BacktestArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &args.trials.set)?;
    let mut outputs = OutputPlan::new([args.scenario.as_path(), args.against.as_path()]);
    match &args.out {
        Some(out) => accept(&mut outputs, "--out", out)?,
        None => ensure_stdout_open()?,
    }
    if let Some(p) = &args.report {
        accept(&mut outputs, "--report", p)?;
    }
    let scenario = &scenarios[0].scenario;
    let history = read_for(&args.against, scenario, &args.map)?;
    let (trials, seed) = (args.trials.trials, args.trials.seed);
    let result = experiment::with_threads(args.trials.threads, || {
        run_backtest(&history, scenario, trials, seed)
    })
    .map_err(CliError::Other)?;
    for line in report::disagreements(&result) {
        note(&format!("disagreement: {line}"));
    }
    let (file, name) = (history.file.as_str(), args.scenario.display().to_string());
    let bytes = match args.format {
        Format::Table => report::render_backtest_table(&result, file, &name),
        Format::Csv => report::render_backtest_csv(&result),
        Format::Json => report::render_backtest_json(&result, file, &name),
    };
    let mut batch = Batch::new();
    if let Some(p) = &args.report {
        stage(
            &mut batch,
            p,
            report::render_backtest_html(&result, file, &name),
        )?;
    }
    stage(
        &mut batch,
        args.out.as_deref().unwrap_or(Path::new("-")),
        bytes,
    )?;
    commit(batch, &signals)
}
