//! A pipeline forecast as a table, tidy CSV and JSON: P10/P50/P90 of deals won and
//! bookings per week and in total beside the weighted-pipeline forecast, the deals at
//! risk, and the per-owner funnel table.

use super::safe::{csv_cell, printable};
use crate::experiment::forecast::{Band, Forecast};

fn band_cells(b: &Band, money: bool) -> String {
    if money {
        format!("{:>12.0} {:>12.0} {:>12.0}", b.p10, b.p50, b.p90)
    } else {
        format!("{:>9} {:>6} {:>6}", b.p10, b.p50, b.p90)
    }
}

pub fn render_forecast_table(f: &Forecast, pipeline: &str, scenario: &str) -> Vec<u8> {
    let mut out = format!(
        "Forecast of {} from {}: {} open opportunities, {} weeks, {} trials\n\n",
        printable(scenario),
        printable(pipeline),
        f.open,
        f.weeks,
        f.trials
    );
    out.push_str(&format!(
        "{:<6} {:>9} {:>6} {:>6} {:>12} {:>12} {:>12}\n",
        "week", "deals P10", "P50", "P90", "bookings P10", "P50", "P90"
    ));
    for w in &f.per_week {
        out.push_str(&format!(
            "{:<6} {} {}\n",
            w.week,
            band_cells(&w.deals, false),
            band_cells(&w.bookings, true)
        ));
    }
    out.push_str(&format!(
        "{:<6} {} {}\n\n",
        "total",
        band_cells(&f.total_deals, false),
        band_cells(&f.total_bookings, true)
    ));
    out.push_str(&format!(
        "Simulated mean: {:.2} deals, {:.0} bookings.\nWeighted pipeline (amount x stage win probability): {:.2} deals, {:.0} bookings.\n\n",
        f.total_deals.mean, f.total_bookings.mean, f.weighted_deals, f.weighted_bookings
    ));
    out.push_str("Stage win probabilities:");
    for (s, p) in f.stages.iter().zip(&f.stage_win) {
        out.push_str(&format!(" {}={p:.4}", printable(s)));
    }
    out.push_str("\n\n");
    if f.at_risk.is_empty() {
        out.push_str("Deals at risk: none.\n\n");
    } else {
        out.push_str(&format!(
            "Deals at risk ({}): in their stage longer than the p90 of its time\n{:<20} {:<20} {:<16} {:>14} {:>10}\n",
            f.at_risk.len(),
            "opportunity",
            "stage",
            "owner",
            "days in stage",
            "p90 days"
        ));
        for r in &f.at_risk {
            out.push_str(&format!(
                "{:<20} {:<20} {:<16} {:>14.1} {:>10.1}\n",
                printable(&r.id),
                printable(&r.stage),
                printable(&r.owner),
                r.days_in_stage,
                r.p90_days
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("Per-owner funnel\n{:<16}", "owner"));
    for s in &f.stages {
        out.push_str(&format!(" {:>12}", printable(s)));
    }
    out.push_str(&format!(" {:>12} {:>12}\n", "amount", "weighted"));
    for o in &f.owners {
        out.push_str(&format!("{:<16}", printable(&o.owner)));
        for c in &o.per_stage {
            out.push_str(&format!(" {c:>12}"));
        }
        out.push_str(&format!(" {:>12.0} {:>12.0}\n", o.amount, o.weighted));
    }
    out.push_str("\nNotes:\n");
    for n in &f.notes {
        out.push_str(&format!("  {n}\n"));
    }
    out.into_bytes()
}

/// Tidy rows: section,key,statistic,value.
pub fn render_forecast_csv(f: &Forecast) -> Vec<u8> {
    let mut out = String::from("section,key,statistic,value\n");
    let mut row = |section: &str, key: &str, stat: &str, v: f64| {
        out.push_str(&format!("{section},{},{stat},{v}\n", csv_cell(key)));
    };
    let bands = |b: &Band| {
        [
            ("p10", b.p10),
            ("p50", b.p50),
            ("p90", b.p90),
            ("mean", b.mean),
        ]
    };
    for w in &f.per_week {
        for (stat, v) in bands(&w.deals) {
            row("deals", &w.week.to_string(), stat, v);
        }
        for (stat, v) in bands(&w.bookings) {
            row("bookings", &w.week.to_string(), stat, v);
        }
    }
    for (stat, v) in bands(&f.total_deals) {
        row("deals", "total", stat, v);
    }
    for (stat, v) in bands(&f.total_bookings) {
        row("bookings", "total", stat, v);
    }
    row("weighted", "total", "deals", f.weighted_deals);
    row("weighted", "total", "bookings", f.weighted_bookings);
    for (s, p) in f.stages.iter().zip(&f.stage_win) {
        row("stage_win_probability", s, "value", *p);
    }
    for r in &f.at_risk {
        row("at_risk", &r.id, "days_in_stage", r.days_in_stage);
        row("at_risk", &r.id, "p90_days", r.p90_days);
    }
    for o in &f.owners {
        for (s, c) in f.stages.iter().zip(&o.per_stage) {
            row("owner_funnel", &o.owner, s, *c as f64);
        }
        row("owner_funnel", &o.owner, "amount", o.amount);
        row("owner_funnel", &o.owner, "weighted", o.weighted);
    }
    out.into_bytes()
}

fn band_json(b: &Band) -> serde_json::Value {
    serde_json::json!({"p10": b.p10, "p50": b.p50, "p90": b.p90, "mean": b.mean})
}

pub fn render_forecast_json(f: &Forecast, pipeline: &str, scenario: &str) -> Vec<u8> {
    let weeks: Vec<serde_json::Value> = f
        .per_week
        .iter()
        .map(|w| serde_json::json!({"week": w.week, "deals": band_json(&w.deals), "bookings": band_json(&w.bookings)}))
        .collect();
    let at_risk: Vec<serde_json::Value> = f
        .at_risk
        .iter()
        .map(|r| serde_json::json!({"opportunity_id": r.id, "stage": r.stage, "owner": r.owner, "days_in_stage": r.days_in_stage, "p90_days": r.p90_days}))
        .collect();
    let owners: Vec<serde_json::Value> = f
        .owners
        .iter()
        .map(|o| serde_json::json!({"owner": o.owner, "per_stage": o.per_stage, "amount": o.amount, "weighted": o.weighted}))
        .collect();
    let doc = serde_json::json!({
        "scenario": scenario, "pipeline": pipeline, "weeks": f.weeks, "trials": f.trials,
        "open_opportunities": f.open, "new_leads": false, "stages": f.stages,
        "stage_win_probability": f.stage_win, "per_week": weeks,
        "total": {"deals": band_json(&f.total_deals), "bookings": band_json(&f.total_bookings)},
        "weighted": {"deals": f.weighted_deals, "bookings": f.weighted_bookings},
        "at_risk": at_risk, "owners": owners, "notes": f.notes,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("in-memory JSON");
    bytes.push(b'\n');
    bytes
}
