//! `salesim sensitivity`: checks the flags, runs the library's study with a progress
//! bar, and writes the ranked table (or CSV/JSON) and the tornado report.

use std::path::Path;

use super::args::{Format, SensitivityArgs, TrialArgs};
use super::commands::{check_trial_args, command_line, find_warmups, parse_overrides};
use super::error::CliError;
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::{Signals, bar};
use salesim::experiment::sensitivity::{self, Measure, Options, Source};
use salesim::experiment::{self, Manifest, Plan, Shard};
use salesim::files::OutputPlan;
use salesim::report::{self, Batch};

/// Inputs screened again on `--trials` after a `--screen` pass.
const SCREEN_TOP: usize = 8;

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

pub fn sensitivity(args: SensitivityArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let trial_args = TrialArgs {
        trials: args.trials,
        seed: args.seed,
        threads: args.threads,
        set: args.set.clone(),
        quiet: args.quiet,
    };
    check_trial_args(&trial_args)?;
    let by = sensitivity::parse_by(&args.by).map_err(|m| bad(format!("--by {m}")))?;
    let overrides = parse_overrides(&args.set)?;
    let source = Source::read(&args.scenario, &overrides).map_err(|e| bad(e.to_string()))?;
    let mut base = vec![source.load(&[]).map_err(|e| bad(e.to_string()))?];
    let names = salesim::model::catalogue(&base[0].scenario);
    let measure = Measure::parse(&args.metric, &names).map_err(|m| bad(format!("--metric {m}")))?;
    let known = sensitivity::all_input_keys(&base);
    for p in &args.params {
        if !known.contains(p) {
            let hint = salesim::scenario::did_you_mean(p, known.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(bad(format!(
                "--params: `{p}` is not a numeric input of {}{hint}",
                args.scenario.display()
            )));
        }
    }
    let mut outputs = OutputPlan::new([args.scenario.as_path()]);
    match &args.out {
        Some(out) => accept(&mut outputs, "--out", out)?,
        None => ensure_stdout_open()?,
    }
    if let Some(p) = &args.report {
        accept(&mut outputs, "--report", p)?;
    }
    let plan = Plan {
        trials: args.trials,
        seed: args.seed,
        shard: Shard::WHOLE,
    };
    find_warmups(&mut base, plan, &trial_args, &signals)?;
    let options = Options {
        by,
        seed: args.seed,
        trials: args.trials,
        screen: args.screen.map(|n| (n, SCREEN_TOP)),
    };
    let inputs = sensitivity::input_keys(std::slice::from_ref(&source), &base, &args.params).len();
    let progress = bar(sensitivity::planned_trials(inputs, 1, &options), args.quiet);
    let tick = || progress.inc(1);
    let study = experiment::with_threads(args.threads, || {
        sensitivity::study(
            std::slice::from_ref(&source),
            &base,
            &measure,
            &args.params,
            options,
            &tick,
            &signals.any,
        )
    })
    .map_err(CliError::Other)?
    .map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })?;
    progress.finish_and_clear();
    let manifest = Manifest::new(&base, plan, command_line());
    let bytes = match args.format {
        Format::Table => report::sensitivity::render_sensitivity_table(&study),
        Format::Csv => report::sensitivity::render_sensitivity_csv(&study),
        Format::Json => report::sensitivity::render_sensitivity_json(&study, &manifest),
    };
    let mut batch = Batch::new();
    if let Some(p) = &args.report {
        let html = report::html::render_sensitivity_html(&study, &manifest);
        stage(&mut batch, p, html)?;
    }
    stage(
        &mut batch,
        args.out.as_deref().unwrap_or(Path::new("-")),
        bytes,
    )?;
    commit(batch, &signals)
}
