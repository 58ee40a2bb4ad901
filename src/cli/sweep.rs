//! `salesim sweep`: checks the flags, loads the grid through the library, runs it with
//! a progress bar, and writes the rows and the choice.

use super::args::{SweepArgs, SweepFormat};
use std::path::Path;

use super::commands::{check_trial_args, command_line, parse_overrides, parse_shard};
use super::error::{CliError, note};
use super::output::{
    accept, accept_pair, commit, ensure_stdout_open, stage, stage_pair, write_stdout,
};
use super::progress::{Signals, bar};
use salesim::experiment::grid::Vary;
use salesim::experiment::optimize::{Constraint, Objective};
use salesim::experiment::parts;
use salesim::experiment::sweep::{Sweep, SweepReport};
use salesim::experiment::{self, Plan};
use salesim::files::{OutputPlan, is_stream};
use salesim::model::metrics::Catalogue;
use salesim::report::sweep::{render_choice, render_sweep_csv, render_sweep_json};
use salesim::report::{self, Batch};

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

pub fn sweep(args: SweepArgs) -> Result<(), CliError> {
    if args.transition.is_some() {
        return super::transition_sweep::sweep_transition(args);
    }
    let signals = Signals::install();
    check_trial_args(&args.trials)?;
    let shard = parse_shard(&args.shard)?;
    let varies: Vec<Vary> = args
        .vary
        .iter()
        .map(|v| Vary::parse(v).map_err(|m| bad(format!("--vary {m}"))))
        .collect::<Result<_, _>>()?;
    let user_overrides = parse_overrides(&args.trials.set)?;
    let set_paths: Vec<&str> = user_overrides.iter().map(|o| o.path.as_str()).collect();
    experiment::grid::check(&varies, &set_paths).map_err(|m| bad(format!("--vary: {m}")))?;
    // Every point is loaded (and so validated) before anything runs.
    let sweep = Sweep::load(&args.scenario, &user_overrides, varies, shard)
        .map_err(|e| bad(e.to_string()))?;
    let (objective, constraints) = parse_choice(
        args.objective.as_deref(),
        &args.constraint,
        &sweep.catalogue(),
    )?;
    // Any `--shard`, `0/1` too, writes a part for `merge` (a one-task array merges).
    let whole = args.shard.is_none();
    check_outputs(&args, whole)?;

    let grid_points = sweep.grid_points();
    let progress = bar(sweep.len() as u64 * args.trials.trials, args.trials.quiet);
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard,
    };
    let tick = || progress.inc(1);
    let report = experiment::with_threads(args.trials.threads, || {
        sweep.run(
            plan,
            (objective, constraints),
            command_line(),
            &tick,
            &signals.any,
        )
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    progress.finish_and_clear();
    warn_points(&report);

    let bytes = match args.format {
        SweepFormat::Csv => render_sweep_csv(&report),
        SweepFormat::Json => render_sweep_json(&report),
    };
    let mut batch = Batch::new();
    if let Some(path) = &args.report {
        stage(&mut batch, path, report::html::render_sweep_html(&report))?;
    }
    let summary = report.objective.is_some().then(|| render_choice(&report));
    match args.out.as_deref().filter(|out| out.as_os_str() != "-") {
        Some(out) => {
            let manifest = if whole {
                report.manifest.clone()
            } else {
                parts::sweep_part_manifest(&report, grid_points, &bytes)
            };
            stage_pair(&mut batch, out, bytes, &manifest)?;
            commit(batch, &signals)?;
            if let Some(summary) = summary {
                write_stdout(summary.as_bytes())?;
            }
        }
        None => {
            stage(&mut batch, Path::new("-"), bytes)?;
            commit(batch, &signals)?;
            if let Some(summary) = summary {
                // Lost if standard error is closed or full; never a panic.
                let _ = std::io::Write::write_all(&mut std::io::stderr(), summary.as_bytes());
            }
        }
    }
    Ok(())
}

/// Each point's warnings on standard error.
pub fn warn_points(report: &SweepReport) {
    for point in &report.points {
        for w in &point.warnings {
            note(&format!(
                "warning: point {} ({}): {w}",
                point.index,
                report.describe(point)
            ));
        }
    }
}

/// Reads `--objective` and `--constraint` against the metrics `names`; a constraint
/// needs an objective.
pub fn parse_choice(
    objective: Option<&str>,
    constraints: &[String],
    names: &Catalogue,
) -> Result<(Option<Objective>, Vec<Constraint>), CliError> {
    let objective = objective
        .map(|o| Objective::parse(o, names))
        .transpose()
        .map_err(|m| bad(format!("--objective: {m}")))?;
    let constraints: Vec<Constraint> = constraints
        .iter()
        .map(|c| Constraint::parse(c, names).map_err(|m| bad(format!("--constraint: {m}"))))
        .collect::<Result<_, _>>()?;
    if !constraints.is_empty() && objective.is_none() {
        return Err(bad(
            "--constraint needs --objective min:METRIC or max:METRIC to choose among the feasible points",
        ));
    }
    Ok((objective, constraints))
}

/// The flags that decide what is written, checked before anything runs.
fn check_outputs(args: &SweepArgs, whole: bool) -> Result<(), CliError> {
    if !whole && args.objective.is_some() {
        return Err(bad(
            "--objective with --shard would choose among this shard's points only, not the whole grid: run every shard without --objective and --constraint, then choose with `salesim merge PARTS --out FILE --objective ... --constraint ...`",
        ));
    }
    if !whole && args.out.as_deref().is_none_or(is_stream) {
        return Err(bad(
            "--shard needs --out FILE: a part file for `salesim merge`",
        ));
    }
    if !whole && args.report.is_some() {
        return Err(bad(
            "--report needs the whole sweep, not one shard: merge the shards first (`salesim merge`), or run the sweep without --shard to write the report",
        ));
    }
    let mut outputs = OutputPlan::new([args.scenario.as_path()]);
    match &args.out {
        Some(out) => accept_pair(&mut outputs, "--out", out)?,
        None => ensure_stdout_open()?,
    }
    if let Some(path) = &args.report {
        accept(&mut outputs, "--report", path)?;
    }
    Ok(())
}
