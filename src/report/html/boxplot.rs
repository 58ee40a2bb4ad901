//! Box plots of per-trial values, one row per design: whiskers from p5 to p95, a box
//! from p25 to p75, the median as a bar, a dot per trial, and an optional target line.

use std::fmt::Write;

use super::svg::{GRID, INK, MUTED};
use super::svg::{Scale, empty_chart, esc, f, nice_ticks, open, range, text, tick_label, truncate};
use crate::stats::quantile_sorted;

/// One labelled sample of per-trial values, drawn as a box plot row.
pub struct BoxRow {
    pub label: String,
    pub color: String,
    pub values: Vec<f64>,
}

/// Horizontal box plots, one row per sample: whiskers from p5 to p95, a box from p25
/// to p75, the median as a bar, and a dot per trial (at most 200, evenly spread).
pub fn box_plot(
    title: &str,
    rows: &[BoxRow],
    width: f64,
    fmt: &dyn Fn(f64) -> String,
    target: Option<f64>,
) -> String {
    let (row_h, top, bottom, label_w) = (30.0, 6.0, 22.0, 84.0);
    let height = top + rows.len().max(1) as f64 * row_h + bottom;
    let all = rows.iter().flat_map(|r| r.values.iter().copied());
    let Some((lo, hi)) = range(all.chain(target), false) else {
        return empty_chart(title, width, height, "no data");
    };
    let x = Scale {
        d0: lo,
        d1: hi,
        r0: label_w + 8.0,
        r1: width - 20.0,
    };
    let mut out = open(title, width, height);
    let axis_y = top + rows.len() as f64 * row_h;
    for t in nice_ticks(lo, hi, 4) {
        let px = x.at(t);
        let _ = write!(
            out,
            r#"<line x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{GRID}"/>"#,
            f(top),
            f(axis_y),
            p = f(px)
        );
        tick_label(&mut out, px, axis_y + 14.0, width, &fmt(t));
    }
    for (i, row) in rows.iter().enumerate() {
        let cy = top + i as f64 * row_h + row_h / 2.0;
        text(
            &mut out,
            0.0,
            cy + 4.0,
            "start",
            INK,
            &truncate(&row.label, 16),
        );
        let mut v: Vec<f64> = row
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if v.is_empty() {
            text(&mut out, x.r0, cy + 4.0, "start", MUTED, "n/a");
            continue;
        }
        v.sort_by(f64::total_cmp);
        let q = |p: f64| x.at(quantile_sorted(&v, p));
        let color = esc(&row.color);
        let step = (v.len() as f64 / 200.0).max(1.0);
        let mut k = 0.0;
        let mut i = 0usize;
        while (k as usize) < v.len() {
            let jitter = ((i * 7919) % 17) as f64 / 16.0 - 0.5;
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="1.6" fill="{color}" fill-opacity="0.3"/>"#,
                f(x.at(v[k as usize])),
                f(cy + jitter * 14.0)
            );
            k += step;
            i += 1;
        }
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{c}" x2="{}" y2="{c}" stroke="{color}" stroke-width="1.5"/><rect x="{}" y="{}" width="{}" height="14" fill="{color}" fill-opacity="0.18" stroke="{color}"/><line x1="{m}" y1="{}" x2="{m}" y2="{}" stroke="{color}" stroke-width="3"/>"#,
            f(q(0.05)),
            f(q(0.95)),
            f(q(0.25)),
            f(cy - 7.0),
            f((q(0.75) - q(0.25)).max(1.0)),
            f(cy - 9.0),
            f(cy + 9.0),
            c = f(cy),
            m = f(q(0.5)),
        );
    }
    if let Some(t) = target.filter(|t| t.is_finite()) {
        let px = f(x.at(t));
        let _ = write!(
            out,
            r##"<line x1="{px}" y1="{}" x2="{px}" y2="{}" stroke="#dc2626" stroke-dasharray="4 3"/>"##,
            f(top - 4.0),
            f(axis_y)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::svg::tests::{assert_well_formed, fmt};

    fn rows(values: Vec<f64>) -> Vec<BoxRow> {
        vec![BoxRow {
            label: "A <&> \"b\"".into(),
            color: "#123456".into(),
            values,
        }]
    }

    #[test]
    fn box_plots_survive_edge_cases() {
        for values in [
            vec![],
            vec![f64::NAN, f64::NAN],
            vec![3.0],
            vec![0.0, 0.0],
            (0..500).map(f64::from).collect(),
        ] {
            let svg = box_plot("t & t", &rows(values), 400.0, &fmt, Some(2.0));
            assert_well_formed(&svg);
        }
        assert_well_formed(&box_plot("empty", &[], 400.0, &fmt, None));
        let svg = box_plot("x", &rows(vec![f64::NAN]), 400.0, &fmt, None);
        assert!(svg.contains("no data"));
    }
}
