//! `salesim sweep`: runs a scenario over a grid of parameter values (every point on the
//! same trials: common random numbers), writes tidy rows per point, metric and
//! statistic, and optionally picks the best feasible design.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::args::{SweepArgs, SweepFormat};
use super::commands::{
    check_trial_args, command_line, ensure_writable, parse_overrides, parse_shard, write_file,
};
use super::error::CliError;
use super::progress::{Signals, bar};
use crate::experiment::grid::{Vary, expand};
use crate::experiment::optimize::{Constraint, Objective, best, pareto_front};
use crate::experiment::{self, Plan, Shard};
use crate::model::catalogue;
use crate::report::{self, Manifest, number, render_manifest_json};
use crate::scenario::{LoadedScenario, Override, load_file};
use crate::stats::Summary;

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

/// One grid point: its varied values and, once run, its metric summaries.
struct Point {
    index: usize,
    values: Vec<String>,
    loaded: LoadedScenario,
    metrics: Vec<(String, Summary)>,
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
    if let Some(out) = &args.out {
        ensure_writable("--out", out)?;
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
            metrics: Vec::new(),
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
        point.metrics = result
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    name.clone(),
                    Summary::of(&result.rows.iter().map(|r| r[i]).collect::<Vec<_>>()),
                )
            })
            .collect();
        for w in report::overload_warnings(&point.loaded) {
            eprintln!(
                "warning: point {} ({}): {w}",
                point.index,
                describe(&varies, &point.values)
            );
        }
    }
    progress.finish_and_clear();

    let bytes = match args.format {
        SweepFormat::Csv => render_csv(&varies, &points),
        SweepFormat::Json => render_json(&varies, &points),
    };
    let mut manifest = Manifest::new(
        std::slice::from_ref(&base),
        Plan { shard, ..plan },
        command_line(),
    );
    manifest.varies = args.vary.clone();
    let summary = objective
        .as_ref()
        .map(|o| render_choice(o, &constraints, &varies, &points));
    match &args.out {
        Some(out) => {
            write_file(
                &super::parts::manifest_path(out),
                &render_manifest_json(&manifest),
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

fn describe(varies: &[Vary], values: &[String]) -> String {
    varies
        .iter()
        .zip(values)
        .map(|(v, x)| format!("{}={x}", v.path))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_csv(varies: &[Vary], points: &[Point]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(varies.iter().map(|v| v.path.clone()));
    header.extend(["metric", "statistic", "value"].map(String::from));
    w.write_record(&header).expect("in-memory write");
    for p in points {
        for (name, summary) in &p.metrics {
            for (statistic, value) in Summary::STATISTICS.iter().zip(summary.values()) {
                let mut row = vec![p.index.to_string()];
                row.extend(p.values.iter().cloned());
                row.extend([name.clone(), statistic.to_string(), number(value)]);
                w.write_record(&row).expect("in-memory write");
            }
        }
    }
    w.into_inner().expect("in-memory write")
}

fn render_json(varies: &[Vary], points: &[Point]) -> Vec<u8> {
    let list: Vec<Value> = points
        .iter()
        .map(|p| {
            let mut values = Map::new();
            for (v, x) in varies.iter().zip(&p.values) {
                values.insert(v.path.clone(), json!(x));
            }
            let mut metrics = Map::new();
            for (name, s) in &p.metrics {
                let stats: Map<String, Value> = Summary::STATISTICS
                    .iter()
                    .zip(s.values())
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            if v.is_finite() { json!(v) } else { Value::Null },
                        )
                    })
                    .collect();
                metrics.insert(name.clone(), Value::Object(stats));
            }
            json!({ "point": p.index, "values": values, "metrics": metrics })
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&list).expect("serialisable");
    bytes.push(b'\n');
    bytes
}

fn render_choice(
    objective: &Objective,
    constraints: &[Constraint],
    varies: &[Vary],
    points: &[Point],
) -> String {
    let metrics: Vec<Vec<(String, Summary)>> = points.iter().map(|p| p.metrics.clone()).collect();
    let mut out = String::new();
    match best(&metrics, objective, constraints) {
        Some(i) => {
            let p = &points[i];
            let _ = writeln!(
                out,
                "best feasible point: {} ({})",
                p.index,
                describe(varies, &p.values)
            );
            let _ = writeln!(
                out,
                "  {} = {}",
                objective.target,
                report::human(objective.target.value(&p.metrics))
            );
            for c in constraints {
                let sure = c
                    .confidence(&p.metrics)
                    .map_or("n/a (not a mean)".to_string(), |q| {
                        format!("{:.1}%", 100.0 * q)
                    });
                let _ = writeln!(
                    out,
                    "  {} = {} ({} {}); probability the true value meets it: {sure}",
                    c.target,
                    report::human(c.target.value(&p.metrics)),
                    if c.at_most { "<=" } else { ">=" },
                    c.bound
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "no point meets every constraint; relax a constraint or widen the grid"
            );
        }
    }
    let front = pareto_front(&metrics, objective);
    let _ = writeln!(
        out,
        "Pareto front (staffing_cost_per_year.mean against {}):",
        objective.target
    );
    for i in front {
        let p = &points[i];
        let cost = p
            .metrics
            .iter()
            .find(|(n, _)| n == "staffing_cost_per_year")
            .map_or(f64::NAN, |(_, s)| s.mean);
        let _ = writeln!(
            out,
            "  point {} ({}): cost {} a year, {} {}",
            p.index,
            describe(varies, &p.values),
            report::human(cost),
            objective.target,
            report::human(objective.target.value(&p.metrics))
        );
    }
    out
}
