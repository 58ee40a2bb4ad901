//! `salesim calibrate`: read a history for a template scenario, fit it, write the
//! fitted scenario and print what was fitted.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, TrialArgs};
use super::commands::{bad, check_trial_args, load_all};
use super::error::{CliError, note};
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::Signals;
use salesim::data::{ColumnMap, History, read_history};
use salesim::experiment::calibrate::calibrate as fit;
use salesim::experiment::calibrate_toml::fitted_toml;
use salesim::files::OutputPlan;
use salesim::report::{self, Batch};
use salesim::scenario::{Scenario, load_str};

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The opportunity history (CSV, one row per stage entered).
    pub history: PathBuf,
    /// The scenario to fit: its funnel names the stages, its calendar turns dates into
    /// working hours, and whatever the history cannot identify is kept from it.
    #[arg(long, value_name = "SCENARIO.toml", required = true)]
    pub template: PathBuf,
    /// Where to write the fitted scenario (never the template or the history).
    #[arg(long, value_name = "FITTED.toml", required = true)]
    pub out: PathBuf,
    /// Read a column from another header, COLUMN=HEADER (e.g. entered_at="Last
    /// Modified"), or a stage value as a funnel step, stage:VALUE=STEP (repeatable).
    #[arg(long = "map", value_name = "COLUMN=HEADER")]
    pub map: Vec<String>,
    /// (calibrate runs no trials: --trials, --seed and --threads change nothing here;
    /// --set changes the template before fitting.)
    #[command(flatten)]
    pub trials: TrialArgs,
    /// How to print what was fitted.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write what was fitted as a self-contained HTML page.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

/// Reads the history for `scenario`'s funnel and calendar, printing its problems.
pub fn read_for(path: &Path, scenario: &Scenario, map: &[String]) -> Result<History, CliError> {
    let map = ColumnMap::parse(map).map_err(bad)?;
    let steps: Vec<String> = scenario.funnel.iter().map(|f| f.name.clone()).collect();
    let history =
        read_history(path, &steps, &scenario.calendar, &map).map_err(|e| bad(e.to_string()))?;
    for line in history.problems.lines(&history.file) {
        note(&format!("warning: {line}"));
    }
    Ok(history)
}

pub fn calibrate(args: CalibrateArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.template), &args.trials.set)?;
    let mut outputs = OutputPlan::new([args.history.as_path(), args.template.as_path()]);
    outputs.stdout_taken("the summary on standard output");
    accept(&mut outputs, "--out", &args.out)?;
    if let Some(p) = &args.report {
        accept(&mut outputs, "--report", p)?;
    }
    ensure_stdout_open()?;
    let scenario = &scenarios[0].scenario;
    let history = read_for(&args.history, scenario, &args.map)?;
    let calibration = fit(&history, scenario);
    for line in &calibration.notes {
        note(&format!("note: {line}"));
    }
    let template = std::fs::read_to_string(&args.template)
        .map_err(|e| bad(format!("{}: cannot read: {e}", args.template.display())))?;
    let header = header(&history, &calibration, &args);
    let text = fitted_toml(&template, &calibration, &header)
        .map_err(|m| bad(format!("{}: {m}", args.template.display())))?;
    // The fitted file must load as the scenario it claims to be.
    let origin = args.out.display().to_string();
    load_str(&text, &origin, "fitted", &[])
        .map_err(|e| CliError::Other(format!("the fitted scenario does not load (a bug): {e}")))?;
    let (file, template_name) = (history.file.clone(), args.template.display().to_string());
    let summary = match args.format {
        Format::Table => report::render_calibration_table(&calibration, &file),
        Format::Csv => report::render_calibration_csv(&calibration),
        Format::Json => report::render_calibration_json(&calibration, &file, &template_name),
    };
    let mut batch = Batch::new();
    stage(&mut batch, &args.out, text.into_bytes())?;
    if let Some(p) = &args.report {
        stage(
            &mut batch,
            p,
            report::render_calibration_html(&calibration, &file),
        )?;
    }
    stage(&mut batch, Path::new("-"), summary)?;
    commit(batch, &signals)
}

fn header(
    history: &History,
    c: &salesim::experiment::calibrate::Calibration,
    args: &CalibrateArgs,
) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Calibrated by `salesim calibrate` from {} ({} opportunities, {:.1} working weeks from {}),",
            history.file,
            history.opportunities.len(),
            c.weeks,
            history.clock.epoch
        ),
        format!(
            "on the template {}. Each fitted figure says `# fitted:` beside it.",
            args.template.display()
        ),
    ];
    if !history.problems.is_empty() {
        lines.push(format!("Problems in the history: {}.", history.problems));
    }
    lines.push("Left as the template had it (not identified from the history):".into());
    lines.extend(c.not_identified.iter().map(|l| format!("  - {l}")));
    lines.extend(c.notes.iter().map(|l| format!("Note: {l}")));
    lines
}
