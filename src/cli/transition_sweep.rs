//! `salesim sweep BEFORE --transition AFTER`: checks the flags, loads every point
//! through the library, runs them with a progress bar, and writes the table (and the
//! CSV with its manifest).

use std::path::Path;

use super::args::{SweepArgs, SweepFormat};
use super::commands::{bad, check_trial_args, command_line, parse_overrides};
use super::error::{CliError, note};
use super::output::{accept_pair, commit, ensure_stdout_open, stage, stage_pair};
use super::progress::{Signals, bar_counting};
use super::transition::{check_wind_down, parse_plan};
use salesim::experiment::grid::{self, Vary};
use salesim::experiment::transition::sweep::{TransitionSweep, TransitionSweepInputs};
use salesim::experiment::{self};
use salesim::files::{OutputPlan, is_stream};
use salesim::report::{self, Batch};

/// What a transition sweep does not do, refused before anything runs.
fn refuse_unsupported(args: &SweepArgs) -> Result<(), CliError> {
    let refused = [
        (args.shard.is_some(), "--shard"),
        (args.objective.is_some(), "--objective"),
        (!args.constraint.is_empty(), "--constraint"),
        (args.report.is_some(), "--report"),
        (args.format == SweepFormat::Json, "--format json"),
    ];
    match refused.iter().find(|(given, _)| *given) {
        Some((_, flag)) => Err(bad(format!(
            "{flag} is not supported with --transition: a transition sweep runs the whole grid and writes its rows (the table, or CSV with --out FILE.csv); choose among the rows by reading them"
        ))),
        None => Ok(()),
    }
}

/// A loading error may span lines: each but the first is prefixed as an error too.
fn lines(message: String) -> CliError {
    bad(message.lines().collect::<Vec<_>>().join("\nerror: "))
}

pub fn sweep_transition(args: SweepArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let Some(after) = args.transition.as_deref() else {
        return Err(bad("--transition AFTER is missing"));
    };
    check_trial_args(&args.trials)?;
    refuse_unsupported(&args)?;
    let wind_down_weeks = args.wind_down_weeks.unwrap_or(13.0);
    check_wind_down(wind_down_weeks)?;
    let plan = match (&args.switch, &args.plan) {
        (Some(spec), _) => Some(("switch".to_string(), spec.trim().to_string())),
        (None, Some(p)) => Some(parse_plan(p)?),
        (None, None) => None,
    };
    let varies: Vec<Vary> = args
        .vary
        .iter()
        .map(|v| Vary::parse(v).map_err(|m| bad(format!("--vary {m}"))))
        .collect::<Result<_, _>>()?;
    let set = parse_overrides(&args.trials.set)?;
    let set_before = parse_overrides(&args.set_before)
        .map_err(|e| bad(e.to_string().replacen("--set", "--set-before", 1)))?;
    let set_after = parse_overrides(&args.set_after)
        .map_err(|e| bad(e.to_string().replacen("--set", "--set-after", 1)))?;
    // A varied key also given a fixed value for the same design is refused.
    let set_paths: Vec<String> = (set.iter().map(|o| o.path.clone()))
        .chain(set_before.iter().map(|o| format!("before.{}", o.path)))
        .chain(set_after.iter().map(|o| format!("after.{}", o.path)))
        .collect();
    let set_paths: Vec<&str> = set_paths.iter().map(String::as_str).collect();
    grid::check(&varies, &set_paths).map_err(|m| bad(format!("--vary: {m}")))?;
    let sweep = TransitionSweep::load(TransitionSweepInputs {
        before: &args.scenario,
        after,
        set: &set,
        set_before: &set_before,
        set_after: &set_after,
        plan,
        wind_down_weeks,
        varies,
    })
    .map_err(lines)?;
    for w in &sweep.load_warnings {
        note(&format!("warning: {w}"));
    }
    let csv_out = args.out.as_deref();
    let mut outputs = OutputPlan::new([args.scenario.as_path(), after]);
    if let Some(out) = csv_out {
        accept_pair(&mut outputs, "--out", out)?;
    }
    // The table, or the rows of `--out -`, go to standard output.
    ensure_stdout_open()?;

    let (trials, seed) = (args.trials.trials, args.trials.seed);
    let what = format!("trials ({} points x {trials} trials)", sweep.len());
    let progress = bar_counting(sweep.len() as u64 * trials, args.trials.quiet, &what);
    let tick = || progress.inc(1);
    let report = experiment::with_threads(args.trials.threads, || {
        sweep.run(trials, seed, command_line(), &tick, &signals.any)
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    progress.finish_and_clear();
    for p in &report.points {
        for w in &p.warnings {
            note(&format!(
                "warning: point {} ({}): {w}",
                p.index,
                report.describe(p)
            ));
        }
    }

    let mut batch = Batch::new();
    let table = report::render_transition_sweep_table(&report);
    match csv_out {
        // `--out -`: the rows on standard output, in place of the table.
        Some(out) if is_stream(out) => {
            stage(
                &mut batch,
                out,
                report::render_transition_sweep_csv(&report),
            )?;
        }
        Some(out) => {
            let csv = report::render_transition_sweep_csv(&report);
            stage_pair(&mut batch, out, csv, &report.manifest)?;
            stage(&mut batch, Path::new("-"), table)?;
        }
        None => stage(&mut batch, Path::new("-"), table)?,
    }
    commit(batch, &signals)
}
