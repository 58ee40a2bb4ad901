//! Stacked horizontal bars with a legend: the time allocation of each role and the
//! staffing cost split. Group headings, segment labels where they fit, a note per bar.

use std::fmt::Write;

use super::svg::{CHAR, GRID, INK, MUTED};
use super::svg::{Scale, empty_chart, esc, f, legend, open, text, truncate};

/// Whether a `#rrggbb` colour is light enough to need dark text on it.
fn is_light(color: &str) -> bool {
    let hex = color.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0)
    };
    hex.len() == 6 && 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4) > 0.65
}

/// One bar of a stacked bar chart, or a group heading when `values` is empty.
pub struct BarRow {
    pub label: String,
    pub values: Vec<f64>,
    /// Text right of the bar (a total, a utilization).
    pub note: String,
    /// Shows the note in red.
    pub alert: bool,
}

/// Stacked horizontal bars with a legend of `parts` (name, colour). Bars are scaled
/// to `max` (1 for shares) or to the largest total. `seg_label` may label a segment.
pub fn stacked_bars(
    title: &str,
    rows: &[BarRow],
    parts: &[(&str, &str)],
    width: f64,
    max: Option<f64>,
    seg_label: &dyn Fn(f64) -> String,
) -> String {
    let (label_w, note_w, bar_h, row_h, head_h) = (200.0, 104.0, 18.0, 26.0, 26.0);
    let mut body = String::new();
    let legend_h = legend(&mut body, parts, label_w, 14.0, width - label_w);
    let total = |r: &BarRow| r.values.iter().filter(|v| v.is_finite()).sum::<f64>();
    let scale_max = max
        .or_else(|| rows.iter().map(total).reduce(f64::max))
        .filter(|m| m.is_finite() && *m > 0.0);
    let x = Scale {
        d0: 0.0,
        d1: scale_max.unwrap_or(1.0),
        r0: label_w,
        r1: width - note_w,
    };
    let mut y = 8.0 + legend_h;
    for row in rows {
        if row.values.is_empty() {
            let _ = write!(
                body,
                r#"<text x="0" y="{}" font-weight="600" fill="{INK}">{}</text>"#,
                f(y + 17.0),
                esc(&row.label)
            );
            y += head_h;
            continue;
        }
        let cy = y + row_h / 2.0;
        text(
            &mut body,
            8.0,
            cy + 4.0,
            "start",
            INK,
            &truncate(&row.label, 30),
        );
        let mut at = 0.0;
        let finite = row.values.iter().any(|v| v.is_finite());
        for (i, &v) in row.values.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                continue;
            }
            let (a, b) = (x.at(at), x.at(at + v));
            let color = parts.get(i).map_or(GRID, |p| p.1);
            let name = parts.get(i).map_or("", |p| p.0);
            let _ = write!(
                body,
                r#"<rect x="{}" y="{}" width="{}" height="{bar_h}" fill="{}"><title>{}: {}</title></rect>"#,
                f(a),
                f(cy - bar_h / 2.0),
                f(b - a),
                esc(color),
                esc(name),
                esc(&seg_label(v))
            );
            let label = seg_label(v);
            if !label.is_empty() && b - a >= label.chars().count() as f64 * CHAR + 6.0 {
                let fill = if is_light(color) { INK } else { "#fff" };
                text(&mut body, (a + b) / 2.0, cy + 4.0, "middle", fill, &label);
            }
            at += v;
        }
        let note_x = if finite { x.at(at) + 6.0 } else { x.r0 };
        let note = if finite { row.note.as_str() } else { "n/a" };
        let color = if row.alert { "#dc2626" } else { MUTED };
        text(&mut body, note_x, cy + 4.0, "start", color, note);
        y += row_h;
    }
    let height = y + 6.0;
    if rows.iter().all(|r| r.values.is_empty()) {
        return empty_chart(title, width, 60.0, "no data");
    }
    let mut out = open(title, width, height);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::svg::tests::{assert_well_formed, fmt};

    #[test]
    fn stacked_bars_survive_edge_cases() {
        let parts = [("a", "#111"), ("b & c", "#222")];
        for values in [vec![], vec![f64::NAN, f64::NAN], vec![0.5], vec![0.0, 0.0]] {
            let rows = [
                BarRow {
                    label: "group".into(),
                    values: vec![],
                    note: String::new(),
                    alert: false,
                },
                BarRow {
                    label: "row".into(),
                    values,
                    note: "92%".into(),
                    alert: true,
                },
            ];
            assert_well_formed(&stacked_bars("t", &rows, &parts, 600.0, None, &fmt));
            assert_well_formed(&stacked_bars("t", &rows, &parts, 600.0, Some(1.0), &fmt));
        }
        assert_well_formed(&stacked_bars("t", &[], &parts, 600.0, None, &fmt));
    }

    #[test]
    fn light_colours_get_dark_text() {
        assert!(is_light("#e5e7eb") && !is_light("#2563eb"));
        assert!(!is_light("bad"));
    }
}
