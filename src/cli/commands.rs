//! The commands: turn parsed arguments into library calls and write the results.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{
    Cli, Command, CompareArgs, Format, MergeArgs, RunArgs, TraceArgs, TrialArgs, ValidateArgs,
};
use super::error::CliError;
use super::progress::{Signals, bar};
use salesim::experiment::parts::{self, manifest_path};
use salesim::experiment::{self, Comparison, ExperimentError, Manifest, Plan, Shard};
use salesim::report;
use salesim::scenario::{LoadedScenario, Override, ScenarioError, load_file};

/// Trials beyond this are a typo, not a study (split big studies into shards).
const MAX_TRIALS: u64 = 10_000_000;
const MAX_THREADS: usize = 1024;

pub fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Compare(args) => compare(args),
        Command::Sweep(args) => super::sweep::sweep(args),
        Command::Merge(args) => merge(args),
        Command::Validate(args) => validate(args),
        Command::Trace(args) => trace(args),
    }
}

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

pub fn parse_overrides(set: &[String]) -> Result<Vec<Override>, CliError> {
    set.iter()
        .map(|s| Override::parse(s).map_err(|m| bad(format!("--set: {m}"))))
        .collect()
}

pub fn load_all(paths: &[PathBuf], set: &[String]) -> Result<Vec<LoadedScenario>, CliError> {
    let overrides = parse_overrides(set)?;
    paths
        .iter()
        .map(|p| load_file(p, &overrides).map_err(|e| bad(problem_lines(&e))))
        .collect()
}

/// One problem a line, each but the first prefixed with `error: ` (the first gets it
/// when the error is printed), so every line of a long report reads as an error.
fn problem_lines(e: &ScenarioError) -> String {
    e.to_string().lines().collect::<Vec<_>>().join("\nerror: ")
}

pub fn check_trial_args(t: &TrialArgs) -> Result<(), CliError> {
    if t.trials == 0 {
        return Err(bad("--trials must be at least 1 (got 0)"));
    }
    if t.trials > MAX_TRIALS {
        return Err(bad(format!(
            "--trials {} is more than {MAX_TRIALS}; split a study that large with --shard K/N and `salesim merge`",
            t.trials
        )));
    }
    match t.threads {
        Some(0) => Err(bad(
            "--threads must be at least 1 (got 0); leave it out to use every core",
        )),
        Some(n) if n > MAX_THREADS => Err(bad(format!(
            "--threads must be at most {MAX_THREADS} (got {n})"
        ))),
        _ => Ok(()),
    }
}

pub fn parse_shard(shard: &Option<String>) -> Result<Shard, CliError> {
    match shard {
        None => Ok(Shard::WHOLE),
        Some(s) => s.parse().map_err(|m| bad(format!("--shard: {m}"))),
    }
}

pub fn ensure_writable(flag: &str, path: &Path) -> Result<(), CliError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(bad(format!(
            "{flag} {}: cannot write there: the folder {} does not exist; create it first",
            path.display(),
            folder.display()
        )));
    }
    report::check_writable(path).map_err(|e| {
        bad(format!(
            "{flag} {}: cannot write there: {e}",
            path.display()
        ))
    })
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    report::write_atomic(path, bytes)
        .map_err(|e| CliError::Other(format!("cannot write {}: {e}", path.display())))
}

pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Other(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

pub fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the plan on the scenarios with a progress bar, stopping cleanly on a signal.
/// First the pilots that find (or check) each scenario's warm-up, which set it in
/// `scenarios`; then the trials.
pub fn simulate(
    scenarios: &mut [LoadedScenario],
    plan: Plan,
    t: &TrialArgs,
) -> Result<Vec<experiment::ScenarioResult>, CliError> {
    let signals = Signals::install();
    let interrupted = |_| CliError::Interrupted {
        signal: signals.which(),
    };
    experiment::with_threads(t.threads, || {
        experiment::warmup::resolve(scenarios, plan.seed, plan.trials, &signals.any)
    })
    .map_err(CliError::Other)?
    .map_err(interrupted)?;
    for l in scenarios.iter() {
        if let Some(note) = experiment::warmup::chosen(&l.scenario) {
            eprintln!("note: {}: {note}", l.origin);
        }
    }
    let per_scenario = plan.shard.trials(plan.trials).count() as u64;
    let progress = bar(per_scenario * scenarios.len() as u64, t.quiet);
    let tick = || progress.inc(1);
    let result = experiment::with_threads(t.threads, || {
        experiment::run(scenarios, plan, &tick, &signals.any)
    })
    .map_err(CliError::Other)?;
    progress.finish_and_clear();
    result.map_err(|_| CliError::Interrupted {
        signal: signals.which(),
    })
}

fn warn(c: &Comparison) {
    for s in &c.scenarios {
        for w in &s.warnings {
            eprintln!(
                "warning: {}: {}",
                report::printable(&s.file),
                report::printable(w)
            );
        }
    }
}

fn run(args: RunArgs) -> Result<(), CliError> {
    check_trial_args(&args.trials)?;
    let shard = parse_shard(&args.shard)?;
    let mut scenarios = load_all(std::slice::from_ref(&args.scenario), &args.trials.set)?;
    if !shard.is_whole() && args.out.is_none() {
        return Err(bad(
            "--shard needs --out FILE: a part file (with its manifest beside it) for `salesim merge`",
        ));
    }
    if shard.count > args.trials.trials {
        return Err(bad(format!(
            "--shard {shard}: {} shards is more than the {} trials; use at most --shard K/{}",
            shard.count, args.trials.trials, args.trials.trials
        )));
    }
    if let Some(out) = &args.out {
        ensure_writable("--out", out)?;
    }
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard,
    };
    let results = simulate(&mut scenarios, plan, &args.trials)?;
    let manifest = Manifest::new(&scenarios, plan, command_line());
    if !shard.is_whole() {
        let out = args.out.as_ref().expect("checked above");
        let part = parts::render_part(&scenarios, &results);
        let manifest = parts::run_part_manifest(manifest, &scenarios, &results, &part);
        for w in &manifest.warnings {
            eprintln!("warning: {w}");
        }
        write_file(
            &manifest_path(out),
            &report::render_manifest_json(&manifest),
        )?;
        return write_file(out, &part);
    }
    let comparison = Comparison::new(&scenarios, results, manifest);
    warn(&comparison);
    let bytes = match args.format {
        Format::Table => report::render_table(&comparison),
        Format::Csv => report::render_csv(&comparison),
        Format::Json => report::render_json(&comparison),
    };
    match &args.out {
        Some(out) => {
            if args.format == Format::Csv {
                write_file(
                    &manifest_path(out),
                    &report::render_manifest_json(&comparison.manifest),
                )?;
            }
            write_file(out, &bytes)
        }
        None => write_stdout(&bytes),
    }
}

fn compare(args: CompareArgs) -> Result<(), CliError> {
    check_trial_args(&args.trials)?;
    let mut scenarios = load_all(&args.scenarios, &args.trials.set)?;
    for (flag, path) in [
        ("--report", &args.report),
        ("--csv", &args.csv),
        ("--json", &args.json),
    ] {
        if let Some(p) = path {
            ensure_writable(flag, p)?;
        }
    }
    let plan = Plan {
        trials: args.trials.trials,
        seed: args.trials.seed,
        shard: Shard::WHOLE,
    };
    let results = simulate(&mut scenarios, plan, &args.trials)?;
    experiment::check_comparable(&scenarios).map_err(experiment_error)?;
    let comparison = Comparison::new(
        &scenarios,
        results,
        Manifest::new(&scenarios, plan, command_line()),
    );
    warn(&comparison);
    if let Some(p) = &args.csv {
        write_file(
            &manifest_path(p),
            &report::render_manifest_json(&comparison.manifest),
        )?;
        write_file(p, &report::render_csv(&comparison))?;
    }
    if let Some(p) = &args.json {
        write_file(p, &report::render_json(&comparison))?;
    }
    if let Some(p) = &args.report {
        write_file(p, &report::html::render_html(&comparison))?;
        eprintln!("report written to {}", p.display());
    }
    write_stdout(&report::render_table(&comparison))
}

/// A library error as the command line reports it.
fn experiment_error(e: ExperimentError) -> CliError {
    if e.is_bad_input() {
        CliError::BadInput(e.to_string())
    } else {
        CliError::Other(e.to_string())
    }
}

fn validate(args: ValidateArgs) -> Result<(), CliError> {
    let mut failures = Vec::new();
    for path in &args.scenarios {
        match load_file(path, &[]) {
            Ok(loaded) => {
                let file = path.display().to_string();
                let (file, name) = (report::printable(&file), &loaded.scenario.name);
                println!("ok: {file} ({})", report::printable(name));
                for w in experiment::overload_warnings(&loaded) {
                    eprintln!("warning: {file}: {}", report::printable(&w));
                }
            }
            Err(e) => failures.push(problem_lines(&e)),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(bad(failures.join("\nerror: ")))
    }
}

fn trace(args: TraceArgs) -> Result<(), CliError> {
    let scenarios = load_all(std::slice::from_ref(&args.scenario), &args.set)?;
    if let Some(out) = &args.out {
        ensure_writable("--out", out)?;
    }
    let scenario = &scenarios[0].scenario;
    let (_, trace) = salesim::model::simulate_traced(scenario, args.seed, args.trial);
    let bytes = report::render_trace_csv(scenario, &trace);
    match &args.out {
        Some(out) => write_file(out, &bytes),
        None => write_stdout(&bytes),
    }
}

fn merge(args: MergeArgs) -> Result<(), CliError> {
    refuse_out_among_parts(&args.out, &args.parts)?;
    ensure_writable("--out", &args.out)?;
    let manifest_path = manifest_path(&args.out);
    match parts::merge_files(&args.parts).map_err(experiment_error)? {
        parts::MergedParts::Sweep(merged) => {
            let manifest = Manifest {
                command: command_line(),
                ..merged.manifest
            };
            write_file(&manifest_path, &report::render_manifest_json(&manifest))?;
            write_file(&args.out, &merged.csv)
        }
        parts::MergedParts::Run(merged) => {
            let manifest = Manifest {
                command: command_line(),
                ..merged.manifest
            };
            let comparison = Comparison::from_named(merged.scenarios, manifest);
            warn(&comparison);
            write_file(
                &manifest_path,
                &report::render_manifest_json(&comparison.manifest),
            )?;
            write_file(&args.out, &report::render_csv(&comparison))
        }
    }
}

/// Refuses an `--out` (or its manifest) that is one of the parts or their manifests,
/// however the path is spelled, before anything is written.
fn refuse_out_among_parts(out: &Path, parts: &[PathBuf]) -> Result<(), CliError> {
    let outputs = [resolved(out), resolved(&manifest_path(out))];
    for part in parts {
        for input in [part.clone(), manifest_path(part)] {
            if outputs.contains(&resolved(&input)) {
                return Err(bad(format!(
                    "--out {}: it would overwrite {}, one of the parts being merged (or its manifest); name a new file",
                    out.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

/// `path` with links and `.`/`..` resolved, as far as it exists: a file not yet there
/// is its resolved folder joined with its name.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (folder.canonicalize(), path.file_name()) {
        (Ok(f), Some(name)) => f.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}
