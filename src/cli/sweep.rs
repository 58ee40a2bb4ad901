//! `salesim sweep`: checks the flags, loads the grid through the library, runs it with
//! a progress bar, and writes the rows and the choice.

use super::args::{SweepArgs, SweepFormat};
use super::commands::{
    check_trial_args, command_line, ensure_writable, parse_overrides, parse_shard, write_file,
    write_stdout,
};
use super::error::CliError;
use super::progress::{Signals, bar};
use salesim::experiment::grid::Vary;
use salesim::experiment::optimize::{Constraint, Objective};
use salesim::experiment::parts::{self, manifest_path};
use salesim::experiment::sweep::Sweep;
use salesim::experiment::{self, Plan};
use salesim::report::sweep::{render_choice, render_sweep_csv, render_sweep_json};
use salesim::report::{self, render_manifest_json};

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

pub fn sweep(args: SweepArgs) -> Result<(), CliError> {
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
    let names = sweep.catalogue();
    let objective = args
        .objective
        .as_deref()
        .map(|o| Objective::parse(o, &names))
        .transpose()
        .map_err(|m| bad(format!("--objective: {m}")))?;
    let constraints: Vec<Constraint> = args
        .constraint
        .iter()
        .map(|c| Constraint::parse(c, &names).map_err(|m| bad(format!("--constraint: {m}"))))
        .collect::<Result<_, _>>()?;
    check_outputs(&args, &constraints, objective.is_some(), shard.is_whole())?;

    let grid_points = sweep.grid_points();
    let signals = Signals::install();
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
    for point in &report.points {
        for w in &point.warnings {
            eprintln!(
                "warning: point {} ({}): {}",
                point.index,
                salesim::report::printable(&report.describe(point)),
                salesim::report::printable(w)
            );
        }
    }

    let bytes = match args.format {
        SweepFormat::Csv => render_sweep_csv(&report),
        SweepFormat::Json => render_sweep_json(&report),
    };
    if let Some(path) = &args.report {
        write_file(path, &report::html::render_sweep_html(&report))?;
    }
    let summary = report.objective.is_some().then(|| render_choice(&report));
    match &args.out {
        Some(out) => {
            let manifest = if shard.is_whole() {
                report.manifest.clone()
            } else {
                parts::sweep_part_manifest(report.manifest.clone(), grid_points, &bytes)
            };
            write_file(&manifest_path(out), &render_manifest_json(&manifest))?;
            write_file(out, &bytes)?;
            if let Some(summary) = summary {
                print!("{summary}");
            }
        }
        None => {
            write_stdout(&bytes)?;
            if let Some(summary) = summary {
                eprint!("{summary}");
            }
        }
    }
    Ok(())
}

/// The flags that decide what is written, checked before anything runs.
fn check_outputs(
    args: &SweepArgs,
    constraints: &[Constraint],
    has_objective: bool,
    whole: bool,
) -> Result<(), CliError> {
    if !constraints.is_empty() && !has_objective {
        return Err(bad(
            "--constraint needs --objective min:METRIC or max:METRIC to choose among the feasible points",
        ));
    }
    if !whole && args.out.is_none() {
        return Err(bad(
            "--shard needs --out FILE: a part file for `salesim merge`",
        ));
    }
    if !whole && args.report.is_some() {
        return Err(bad(
            "--report needs the whole sweep, not one shard: merge the shards first (`salesim merge`), or run the sweep without --shard to write the report",
        ));
    }
    if let Some(out) = &args.out {
        ensure_writable("--out", out)?;
    }
    if let Some(path) = &args.report {
        ensure_writable("--report", path)?;
    }
    Ok(())
}
