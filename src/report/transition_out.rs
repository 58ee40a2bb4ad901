//! A transition as a table, tidy CSV and JSON: per plan the payback week with its
//! interval, the dip, the cumulative difference of contribution with its band and the
//! weekly series against staying; plus the sentences the HTML report reuses.

use super::safe::{csv_cell, printable};
use crate::experiment::Manifest;
use crate::experiment::transition::{METRICS, PlanResult, TransitionResult};
use crate::stats::Summary;

/// Money in whole units with thousands separators and a sign.
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let whole = v.abs().round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && whole > 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// "north 20, central 33, south 46" (or "every office 20").
pub fn switch_words(r: &TransitionResult, p: &PlanResult) -> String {
    let weeks = &p.plan.weeks;
    if r.offices.is_empty() || weeks.iter().all(|w| *w == weeks[0]) {
        return format!("week {}", weeks.first().copied().unwrap_or(0));
    }
    r.offices
        .iter()
        .zip(weeks)
        .map(|(o, w)| format!("{o} week {w}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The payback in words: "pays back in week 41 (95% between weeks 38 and 45)".
pub fn payback_words(p: &PlanResult) -> String {
    let pb = &p.payback;
    let Some(week) = pb.week else {
        return "does not pay back within the horizon".into();
    };
    let range = match (pb.earliest, pb.latest) {
        (Some(a), Some(b)) if a != b => format!(" (95% band: from week {a} to week {b})"),
        (Some(_), Some(_)) => String::new(),
        (Some(a), None) => format!(
            " (95% band: from week {a}; the band's lower edge never stays above zero, so payback within the horizon is not sure)"
        ),
        _ => String::new(),
    };
    format!("pays back in week {week}{range}")
}

/// The dip in words.
pub fn dip_words(p: &PlanResult) -> String {
    let d = &p.dip;
    if d.depth >= 0.0 {
        return "no dip: the cumulative difference never goes below zero".into();
    }
    format!(
        "the dip is {} at week {} (95% {} to {})",
        money(d.depth),
        d.week,
        money(d.low),
        money(d.high)
    )
}

/// The cumulative difference at the horizon.
pub fn horizon_summary(p: &PlanResult) -> Option<&Summary> {
    p.cumulative.last()
}

fn cell(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}")
    } else {
        "n/a".into()
    }
}

pub fn render_transition_table(r: &TransitionResult) -> Vec<u8> {
    let mut out = format!(
        "Transition from {} to {}: {} trials, seed {}, {} weeks (simulation weeks from the empty start)\nContribution is {}. Wind-down: {} weeks after an office's switch.\n",
        printable(&r.before),
        printable(&r.after),
        r.trials,
        r.seed,
        r.weeks,
        r.contribution_basis,
        r.wind_down_weeks
    );
    for w in &r.warnings {
        out.push_str(&format!("warning: {}\n", printable(w)));
    }
    out.push('\n');
    for p in &r.plans {
        out.push_str(&format!(
            "Plan {} ({}): switch {}\n",
            printable(&p.plan.name),
            printable(&p.plan.spec),
            printable(&switch_words(r, p))
        ));
        out.push_str(&format!("  Payback: {}\n", payback_words(p)));
        out.push_str(&format!("  Dip: {}\n", dip_words(p)));
        if let Some(h) = horizon_summary(p) {
            out.push_str(&format!(
                "  Cumulative contribution difference at the horizon: {} (95% {} to {})\n",
                money(h.mean),
                money(h.ci95_low),
                money(h.ci95_high)
            ));
        }
        out.push_str(&format!(
            "  Lost to the transition (leads and service requests open when a wind-down ran out): {} per trial\n",
            cell(p.lost_to_transition.mean)
        ));
        out.push_str("  Over the horizon, transition less staying (mean):");
        for s in &p.series {
            if s.metric == "open_pipeline" {
                continue;
            }
            let total: f64 = s.difference.iter().map(|d| d.mean).sum();
            out.push_str(&format!(" {} {}", s.metric, cell(total)));
        }
        out.push_str("\n\n");
    }
    for p in &r.plans {
        out.push_str(&format!(
            "Weekly series of plan {}: transition less staying (mean [95% interval]); cumulative contribution difference\n",
            printable(&p.plan.name)
        ));
        out.push_str(&format!("{:<5}", "week"));
        for m in METRICS {
            out.push_str(&format!(" {m:>28}"));
        }
        out.push_str(&format!(" {:>34}\n", "cumulative contribution"));
        for week in 0..r.weeks {
            out.push_str(&format!("{week:<5}"));
            for s in &p.series {
                let d = &s.difference[week];
                out.push_str(&format!(
                    " {:>28}",
                    format!(
                        "{} [{}, {}]",
                        cell(d.mean),
                        cell(d.ci95_low),
                        cell(d.ci95_high)
                    )
                ));
            }
            let c = &p.cumulative[week];
            out.push_str(&format!(
                " {:>34}\n",
                format!(
                    "{} [{}, {}]",
                    money(c.mean),
                    money(c.ci95_low),
                    money(c.ci95_high)
                )
            ));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Tidy rows: plan,week,metric,statistic,value (week empty for a plan's summary).
pub fn render_transition_csv(r: &TransitionResult) -> Vec<u8> {
    let mut out = String::from("plan,week,metric,statistic,value\n");
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v}")
        } else {
            String::new()
        }
    };
    for p in &r.plans {
        let plan = csv_cell(&p.plan.name);
        let mut row = |week: &str, metric: &str, statistic: &str, value: String| {
            out.push_str(&format!("{plan},{week},{metric},{statistic},{value}\n"));
        };
        let opt = |w: Option<usize>| w.map_or(String::new(), |w| w.to_string());
        row("", "payback_week", "mean_curve", opt(p.payback.week));
        row(
            "",
            "payback_week",
            "band_upper_edge",
            opt(p.payback.earliest),
        );
        row("", "payback_week", "band_lower_edge", opt(p.payback.latest));
        row("", "dip", "depth", num(p.dip.depth));
        row("", "dip", "week", p.dip.week.to_string());
        row("", "dip", "ci95_low", num(p.dip.low));
        row("", "dip", "ci95_high", num(p.dip.high));
        row(
            "",
            "lost_to_transition",
            "mean",
            num(p.lost_to_transition.mean),
        );
        for (i, w) in p.plan.weeks.iter().enumerate() {
            let office = r
                .offices
                .get(i)
                .map_or("all".to_string(), |o| csv_cell(o).into_owned());
            row("", "switch_week", &office, w.to_string());
        }
        for week in 0..r.weeks {
            let wk = week.to_string();
            for s in &p.series {
                let d = &s.difference[week];
                row(&wk, s.metric, "transition_mean", num(s.transition[week]));
                row(&wk, s.metric, "staying_mean", num(s.staying[week]));
                row(&wk, s.metric, "difference_mean", num(d.mean));
                row(&wk, s.metric, "difference_ci95_low", num(d.ci95_low));
                row(&wk, s.metric, "difference_ci95_high", num(d.ci95_high));
            }
            let c = &p.cumulative[week];
            let m = "cumulative_contribution_difference";
            row(&wk, m, "mean", num(c.mean));
            row(&wk, m, "ci95_low", num(c.ci95_low));
            row(&wk, m, "ci95_high", num(c.ci95_high));
        }
    }
    out.into_bytes()
}

fn json_num(v: f64) -> serde_json::Value {
    if v.is_finite() {
        serde_json::json!(v)
    } else {
        serde_json::Value::Null
    }
}

pub fn render_transition_json(r: &TransitionResult, manifest: &Manifest) -> Vec<u8> {
    let plans: Vec<serde_json::Value> = r
        .plans
        .iter()
        .map(|p| {
            let series: serde_json::Map<String, serde_json::Value> = p
                .series
                .iter()
                .map(|s| {
                    let v = serde_json::json!({
                        "transition_mean": s.transition.iter().map(|v| json_num(*v)).collect::<Vec<_>>(),
                        "staying_mean": s.staying.iter().map(|v| json_num(*v)).collect::<Vec<_>>(),
                        "difference_mean": s.difference.iter().map(|d| json_num(d.mean)).collect::<Vec<_>>(),
                        "difference_ci95_low": s.difference.iter().map(|d| json_num(d.ci95_low)).collect::<Vec<_>>(),
                        "difference_ci95_high": s.difference.iter().map(|d| json_num(d.ci95_high)).collect::<Vec<_>>(),
                    });
                    (s.metric.to_string(), v)
                })
                .collect();
            serde_json::json!({
                "name": p.plan.name,
                "spec": p.plan.spec,
                "switch_weeks": p.plan.weeks,
                "payback": {"week": p.payback.week, "band_upper_edge": p.payback.earliest, "band_lower_edge": p.payback.latest, "words": payback_words(p)},
                "dip": {"depth": json_num(p.dip.depth), "week": p.dip.week, "ci95_low": json_num(p.dip.low), "ci95_high": json_num(p.dip.high)},
                "lost_to_transition_mean": json_num(p.lost_to_transition.mean),
                "cumulative_contribution_difference": {
                    "mean": p.cumulative.iter().map(|c| json_num(c.mean)).collect::<Vec<_>>(),
                    "ci95_low": p.cumulative.iter().map(|c| json_num(c.ci95_low)).collect::<Vec<_>>(),
                    "ci95_high": p.cumulative.iter().map(|c| json_num(c.ci95_high)).collect::<Vec<_>>(),
                },
                "series": series,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "before": r.before, "after": r.after, "trials": r.trials, "seed": r.seed,
        "weeks": r.weeks, "offices": r.offices, "wind_down_weeks": r.wind_down_weeks,
        "contribution": r.contribution_basis, "same_design": r.same_design,
        "warnings": r.warnings, "plans": plans,
        "manifest": serde_json::from_slice::<serde_json::Value>(&manifest.to_json()).unwrap_or_default(),
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("in-memory JSON");
    bytes.push(b'\n');
    bytes
}
