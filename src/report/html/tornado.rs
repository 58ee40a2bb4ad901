//! The tornado chart of a sensitivity study: one row per input, largest swing on top,
//! a bar from zero to the effect of moving the input down and one to the effect of
//! moving it up, each with its 95% interval as a whisker; and the study's own page.

use std::fmt::Write;

use maud::{Markup, PreEscaped, html};

use super::format;
use super::svg::{CHAR, GRID, INK, MUTED, Scale, esc, f, nice_ticks, open, range, text, truncate};
use crate::experiment::Manifest;
use crate::experiment::sensitivity::{InputEffect, SensitivityReport, Side};

const DOWN: &str = "#0d9488";
const UP: &str = "#9333ea";

/// The effect in the measure's unit: money as $1.2M, else three digits.
pub fn effect_words(v: f64, money: bool) -> String {
    let text = if money {
        format::money(v.abs())
    } else {
        format::num(v.abs())
    };
    match v {
        v if v > 0.0 => format!("+{text}"),
        v if v < 0.0 => format!("\u{2212}{text}"),
        _ => text,
    }
}

/// The tornado chart of the first `rows` inputs.
pub fn tornado(report: &SensitivityReport, rows: usize, width: f64, money: bool) -> String {
    let inputs: Vec<&InputEffect> = report.inputs.iter().take(rows).collect();
    let title = format!(
        "Effect on {} of each input moved down and up",
        report.measure
    );
    let values = inputs
        .iter()
        .flat_map(|e| [&e.low, &e.high].into_iter().flatten())
        .flat_map(|s| [s.effect.ci95_low, s.effect.ci95_high, s.effect.mean]);
    let Some((lo, hi)) = range(values, true) else {
        return super::svg::empty_chart(&title, width, 80.0, "no input could be moved");
    };
    let label_w = 230.0;
    let (row_h, top, bottom) = (30.0, 30.0, 44.0);
    let height = top + row_h * inputs.len() as f64 + bottom;
    let x = Scale {
        d0: lo,
        d1: hi,
        r0: label_w,
        r1: width - 16.0,
    };
    let mut body = String::new();
    for (i, (name, color)) in [("moved down", DOWN), ("moved up", UP)].iter().enumerate() {
        let x0 = label_w + i as f64 * 130.0;
        let _ = write!(
            body,
            r#"<rect x="{}" y="6" width="12" height="12" fill="{color}"/>"#,
            f(x0)
        );
        text(&mut body, x0 + 18.0, 16.0, "start", INK, name);
    }
    let axis_y = top + row_h * inputs.len() as f64;
    for t in nice_ticks(lo, hi, 5) {
        let _ = write!(
            body,
            r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{y}" stroke="{GRID}"/>"#,
            x = f(x.at(t)),
            top = f(top - 4.0),
            y = f(axis_y)
        );
        text(
            &mut body,
            x.at(t),
            axis_y + 14.0,
            "middle",
            MUTED,
            &effect_words(t, money),
        );
    }
    let _ = write!(
        body,
        r#"<line x1="{z}" y1="{t}" x2="{z}" y2="{b}" stroke="{INK}"/>"#,
        z = f(x.at(0.0)),
        t = f(top - 4.0),
        b = f(axis_y)
    );
    text(
        &mut body,
        (label_w + width) / 2.0,
        axis_y + 32.0,
        "middle",
        INK,
        &format!("change in {} (moved less unmoved)", report.measure),
    );
    let chars = (label_w / CHAR) as usize;
    for (i, e) in inputs.iter().enumerate() {
        let y = top + row_h * i as f64;
        text(
            &mut body,
            label_w - 8.0,
            y + 18.0,
            "end",
            INK,
            &truncate(&e.key, chars),
        );
        for (k, (side, color)) in [(&e.low, DOWN), (&e.high, UP)].into_iter().enumerate() {
            let Some(s) = side else { continue };
            let (a, b) = (x.at(0.0), x.at(s.effect.mean));
            let (x0, w) = (a.min(b), (a - b).abs().max(1.0));
            let by = y + 5.0 + k as f64 * 10.0;
            let _ = write!(
                body,
                r#"<rect x="{}" y="{}" width="{}" height="9" fill="{color}"><title>{}: {}</title></rect>"#,
                f(x0),
                f(by),
                f(w),
                esc(&s.setting),
                esc(&effect_words(s.effect.mean, money))
            );
            if s.effect.ci95_low.is_finite() {
                let _ = write!(
                    body,
                    r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}"/>"#,
                    f(x.at(s.effect.ci95_low)),
                    f(x.at(s.effect.ci95_high)),
                    y = f(by + 4.5)
                );
            }
        }
    }
    let mut svg = open(&title, width, height);
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

/// The table beside the chart: each input, its value, the two effects, the trials.
pub fn table(report: &SensitivityReport, rows: usize, money: bool) -> Markup {
    let side = |s: &Option<Side>| -> (String, String) {
        s.as_ref().map_or(("not moved".into(), String::new()), |s| {
            let ci = if s.effect.ci95_low.is_finite() {
                format!(
                    "{} to {}",
                    effect_words(s.effect.ci95_low, money),
                    effect_words(s.effect.ci95_high, money)
                )
            } else {
                String::new()
            };
            (
                format!("{} at {}", effect_words(s.effect.mean, money), s.setting),
                ci,
            )
        })
    };
    html! {
        table.sensitivity {
            thead { tr {
                th { "input" } th { "now" } th { "moved down" } th { "moved up" }
                th.num { "trials" }
            } }
            tbody {
                @for e in report.inputs.iter().take(rows) {
                    @let (down, down_ci) = side(&e.low);
                    @let (up, up_ci) = side(&e.high);
                    tr {
                        td.key { (e.key) }
                        td { (e.base) }
                        td { (down) @if !down_ci.is_empty() { br; span.sub { "95%: " (down_ci) } } }
                        td { (up) @if !up_ci.is_empty() { br; span.sub { "95%: " (up_ci) } } }
                        td.num { (e.trials) }
                    }
                }
            }
        }
    }
}

/// How many trials the figures rest on, in words.
pub fn trials_words(report: &SensitivityReport) -> String {
    match report.screen_trials {
        Some(n) => format!(
            "Every input was first moved on {n} trials; the inputs that moved the result most \
             were moved again on {} trials, and their figures rest on those. Each moved design \
             ran the same trials as the unmoved one.",
            report.trials
        ),
        None => format!(
            "Each figure rests on {} trials, the same trials for the moved and the unmoved design.",
            report.trials
        ),
    }
}

/// The self-contained page of `salesim sensitivity --report`.
pub fn render_sensitivity_html(report: &SensitivityReport, manifest: &Manifest) -> Vec<u8> {
    let money = crate::report::sensitivity::is_money(report);
    let title = format!("What {} depends on", report.measure);
    let header = html! {
        p.meta {
            span { (report.scenarios.join(" against ")) }
            span { "seed " (manifest.seed) }
            span { "salesim " (manifest.salesim_version) }
        }
        p.lede {
            "Each input was moved down and up by " (format::num(report.by * 100.0))
            "%, one at a time, all else as in the scenario. Unmoved, "
            (report.measure) " is " (effect_words(report.base.mean, money).trim_start_matches('+'))
            ". " (trials_words(report))
        }
    };
    let sections = html! {
        section #tornado {
            h2 { "The inputs that matter most" }
            p.note { "Bars: the average change; lines: its 95% confidence interval. An input whose lines cross zero may have no effect at all." }
            (PreEscaped(tornado(report, 15, 900.0, money)))
        }
        section #effects {
            h2 { "Every input" }
            (table(report, report.inputs.len(), money))
            @if !report.skipped.is_empty() {
                h3 { "Not moved" }
                ul { @for (k, why) in &report.skipped { li { span.key { (k) } ": " (why) } } }
            }
        }
    };
    super::standalone_page("salesim sensitivity", &title, header, sections)
}
