//! `salesim merge`: checks the outputs, merges the parts through the library, and
//! writes the unsharded result; for sweep parts also the choice among all the points
//! (`--objective`, `--constraint`) and the HTML sweep report, as the unsharded sweep
//! writes them.

use std::path::PathBuf;

use super::args::MergeArgs;
use super::commands::{command_line, experiment_error, warn};
use super::error::CliError;
use super::output::{accept, accept_pair, commit, stage, stage_pair, write_stdout};
use super::progress::Signals;
use super::sweep::{parse_choice, warn_points};
use salesim::experiment::parts::{self, MergedSweep, manifest_path};
use salesim::experiment::{Comparison, Manifest};
use salesim::files::OutputPlan;
use salesim::report::sweep::render_choice;
use salesim::report::{self, Batch};

pub fn merge(args: MergeArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let manifests: Vec<PathBuf> = args.parts.iter().map(|p| manifest_path(p)).collect();
    let mut outputs = OutputPlan::new(args.parts.iter().chain(&manifests).map(PathBuf::as_path));
    accept_pair(&mut outputs, "--out", &args.out)?;
    if let Some(path) = &args.report {
        accept(&mut outputs, "--report", path)?;
    }
    let mut batch = Batch::new();
    match parts::merge_files(&args.parts).map_err(experiment_error)? {
        parts::MergedParts::Sweep(mut merged) => {
            merged.manifest.command = command_line();
            return merge_sweep(&args, merged, batch, &signals);
        }
        parts::MergedParts::Run(merged) => {
            if args.objective.is_some() || !args.constraint.is_empty() || args.report.is_some() {
                return Err(CliError::BadInput(
                    "--objective, --constraint and --report choose among the points of a sweep, but these are parts of `salesim run --shard`: merge them without those flags".into(),
                ));
            }
            let manifest = Manifest {
                command: command_line(),
                ..merged.manifest
            };
            let comparison = Comparison::from_named(merged.scenarios, manifest);
            warn(&comparison);
            let csv = report::render_csv(&comparison);
            stage_pair(&mut batch, &args.out, csv, &comparison.manifest)?;
        }
    }
    commit(batch, &signals)
}

/// Writes the merged sweep's CSV, and its report and choice when asked, as the
/// unsharded `sweep --out` writes them: the choice on standard output once the files
/// are in place.
fn merge_sweep(
    args: &MergeArgs,
    merged: MergedSweep,
    mut batch: Batch,
    signals: &Signals,
) -> Result<(), CliError> {
    let choosing = args.objective.is_some() || !args.constraint.is_empty();
    let report = if choosing || args.report.is_some() || merged.sweep.is_some() {
        let names = merged.catalogue().map_err(experiment_error)?;
        let choice = parse_choice(args.objective.as_deref(), &args.constraint, &names)?;
        Some(merged.report(choice).map_err(experiment_error)?)
    } else {
        None
    };
    if let Some(report) = &report {
        warn_points(report);
    }
    if let (Some(path), Some(report)) = (&args.report, &report) {
        stage(&mut batch, path, report::html::render_sweep_html(report))?;
    }
    let summary = report
        .as_ref()
        .filter(|r| r.objective.is_some())
        .map(render_choice);
    stage_pair(&mut batch, &args.out, merged.csv, &merged.manifest)?;
    commit(batch, signals)?;
    if let Some(summary) = summary {
        write_stdout(summary.as_bytes())?;
    }
    Ok(())
}
