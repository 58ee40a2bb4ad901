//! `salesim sweep`: runs a scenario over a grid of parameter values (every point on the
//! same trials: common random numbers), writes tidy rows per point, metric and
//! statistic, and optionally picks the best feasible design.

use super::args::{SweepArgs, SweepFormat};
use super::commands::{
    check_trial_args, command_line, ensure_writable, parse_overrides, parse_shard, write_file,
};
use super::error::CliError;
use super::progress::{Signals, bar};
use crate::experiment::grid::{Vary, expand};
use crate::experiment::optimize::{Constraint, Objective};
use crate::experiment::{self, Plan, Shard, Summaries};
use crate::model::catalogue;
use crate::report::sweep::{
    SweepPoint, SweepReport, render_choice, render_sweep_csv, render_sweep_json,
};
use crate::report::{self, Manifest, render_manifest_json};
use crate::scenario::{LoadedScenario, Override, load_file};

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

/// One grid point to run.
struct Point {
    index: usize,
    values: Vec<String>,
    loaded: LoadedScenario,
    metrics: Summaries,
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
    let base = load_file(&args.scenario, &user_overrides).map_err(|e| bad(e.to_string()))?;
    let names = catalogue(&base.scenario);
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
    if !constraints.is_empty() && objective.is_none() {
        return Err(bad(
            "--constraint needs --objective min:METRIC or max:METRIC to choose among the feasible points",
        ));
    }
    if !shard.is_whole() && args.out.is_none() {
        return Err(bad(
            "--shard needs --out FILE: a part file for `salesim merge`",
        ));
    }
    if !shard.is_whole() && args.report.is_some() {
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

    // Every point is loaded (and so validated) before anything runs.
    let grid = expand(&varies);
    let mut points = Vec::new();
    for index in Shard::trials(&shard, grid.len() as u64) {
        let values = grid[index as usize].clone();
        let mut overrides = user_overrides.clone();
        for (vary, value) in varies.iter().zip(&values) {
            overrides.push(Override {
                path: vary.path.clone(),
                value: value.clone(),
            });
        }
        let loaded = load_file(&args.scenario, &overrides).map_err(|e| bad(e.to_string()))?;
        points.push(Point {
            index: index as usize,
            values,
            loaded,
            metrics: Summaries::default(),
        });
    }

    let signals = Signals::install();
    let progress = bar(points.len() as u64 * args.trials.trials, args.trials.quiet);
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard: Shard::WHOLE,
    };
    let tick = || progress.inc(1);
    for point in &mut points {
        let results = experiment::with_threads(args.trials.threads, || {
            experiment::run(
                std::slice::from_ref(&point.loaded),
                plan,
                &tick,
                &signals.any,
            )
        })
        .map_err(CliError::Other)?
        .map_err(|_| CliError::Interrupted {
            signal: signals.which(),
        })?;
        let result = &results[0];
        point.metrics = result.summaries();
        for w in report::overload_warnings(&point.loaded) {
            let at: Vec<String> = varies
                .iter()
                .zip(&point.values)
                .map(|(v, x)| format!("{}={x}", v.path))
                .collect();
            eprintln!("warning: point {} ({}): {w}", point.index, at.join(", "));
        }
    }
    progress.finish_and_clear();

    let report = SweepReport {
        scenario: base.scenario.name.clone(),
        file: base.origin.clone(),
        trials: args.trials.trials,
        varies: varies.clone(),
        points: points
            .into_iter()
            .map(|p| SweepPoint {
                index: p.index,
                warnings: report::overload_warnings(&p.loaded),
                values: p.values,
                metrics: p.metrics,
            })
            .collect(),
        objective,
        constraints,
        manifest: Manifest::new(
            std::slice::from_ref(&base),
            Plan { shard, ..plan },
            command_line(),
        ),
    };
    let mut report = report;
    report.manifest.varies = args.vary.clone();
    let bytes = match args.format {
        SweepFormat::Csv => render_sweep_csv(&report),
        SweepFormat::Json => render_sweep_json(&report),
    };
    if let Some(path) = &args.report {
        write_file(path, &report::html::render_sweep_html(&report))?;
    }
    let manifest = &report.manifest;
    let summary = report.objective.is_some().then(|| render_choice(&report));
    match &args.out {
        Some(out) => {
            write_file(
                &super::parts::manifest_path(out),
                &render_manifest_json(manifest),
            )?;
            write_file(out, &bytes)?;
            if let Some(summary) = summary {
                print!("{summary}");
            }
        }
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(&bytes);
            if let Some(summary) = summary {
                eprint!("{summary}");
            }
        }
    }
    Ok(())
}
