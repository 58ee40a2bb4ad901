//! `salesim calibrate`: read a history for a template scenario, fit it, write the
//! fitted scenario and print what was fitted.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{DataArgs, Format};
use super::commands::{bad, check_trial_args, load_all};
use super::data_out::DataOutputs;
use super::error::{CliError, note};
use super::progress::Signals;
use salesim::data::{ColumnMap, History, read_history};
use salesim::experiment::calibrate::calibrate as fit;
use salesim::experiment::calibrate_toml::fitted_toml;
use salesim::report;
use salesim::scenario::{MAX_SCENARIO_BYTES, Scenario, load_str};

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
    // calibrate runs no trials: --trials, --seed and --threads change nothing here;
    // --set changes the template before fitting. --format is how the summary prints.
    #[command(flatten)]
    pub data: DataArgs,
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
    let data = &args.data;
    check_trial_args(&data.trials)?;
    let scenarios = load_all(std::slice::from_ref(&args.template), &data.trials.set)?;
    let outputs = DataOutputs::accept(
        [args.history.as_path(), args.template.as_path()],
        Some(&args.out),
        args.report.as_deref(),
        true,
    )?;
    let scenario = &scenarios[0].scenario;
    let history = read_for(&args.history, scenario, &data.map)?;
    let calibration = fit(&history, scenario);
    for line in &calibration.notes {
        note(&format!("note: {line}"));
    }
    // The template loaded as a scenario above, so it is UTF-8 and under the size limit,
    // unless it changed since; read no more than a scenario may be.
    let template = salesim::files::read_at_most(&args.template, MAX_SCENARIO_BYTES)
        .ok()
        .filter(|b| b.len() as u64 <= MAX_SCENARIO_BYTES)
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            bad(format!(
                "{}: cannot read it again as a scenario (changed since it was loaded?)",
                args.template.display()
            ))
        })?;
    let header = header(&history, &calibration, &args);
    let text = fitted_toml(&template, &calibration, &header)
        .map_err(|m| bad(format!("{}: {m}", args.template.display())))?;
    // The fitted file must load as the scenario it claims to be.
    let origin = args.out.display().to_string();
    load_str(&text, &origin, "fitted", &[])
        .map_err(|e| CliError::Other(format!("the fitted scenario does not load (a bug): {e}")))?;
    let (file, template_name) = (history.file.clone(), args.template.display().to_string());
    let summary = match data.format {
        Format::Table => report::render_calibration_table(&calibration, &file),
        Format::Csv => report::render_calibration_csv(&calibration),
        Format::Json => report::render_calibration_json(&calibration, &file, &template_name),
    };
    outputs.write(
        text.into_bytes(),
        || report::render_calibration_html(&calibration, &file),
        Some(summary),
        &signals,
    )
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
