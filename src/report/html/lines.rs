//! Line charts: one or more series of (x, y) points with a legend, an optional shaded
//! band (the warm-up), a dashed target line, point markers and horizontal whiskers,
//! a y-axis title, dash patterns and labels at the line ends so overlapping lines
//! stay apart.

use std::fmt::Write;

use super::svg::{CHAR, GRID, MUTED};
use super::svg::{
    Scale, empty_chart, esc, f, legend, nice_ticks, open, range, text, tick_label, truncate,
};

/// A line of (x, y) points; a NaN point breaks the line.
pub struct Series {
    pub label: String,
    pub color: String,
    pub points: Vec<(f64, f64)>,
    /// An SVG `stroke-dasharray` ("" for a solid line): a line that may lie on top of
    /// another stays recognisable where colours alone would hide it.
    pub dash: &'static str,
}

/// A horizontal interval at height `y` (the across-trial spread of a percentile).
pub struct Whisker {
    pub y: f64,
    pub x0: f64,
    pub x1: f64,
    pub color: String,
}

/// A line chart of one or more series.
pub struct XyChart<'a> {
    pub title: &'a str,
    pub width: f64,
    pub height: f64,
    pub series: &'a [Series],
    pub x_label: &'a str,
    /// The y-axis title with its unit ("meetings (per week)"); "" for none.
    pub y_label: &'a str,
    pub x_fmt: &'a dyn Fn(f64) -> String,
    pub y_fmt: &'a dyn Fn(f64) -> String,
    pub x_from_zero: bool,
    /// A fixed y range (0 to 1 for shares); otherwise from the data, from zero.
    pub y_range: Option<(f64, f64)>,
    /// A shaded band of x with a label (the warm-up).
    pub shade: Option<(f64, f64, &'a str)>,
    /// A dashed vertical line with a label (a target).
    pub vline: Option<(f64, &'a str)>,
    pub markers: bool,
    pub whiskers: &'a [Whisker],
    /// Labels each series at its last point, right of the plot.
    pub end_labels: bool,
    /// Cuts the y axis at this value when some points lie above it (outliers that
    /// would squash the rest): those are drawn at the top edge, marked with an arrow
    /// and their value.
    pub y_clip: Option<f64>,
}

/// Longest end label, in characters.
const END_LABEL: usize = 16;

pub fn xy_chart(c: &XyChart) -> String {
    let left = if c.y_label.is_empty() { 56.0 } else { 70.0 };
    let bottom = 40.0;
    let right = if c.end_labels {
        let longest = c.series.iter().map(|s| s.label.chars().count()).max();
        24.0 + longest.unwrap_or(0).min(END_LABEL) as f64 * CHAR
    } else {
        20.0
    };
    let mut out = open(c.title, c.width, c.height);
    let items: Vec<(&str, &str)> = c
        .series
        .iter()
        .map(|s| (s.label.as_str(), s.color.as_str()))
        .collect();
    let top = 14.0 + legend(&mut out, &items, left, 12.0, c.width - left - right);
    let xs = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let xs = xs
        .chain(c.whiskers.iter().flat_map(|w| [w.x0, w.x1]))
        .chain(c.vline.map(|v| v.0))
        .chain(c.shade.into_iter().flat_map(|(a, b, _)| [a, b]));
    let ys = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let y_range = c.y_range.or_else(|| range(ys.clone(), true));
    let cut = c
        .y_clip
        .filter(|cap| cap.is_finite() && *cap > 0.0 && c.y_range.is_none())
        .filter(|cap| ys.clone().any(|v| v.is_finite() && v > *cap));
    let y_range = match cut {
        Some(cap) => range(ys.filter(|v| *v <= cap).chain([cap]), true),
        None => y_range,
    };
    let (Some((x0, x1)), Some((y0, y1))) = (range(xs, c.x_from_zero), y_range) else {
        return empty_chart(c.title, c.width, c.height, "no data");
    };
    let x = Scale {
        d0: x0,
        d1: x1,
        r0: left,
        r1: c.width - right,
    };
    let y = Scale {
        d0: y0,
        d1: y1,
        r0: c.height - bottom,
        r1: top,
    };
    if let Some((a, b, label)) = c.shade {
        let (a, b) = (x.at(a.max(x0)), x.at(b.min(x1)));
        if b > a {
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f1f5f9"/>"##,
                f(a),
                f(top),
                f(b - a),
                f(y.r0 - top)
            );
            text(&mut out, (a + b) / 2.0, top + 12.0, "middle", MUTED, label);
        }
    }
    for t in nice_ticks(y0, y1, 4) {
        let py = f(y.at(t));
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{py}" x2="{}" y2="{py}" stroke="{GRID}"/>"#,
            f(left),
            f(x.r1)
        );
        text(
            &mut out,
            left - 6.0,
            y.at(t) + 4.0,
            "end",
            MUTED,
            &(c.y_fmt)(t),
        );
    }
    for t in nice_ticks(x0, x1, 6) {
        tick_label(&mut out, x.at(t), y.r0 + 15.0, c.width, &(c.x_fmt)(t));
    }
    let _ = write!(
        out,
        r#"<line x1="{l}" y1="{b}" x2="{}" y2="{b}" stroke="{MUTED}"/>"#,
        f(x.r1),
        l = f(left),
        b = f(y.r0)
    );
    text(
        &mut out,
        (left + x.r1) / 2.0,
        c.height - 6.0,
        "middle",
        MUTED,
        c.x_label,
    );
    if !c.y_label.is_empty() {
        let (tx, ty) = (f(14.0), f((top + y.r0) / 2.0));
        let _ = write!(
            out,
            r#"<text class="y-title" x="{tx}" y="{ty}" transform="rotate(-90 {tx} {ty})" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(c.y_label)
        );
    }
    if let Some((v, label)) = c.vline.filter(|v| v.0.is_finite()) {
        let px = x.at(v);
        let _ = write!(
            out,
            r##"<line x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="#dc2626" stroke-dasharray="4 3"/>"##,
            f(top),
            f(y.r0),
            p = f(px)
        );
        text(&mut out, px + 4.0, top + 24.0, "start", "#dc2626", label);
    }
    for w in c
        .whiskers
        .iter()
        .filter(|w| w.x0.is_finite() && w.x1.is_finite())
    {
        let (py, color) = (y.at(w.y), esc(&w.color));
        let _ = write!(
            out,
            r#"<path d="M{a} {t}V{b}M{a} {p}H{z}M{z} {t}V{b}" stroke="{color}" stroke-opacity="0.5" fill="none"/>"#,
            a = f(x.at(w.x0)),
            z = f(x.at(w.x1)),
            p = f(py),
            t = f(py - 4.0),
            b = f(py + 4.0),
        );
    }
    for s in c.series {
        let mut d = String::new();
        let mut pen_down = false;
        for &(px, py) in &s.points {
            let py = py.min(y1);
            if px.is_finite() && py.is_finite() {
                let cmd = if pen_down { 'L' } else { 'M' };
                let _ = write!(d, "{cmd}{} {}", f(x.at(px)), f(y.at(py)));
                pen_down = true;
            } else {
                pen_down = false;
            }
        }
        let color = esc(&s.color);
        if !d.is_empty() {
            let dash = if s.dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{}""#, esc(s.dash))
            };
            let _ = write!(
                out,
                r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round"{dash}/>"#
            );
        }
        if c.markers {
            for &(px, py) in s
                .points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
            {
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="3.5" fill="{color}"/>"#,
                    f(x.at(px)),
                    f(y.at(py.min(y1)))
                );
                if py > y1 {
                    let _ = write!(
                        out,
                        r#"<text class="clipped" x="{}" y="{}" text-anchor="middle" fill="{color}">{}</text>"#,
                        f(x.at(px)),
                        f(y.at(y1) + 16.0),
                        esc(&format!("\u{25b2} {}", (c.y_fmt)(py)))
                    );
                }
            }
        }
    }
    if cut.is_some() {
        let note = format!("axis cut at {}: \u{25b2} marks points above", (c.y_fmt)(y1));
        text(&mut out, x.r1, top - 2.0, "end", MUTED, &note);
    }
    if c.end_labels {
        end_labels(&mut out, c.series, &x, &y);
    }
    out.push_str("</svg>");
    out
}

/// Each series' name right of its last point, nudged apart so that two lines ending
/// at the same height keep readable labels.
fn end_labels(out: &mut String, series: &[Series], x: &Scale, y: &Scale) {
    let mut labels: Vec<(f64, &Series)> = series
        .iter()
        .filter_map(|s| {
            let last = s
                .points
                .iter()
                .rev()
                .find(|p| p.0.is_finite() && p.1.is_finite())?;
            Some((y.at(last.1), s))
        })
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut previous = f64::NEG_INFINITY;
    for (py, s) in labels {
        let py = py.max(previous + 12.0);
        previous = py;
        let _ = write!(
            out,
            r#"<text class="end-label" x="{}" y="{}" text-anchor="start" fill="{}">{}</text>"#,
            f(x.r1 + 6.0),
            f(py + 4.0),
            esc(&s.color),
            esc(&truncate(&s.label, END_LABEL))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::svg::tests::{assert_well_formed, fmt};

    #[test]
    fn line_charts_survive_edge_cases() {
        for points in [
            vec![],
            vec![(f64::NAN, f64::NAN)],
            vec![(1.0, 5.0)],
            vec![(0.0, 1.0), (1.0, f64::NAN), (2.0, 3.0)],
        ] {
            let series = [Series {
                label: "s<1>".into(),
                color: "#000".into(),
                points,
                dash: "6 3",
            }];
            let whiskers = [Whisker {
                y: 0.5,
                x0: f64::NAN,
                x1: 2.0,
                color: "#000".into(),
            }];
            let chart = XyChart {
                title: "t",
                width: 500.0,
                height: 200.0,
                series: &series,
                x_label: "weeks",
                y_label: "meetings (per week)",
                x_fmt: &fmt,
                y_fmt: &fmt,
                x_from_zero: false,
                y_range: None,
                shade: Some((0.0, 1.0, "warm-up")),
                vline: Some((f64::NAN, "target")),
                markers: true,
                whiskers: &whiskers,
                end_labels: true,
                y_clip: Some(2.0),
            };
            assert_well_formed(&xy_chart(&chart));
        }
    }

    #[test]
    fn an_outlier_above_the_clip_is_drawn_at_the_top_and_marked() {
        let series = [Series {
            label: "a".into(),
            color: "#000".into(),
            points: vec![(1.0, 10.0), (2.0, 14.0), (3.0, 330.0)],
            dash: "",
        }];
        let chart = |clip| XyChart {
            title: "t",
            width: 500.0,
            height: 200.0,
            series: &series,
            x_label: "x",
            y_label: "y (h)",
            x_fmt: &fmt,
            y_fmt: &fmt,
            x_from_zero: false,
            y_range: None,
            shade: None,
            vline: None,
            markers: true,
            whiskers: &[],
            end_labels: false,
            y_clip: clip,
        };
        let cut = xy_chart(&chart(Some(48.0)));
        assert_well_formed(&cut);
        assert_eq!(cut.matches(r#"class="clipped""#).count(), 1, "{cut}");
        assert!(
            cut.contains("330") && cut.contains("axis cut at 50"),
            "{cut}"
        );
        let whole = xy_chart(&chart(None));
        assert!(
            !whole.contains("clipped") && whole.contains(">400<"),
            "{whole}"
        );
    }
}
