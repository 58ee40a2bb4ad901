//! The command line, as clap definitions. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Discrete-event simulator of sales team designs: compare a craftsperson team with a
/// specialized one, sweep staffing, and read the results with confidence intervals.
#[derive(Debug, Parser)]
#[command(
    name = "salesim",
    version,
    about,
    long_about = None,
    after_help = "Example: salesim compare scenarios/craftsperson.toml scenarios/specialized.toml --report report.html\nScenario format and metrics: README.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario for many trials and print its metrics.
    Run(RunArgs),
    /// Run several scenarios on the same trials and report paired differences.
    Compare(CompareArgs),
    /// Run a scenario, or a transition (--transition AFTER), over a grid of parameter values.
    Sweep(SweepArgs),
    /// Move each numeric input down and up, one at a time, and rank them by effect.
    Sensitivity(SensitivityArgs),
    /// Merge shard part files into the output of the unsharded run.
    Merge(MergeArgs),
    /// Check scenario files without running them.
    Validate(ValidateArgs),
    /// Write the event log of one trial, to see why a quote took nine days.
    Trace(TraceArgs),
    /// Write a commented starting scenario (craftsperson, specialized, saas, distributor).
    Init(InitArgs),
    /// Fit a scenario to a CRM opportunity history: arrivals, advance probabilities,
    /// deal values, office and segment shares and stage times, each with n, interval
    /// and fit.
    #[command(after_help = CALIBRATE_HELP)]
    Calibrate(super::calibrate::CalibrateArgs),
    /// Simulate the period a CRM history covers and set simulated against observed,
    /// naming where the model and the data disagree.
    Backtest(super::backtest::BacktestArgs),
    /// Forecast deals and bookings from today's open pipeline (no new leads), beside
    /// the weighted-pipeline forecast, the deals at risk and a per-owner funnel.
    Forecast(super::forecast::ForecastArgs),
    /// The way from BEFORE to AFTER, office by office: the dip, the payback week and
    /// the weekly series of each plan against staying on BEFORE.
    Transition(super::transition::TransitionArgs),
}

const CALIBRATE_HELP: &str = "The history is a CSV, one row per stage entered: opportunity_id, stage, entered_at, and optionally created_at, owner, amount, outcome (won|lost|open), closed_at, source, segment, office. Dates are ISO 8601 (2026-01-05 or 2026-01-05T14:30:00).

Example (a Salesforce opportunity history report):
  salesim calibrate history.csv --template scenarios/craftsperson.toml --out fitted.toml \\
    --map opportunity_id=\"Opportunity ID\" --map entered_at=\"Last Modified\" \\
    --map created_at=\"Created Date\" --map \"stage:Needs Analysis=discovery\"

Fitted: lead_sources.N.rate_per_week of inbound sources (told apart by `source`, whose values are `inbound`, `prospecting ROLE`), lead_sources.N.seasonality by quarter when a year or more shows it, funnel.N.advance, deals.value, lead_sources.N.office_shares.OFFICE (each source's opportunities by `office`; with no `source` column, all opportunities' shares go into every source alike) and segments.NAME.share (opportunities by `segment`; the rest, `other` or a segment the template lacks, is the segment \"other\"), shares with Wilson intervals. Offices and segments the template lacks are listed, not fitted. Everything else is left as the template had it and listed. The template is never overwritten. Exit code 2 for bad data (file, line and column named).";

#[derive(Debug, Clone, Args)]
pub struct TrialArgs {
    /// Number of Monte Carlo trials.
    #[arg(long, default_value_t = 1000, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub trials: u64,
    /// Seed of the run: the same seed and scenario give the same output.
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_hyphen_values = true, value_parser = whole_number::<usize>)]
    pub threads: Option<usize>,
    /// Override a scenario value, e.g. --set roles.engineering.headcount=3 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The flags `calibrate`, `backtest` and `forecast` share: how to read the CRM file,
/// the trials, and how to print the result.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Read a column from another header, COLUMN=HEADER (e.g. entered_at="Last
    /// Modified"), or a stage value as a funnel step, stage:VALUE=STEP (repeatable).
    #[arg(long = "map", value_name = "COLUMN=HEADER")]
    pub map: Vec<String>,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Output format (of calibrate's summary of what was fitted).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table for reading.
    Table,
    /// Tidy rows: scenario,metric,statistic,value.
    Csv,
    /// The JSON object described in README.md ("Outputs"), with the manifest.
    Json,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of standard output (written whole or not at all).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Run only shard K of N (0-based) and write a part file for `salesim merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Write the self-contained HTML report for executives.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Write tidy CSV results (manifest beside it as FILE.manifest.json).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write JSON results.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = SWEEP_HELP)]
pub struct SweepArgs {
    /// The scenario file (TOML); with --transition, the design being left (BEFORE).
    pub scenario: PathBuf,
    /// A parameter and its values: PATH=1,2,3 or PATH=2..=8 or PATH=2..=8:2 (repeatable).
    /// With --transition, PATH is after.KEY, before.KEY, a KEY of both, switch.all,
    /// switch.OFFICE or wind_down_weeks.
    #[arg(long, value_name = "PATH=SPEC", required = true)]
    pub vary: Vec<String>,
    /// Sweep the transition from SCENARIO to AFTER (TOML) over its own parameters: one
    /// row per point with the payback week, the dip and the cumulative difference.
    #[arg(long, value_name = "AFTER")]
    pub transition: Option<PathBuf>,
    /// With --transition: the plan, all=WEEK or OFFICE=WEEK[,OFFICE=WEEK...].
    #[arg(
        long,
        value_name = "SPEC",
        requires = "transition",
        conflicts_with = "plan"
    )]
    pub switch: Option<String>,
    /// With --transition: the plan as NAME=SPEC (one plan).
    #[arg(long, value_name = "NAME=SPEC", requires = "transition")]
    pub plan: Option<String>,
    /// With --transition: weeks an office's before-design people may take to finish its
    /// open work after its switch (default 13).
    #[arg(long, value_name = "W", requires = "transition")]
    pub wind_down_weeks: Option<f64>,
    /// With --transition: override a value of BEFORE only, after --set (repeatable).
    #[arg(
        long = "set-before",
        value_name = "PATH=VALUE",
        requires = "transition"
    )]
    pub set_before: Vec<String>,
    /// With --transition: override a value of AFTER only, after --set (repeatable).
    #[arg(long = "set-after", value_name = "PATH=VALUE", requires = "transition")]
    pub set_after: Vec<String>,
    #[command(flatten)]
    pub trials: TrialArgs,
    /// Write the tidy CSV to FILE (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Run only the points of shard K of N (0-based).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// What to optimise: min:METRIC or max:METRIC (METRIC may end in a statistic).
    #[arg(long, value_name = "min:METRIC")]
    pub objective: Option<String>,
    /// A target every chosen point must meet: METRIC<=X or METRIC>=X (repeatable).
    #[arg(long, value_name = "METRIC<=X")]
    pub constraint: Vec<String>,
    /// Output format of the results.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
    /// Write a self-contained HTML sweep report.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

const SWEEP_HELP: &str = "A transition over its own parameters: salesim sweep BEFORE --transition AFTER (--switch SPEC | --plan NAME=SPEC) [--wind-down-weeks W] --vary PATH=SPEC... runs `salesim transition` at every point of the grid, on the same trials and seed, and prints one row per point: the payback week (read off the mean cumulative difference of contribution, with the weeks read off its 95% band; empty, and said in words, when it does not pay back), the dip and its week, and the cumulative difference at the horizon with its 95% band. PATH is after.KEY or before.KEY (a key of that design, as transition's --set-after / --set-before), a plain KEY (both designs, as --set), switch.all or switch.OFFICE (the switch week; switch.all may stand in for --switch), or wind_down_weeks. The table goes to standard output; --out FILE.csv writes the rows (with FILE.csv.manifest.json beside it), --out - writes them to standard output instead of the table. With --transition, --shard, --objective, --constraint, --report and --format json are refused (exit 2): run the whole grid and read the rows.

Example: salesim sweep scenarios/distributor_before.toml --transition scenarios/transition/distributor_after_ramp.toml --switch all=20 --vary after.roles.inside.people.ramp.weeks=4,8,16 --vary switch.all=13..=39:13 --trials 200 --out ramp.csv";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// Tidy rows: point, the varied values, metric, statistic, value.
    Csv,
    /// One object per point with its varied values and metrics.
    Json,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Part files written by `--shard K/N` (their manifests beside them).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// The merged CSV.
    #[arg(long, value_name = "FILE", required = true)]
    pub out: PathBuf,
    /// Sweep parts: choose among all the points, as `sweep --objective` does: min:METRIC
    /// or max:METRIC.
    #[arg(long, value_name = "min:METRIC")]
    pub objective: Option<String>,
    /// Sweep parts: a target every chosen point must meet: METRIC<=X or METRIC>=X
    /// (repeatable).
    #[arg(long, value_name = "METRIC<=X")]
    pub constraint: Vec<String>,
    /// Sweep parts: write the HTML sweep report of all the points.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The template: craftsperson, specialized or saas.
    pub template: String,
    /// Write the scenario to FILE, which must not exist (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Which trial to trace.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub trial: u64,
    /// Seed of the run the trial belongs to.
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub seed: u64,
    /// Override a scenario value (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Write the CSV event log to FILE (default: standard output, unless --history).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the trial's opportunity history to FILE.csv instead, in the columns that
    /// `calibrate` and `backtest` read (one row per stage entered, dates from
    /// Monday 2026-01-05 09:00 on the scenario's calendar): a CRM export whose truth is
    /// known; with an `office` column when the scenario has offices, a `segment` column when it has segments. The event log is
    /// then written only if --out names a file.
    #[arg(long, value_name = "FILE.csv")]
    pub history: Option<PathBuf>,
}

/// Parses a whole number, saying what is valid: clap's own message for `-1`
/// ("unexpected argument '-1'") suggests `-- -1`, which would not help.
fn whole_number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("must be a whole number, 0 or more (got `{text}`)"))
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The metric whose mean the inputs move (METRIC or METRIC.mean).
    #[arg(long, value_name = "METRIC", required = true)]
    pub metric: String,
    /// Only these inputs (dotted keys, comma-separated); default: every numeric input.
    #[arg(long, value_name = "PATH,...", value_delimiter = ',')]
    pub params: Vec<String>,
    /// How far each input moves down and up: 20% or 0.2.
    #[arg(long, default_value = "20%", allow_hyphen_values = true)]
    pub by: String,
    /// Trials of every moved design (the same trials as the unmoved one).
    #[arg(long, default_value_t = 100, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub trials: u64,
    /// Screen first: every input on N trials, then the 8 largest again on --trials.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub screen: Option<u64>,
    /// Seed of the run.
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = whole_number::<u64>)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_hyphen_values = true, value_parser = whole_number::<usize>)]
    pub threads: Option<usize>,
    /// Override a scenario value before the study (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write a self-contained HTML report with the tornado chart.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}
