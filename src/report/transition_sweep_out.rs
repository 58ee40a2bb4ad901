//! A transition sweep as one CSV row per grid point (the varied values, then the
//! transition's payback week with its band, the dip, and the cumulative difference of
//! contribution at the horizon with its band) and as a table for reading. Every figure
//! is the transition's own (`transition_out`'s words and horizon, `curve`'s payback and
//! dip).

use super::number;
use super::safe::{csv_cell, printable};
use super::transition_out::{horizon_summary, money, payback_words};
use crate::experiment::transition::sweep::{TransitionSweepPoint, TransitionSweepReport};

/// The summary columns after the varied values, in order.
pub const COLUMNS: [&str; 13] = [
    "payback_week",
    "payback_week_band_upper_edge",
    "payback_week_band_lower_edge",
    "payback",
    "dip_depth",
    "dip_week",
    "dip_ci95_low",
    "dip_ci95_high",
    "cumulative_contribution_difference_mean",
    "cumulative_contribution_difference_ci95_low",
    "cumulative_contribution_difference_ci95_high",
    "lost_to_transition_mean",
    "wind_down_weeks",
];

fn week(w: Option<usize>) -> String {
    w.map_or(String::new(), |w| w.to_string())
}

/// A point's summary cells, in [`COLUMNS`] order (numbers as the transition CSV writes
/// them: shortest round-trip, empty where there is none).
fn summary_cells(p: &TransitionSweepPoint) -> Vec<String> {
    let r = &p.result;
    let (pb, dip) = (&r.payback, &r.dip);
    let horizon = horizon_summary(r);
    let at = |f: fn(&crate::stats::Summary) -> f64| horizon.map_or(String::new(), |h| number(f(h)));
    vec![
        week(pb.week),
        week(pb.earliest),
        week(pb.latest),
        payback_words(r),
        number(dip.depth),
        dip.week.to_string(),
        number(dip.low),
        number(dip.high),
        at(|h| h.mean),
        at(|h| h.ci95_low),
        at(|h| h.ci95_high),
        number(r.lost_to_transition.mean),
        number(p.wind_down_weeks),
    ]
}

/// `point,<each varied path>,` then [`COLUMNS`]: one row per grid point.
pub fn render_transition_sweep_csv(r: &TransitionSweepReport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(r.varies.iter().map(|v| csv_cell(&v.path).into_owned()));
    header.extend(COLUMNS.map(String::from));
    w.write_record(&header).expect("in-memory write");
    for p in &r.points {
        let mut row = vec![p.index.to_string()];
        row.extend(p.values.iter().map(|v| csv_cell(v).into_owned()));
        row.extend(summary_cells(p).iter().map(|c| csv_cell(c).into_owned()));
        w.write_record(&row).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

/// "41 [38, 45]": the mean curve's payback week and the band's; "none" when the mean
/// curve does not stay above zero by the horizon, "not sure" for a band edge that never
/// does.
fn payback_cell(p: &TransitionSweepPoint) -> String {
    let pb = &p.result.payback;
    let Some(w) = pb.week else {
        return "none".into();
    };
    let edge = |e: Option<usize>| e.map_or("not sure".to_string(), |e| e.to_string());
    format!("{w} [{}, {}]", edge(pb.earliest), edge(pb.latest))
}

fn dip_cell(p: &TransitionSweepPoint) -> String {
    let d = &p.result.dip;
    if d.depth >= 0.0 {
        return "none".into();
    }
    format!("{} (week {})", money(d.depth), d.week)
}

fn horizon_cell(p: &TransitionSweepPoint) -> String {
    horizon_summary(&p.result).map_or("n/a".into(), |h| {
        format!(
            "{} [{}, {}]",
            money(h.mean),
            money(h.ci95_low),
            money(h.ci95_high)
        )
    })
}

/// The points as an aligned table, with the transition's warnings and what the cells
/// mean.
pub fn render_transition_sweep_table(r: &TransitionSweepReport) -> Vec<u8> {
    let mut out = format!(
        "Transition sweep from {} to {}: {} points, {} trials each, seed {}, {} weeks (simulation weeks from the empty start); every point runs the same trials (common random numbers)\nContribution is {}.\n",
        printable(&r.before),
        printable(&r.after),
        r.points.len(),
        r.trials,
        r.seed,
        r.weeks,
        r.contribution_basis
    );
    for w in &r.manifest.warnings {
        out.push_str(&format!("warning: {}\n", printable(w)));
    }
    out.push('\n');
    let mut header = vec!["point".to_string()];
    header.extend(r.varies.iter().map(|v| printable(&v.path).into_owned()));
    header.extend(
        [
            "switch",
            "payback week [band]",
            "dip (week)",
            "cumulative difference at the horizon [95%]",
        ]
        .map(String::from),
    );
    let rows: Vec<Vec<String>> = r
        .points
        .iter()
        .map(|p| {
            let mut row = vec![p.index.to_string()];
            row.extend(p.values.iter().map(|v| printable(v).into_owned()));
            row.push(switch_cell(r, p));
            row.push(payback_cell(p));
            row.push(dip_cell(p));
            row.push(horizon_cell(p));
            row
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|row| row[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(
        "\nPayback week: the first week from which the mean cumulative difference of contribution (transition less staying) stays above zero to the horizon; in brackets the same read off the upper and lower edges of its 95% band. \"none\": it does not pay back within the horizon; \"not sure\": that band edge never stays above zero. Dip: the lowest mean cumulative difference and its week.\n",
    );
    out.into_bytes()
}

/// "all 20" or "north 20, central 33, south 46".
fn switch_cell(r: &TransitionSweepReport, p: &TransitionSweepPoint) -> String {
    let weeks = &p.result.plan.weeks;
    if r.offices.is_empty() || weeks.iter().all(|w| Some(w) == weeks.first()) {
        return format!("all {}", weeks.first().copied().unwrap_or(0));
    }
    r.offices
        .iter()
        .zip(weeks)
        .map(|(o, w)| format!("{o} {w}"))
        .collect::<Vec<_>>()
        .join(", ")
}
