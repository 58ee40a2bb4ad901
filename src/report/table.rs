//! The terminal table: one line per metric, for people reading a run or a comparison.

use std::fmt::Write;

use super::printable;
use crate::experiment::Comparison;
use crate::stats::Summary;

/// Readable number: a few significant digits, "n/a" for a value that does not exist;
/// a value that rounds to zero shows as 0 ("0.0000", never "-0.0000").
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    let text = if a >= 1e6 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.4}")
    };
    unsigned_zero(text)
}

/// "-0.0000" as "0.0000": a minus sign only where the number shown is not zero.
fn unsigned_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// Dollars for the terminal: $11.78M, $367.2k, $402; ASCII minus, so it pastes.
pub fn human_money(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    let text = if a >= 0.9995e9 {
        format!("${:.2}B", a / 1e9)
    } else if a >= 0.99995e6 {
        format!("${:.2}M", a / 1e6)
    } else if a >= 999.95 {
        format!("${:.1}k", a / 1e3)
    } else {
        format!("${a:.0}")
    };
    let zero = text
        .trim_start_matches('$')
        .chars()
        .all(|c| "0.kMB".contains(c));
    if v < 0.0 && !zero {
        format!("-{text}")
    } else {
        text
    }
}

/// A value as money or a plain number; `signed` puts "+" before a positive one.
pub fn human_value(v: f64, money: bool, signed: bool) -> String {
    let text = if money { human_money(v) } else { human(v) };
    let zero = !text.chars().any(|c| c.is_ascii_digit() && c != '0');
    if signed && v > 0.0 && !zero && v.is_finite() {
        format!("+{text}")
    } else {
        text
    }
}

/// Whether the metric named `name` is in dollars.
fn money_metric(name: &str) -> bool {
    crate::model::metrics::Metric::parse(name)
        .is_some_and(|m| m.def.kind == crate::model::metrics::Kind::Money)
}

fn interval(s: &Summary, money: bool) -> String {
    if s.ci95_low.is_finite() {
        let v = |x| human_value(x, money, false);
        format!("[{}, {}]", v(s.ci95_low), v(s.ci95_high))
    } else {
        "n/a".into()
    }
}

pub fn render_table(c: &Comparison) -> Vec<u8> {
    let mut out = String::new();
    if c.scenarios.len() == 1 {
        let s = &c.scenarios[0];
        let _ = writeln!(
            out,
            "{} ({}): {} trials, seed {}",
            printable(&s.name),
            printable(&s.file),
            s.trials,
            c.seed
        );
    } else {
        let _ = writeln!(
            out,
            "{} trials of each scenario, seed {}, common random numbers",
            c.scenarios[0].trials, c.seed
        );
    }
    for s in &c.scenarios {
        if let Some(line) = starting_pipeline_line(s) {
            let _ = writeln!(out, "{}: {}", printable(&s.file), printable(&line));
        }
    }
    for s in &c.scenarios {
        for w in &s.warnings {
            let _ = writeln!(out, "warning: {}: {}", printable(&s.file), printable(w));
        }
    }
    let width = c.scenarios[0]
        .metrics
        .iter()
        .map(|(_, n, _)| n.len())
        .max()
        .unwrap_or(10)
        .max(6);
    if c.scenarios.len() == 1 {
        let s = &c.scenarios[0];
        let _ = writeln!(
            out,
            "\n{:width$}  {:>12}  {:>26}  {:>12}  {:>12}  {:>12}  {:>6}",
            "metric", "mean", "95% CI of mean", "p5", "p50", "p95", "n"
        );
        for (_, name, m) in s.metrics.iter() {
            let money = money_metric(name);
            let v = |x| human_value(x, money, false);
            let _ = writeln!(
                out,
                "{name:width$}  {:>12}  {:>26}  {:>12}  {:>12}  {:>12}  {:>6}",
                v(m.mean),
                interval(m, money),
                v(m.p5),
                v(m.p50),
                v(m.p95),
                m.n
            );
        }
        out.push_str(&notes(c));
        return out.into_bytes();
    }
    // Scenarios are labelled A, B, C... so long or equal names stay readable.
    let label = |i: usize| char::from(b'A' + (i % 26) as u8);
    out.push('\n');
    for (i, s) in c.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}: {} ({})",
            label(i),
            printable(&s.name),
            printable(&s.file)
        );
    }
    let names = metric_union(c);
    let width = names.iter().map(String::len).max().unwrap_or(10).max(13);
    let _ = write!(out, "\n{:width$}", "metric (mean)");
    for i in 0..c.scenarios.len() {
        let _ = write!(out, "  {:>12}", label(i));
    }
    for i in 1..c.scenarios.len() {
        let _ = write!(out, "  {:>40}", format!("{} - A [95% CI]", label(i)));
    }
    out.push('\n');
    for name in &names {
        let money = money_metric(name);
        let _ = write!(out, "{name:width$}");
        for s in &c.scenarios {
            let _ = write!(
                out,
                "  {:>12}",
                s.metrics
                    .named(name)
                    .map_or("n/a".into(), |m| human_value(m.mean, money, false))
            );
        }
        for d in &c.differences {
            let cell = d.metrics.named(name).map_or("n/a".to_string(), |m| {
                if m.n == 0 {
                    return "n/a".to_string();
                }
                let mark = if m.excludes_zero() { " *" } else { "" };
                format!(
                    "{} {}{mark}",
                    human_value(m.mean, money, false),
                    interval(m, money)
                )
            });
            let _ = write!(out, "  {cell:>40}");
        }
        out.push('\n');
    }
    out.push_str("\n* the paired 95% confidence interval excludes zero\n");
    out.push_str(&notes(c));
    out.into_bytes()
}

/// What the columns mean where a reader could take them wrongly: which metrics rest
/// on some but not all of the trials (compare only: a single run shows `n`; with none
/// the cells already say n/a), and that a
/// metric ending `.p50`/`.p90`/`.p95` is each trial's own quantile, averaged.
fn notes(c: &Comparison) -> String {
    let mut out = String::new();
    if c.scenarios.len() > 1 {
        for (i, s) in c.scenarios.iter().enumerate() {
            for (_, name, m) in s.metrics.iter() {
                if m.n > 0 && m.n < s.trials {
                    let label = char::from(b'A' + (i % 26) as u8);
                    let _ = writeln!(
                        out,
                        "{label}: {name} rests on {} of {} trials (the others had no observation)",
                        m.n, s.trials
                    );
                }
            }
        }
    }
    let quantiles = c
        .scenarios
        .iter()
        .flat_map(|s| s.metrics.iter())
        .any(|(m, _, _)| m.def.within_trial_quantile().is_some());
    if quantiles {
        out.push_str(
            "p5, p50 and p95 are across trials; a metric ending .p50, .p90 or .p95 is each \
             trial's own quantile,\naveraged over trials (at high load over a short horizon \
             it is below the long-run quantile)\n",
        );
    }
    out
}

/// Every metric of any scenario, in the order they first appear.
fn metric_union(c: &Comparison) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in &c.scenarios {
        for (_, name, _) in s.metrics.iter() {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The line saying a scenario's trials start from an `initial_pipeline` file.
fn starting_pipeline_line(s: &crate::experiment::ScenarioReport) -> Option<String> {
    let scenario = &s.loaded.as_ref()?.scenario;
    let file = scenario.initial_pipeline_file.as_ref()?;
    Some(format!(
        "starts from the open pipeline in {file}: {} open opportunities at time 0, credited with their time in stage",
        scenario.initial_pipeline.len()
    ))
}
