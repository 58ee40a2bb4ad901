//! The page of `salesim transition --report`: each plan's cumulative difference of
//! contribution against staying, with its 95% band, said in plain words; the table per
//! plan; and the assumptions behind it, listed as assumptions to sweep.

use std::fmt::Write;

use maud::{PreEscaped, html};

use super::svg::{GRID, INK, MUTED, Scale, esc, f, legend, nice_ticks, open, range, text};
use crate::experiment::Manifest;
use crate::experiment::transition::{PlanResult, TransitionResult};
use crate::report::transition_out::{dip_words, money, payback_words, switch_words};

const COLORS: [&str; 5] = ["#2563eb", "#ea580c", "#0d9488", "#9333ea", "#a16207"];

/// How plan `p` compares with the first plan, in words.
pub fn against_first(first: &PlanResult, p: &PlanResult) -> String {
    let mut out = format!("Plan {} {}", p.plan.name, payback_words(p));
    if let (Some(a), Some(b)) = (first.payback.week, p.payback.week) {
        let gap = b as i64 - a as i64;
        let when = match gap {
            0 => " in the same week as".to_string(),
            g if g > 0 => format!(", {g} weeks later than"),
            g => format!(", {} weeks earlier than", -g),
        };
        let _ = write!(out, "{when} {}", first.plan.name);
    }
    let (d0, d1) = (first.dip.depth, p.dip.depth);
    if d0 < 0.0 && d1 < 0.0 {
        let ratio = d1 / d0;
        let how = if (ratio - 1.0).abs() < 0.05 {
            "about as deep as".to_string()
        } else {
            format!("{ratio:.2} times as deep as")
        };
        let _ = write!(
            out,
            ", with a dip {how} {}'s ({} against {})",
            first.plan.name,
            money(d1),
            money(d0)
        );
    }
    out.push('.');
    out
}

/// The chart of every plan's cumulative difference with its band.
fn chart(r: &TransitionResult, width: f64, height: f64) -> String {
    let title = "Cumulative contribution, transition less staying";
    let values = r
        .plans
        .iter()
        .flat_map(|p| p.cumulative.iter())
        .flat_map(|c| [c.mean, c.ci95_low, c.ci95_high]);
    let Some((lo, hi)) = range(values, true) else {
        return super::svg::empty_chart(title, width, height, "no weeks to draw");
    };
    let (left, right, top, bottom) = (84.0, 16.0, 36.0, 40.0);
    let weeks = r.weeks.max(2) as f64 - 1.0;
    let x = Scale {
        d0: 0.0,
        d1: weeks,
        r0: left,
        r1: width - right,
    };
    let y = Scale {
        d0: lo,
        d1: hi,
        r0: height - bottom,
        r1: top,
    };
    let mut body = open(title, width, height);
    let items: Vec<(&str, &str)> = r
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.plan.name.as_str(), COLORS[i % COLORS.len()]))
        .collect();
    legend(&mut body, &items, left, 8.0, width - left - right);
    for t in nice_ticks(lo, hi, 6) {
        let _ = write!(
            body,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}"/>"#,
            f(left),
            f(width - right),
            y = f(y.at(t))
        );
        text(
            &mut body,
            left - 6.0,
            y.at(t) + 4.0,
            "end",
            MUTED,
            &money(t),
        );
    }
    for t in nice_ticks(0.0, weeks, 10) {
        text(
            &mut body,
            x.at(t),
            height - bottom + 16.0,
            "middle",
            MUTED,
            &format!("{t:.0}"),
        );
    }
    text(
        &mut body,
        (left + width - right) / 2.0,
        height - 6.0,
        "middle",
        MUTED,
        "simulation week (from the empty start)",
    );
    let _ = write!(
        body,
        r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}"/>"#,
        f(left),
        f(width - right),
        y = f(y.at(0.0))
    );
    for (i, p) in r.plans.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let edge = |v: f64, m: f64| if v.is_finite() { v } else { m };
        let upper: Vec<String> = p
            .cumulative
            .iter()
            .enumerate()
            .map(|(w, c)| {
                format!(
                    "{},{}",
                    f(x.at(w as f64)),
                    f(y.at(edge(c.ci95_high, c.mean)))
                )
            })
            .collect();
        let lower: Vec<String> = p
            .cumulative
            .iter()
            .enumerate()
            .rev()
            .map(|(w, c)| {
                format!(
                    "{},{}",
                    f(x.at(w as f64)),
                    f(y.at(edge(c.ci95_low, c.mean)))
                )
            })
            .collect();
        let _ = write!(
            body,
            r#"<polygon points="{} {}" fill="{color}" fill-opacity="0.15" stroke="none"/>"#,
            upper.join(" "),
            lower.join(" ")
        );
        let line: Vec<String> = p
            .cumulative
            .iter()
            .enumerate()
            .map(|(w, c)| format!("{},{}", f(x.at(w as f64)), f(y.at(c.mean))))
            .collect();
        let _ = write!(
            body,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
            line.join(" ")
        );
        if let Some(w) = p.payback.week {
            let _ = write!(
                body,
                r#"<circle cx="{}" cy="{}" r="4" fill="{color}"><title>{} pays back in week {w}</title></circle>"#,
                f(x.at(w as f64)),
                f(y.at(p.cumulative[w].mean)),
                esc(&p.plan.name)
            );
        }
    }
    body.push_str("</svg>");
    body
}

pub fn render_transition_html(r: &TransitionResult, manifest: &Manifest) -> Vec<u8> {
    let title = format!("The way from {} to {}", r.before, r.after);
    let lede: Vec<String> = match r.plans.first() {
        None => Vec::new(),
        Some(first) => {
            let mut v = vec![format!(
                "Plan {} {}; {}.",
                first.plan.name,
                payback_words(first),
                dip_words(first)
            )];
            v.extend(r.plans.iter().skip(1).map(|p| against_first(first, p)));
            v
        }
    };
    let header = html! {
        p.meta {
            span { (r.trials) " trials" }
            span { "seed " (manifest.seed) }
            span { "salesim " (manifest.salesim_version) }
        }
        @for s in &lede { p.lede { (s) } }
        @for w in &r.warnings { p.note { "Warning: " (w) } }
    };
    let sections = html! {
        section #curve {
            h2 { "What the move costs and when it pays back" }
            p.note { "Lines: the average cumulative difference of contribution (" (r.contribution_basis) "), transition less staying on the before design, week by week from the empty start; shaded: its 95% confidence band; dots: the payback week. Below zero the move has cost more than it has brought so far." }
            (PreEscaped(chart(r, 900.0, 360.0)))
        }
        @for p in &r.plans {
            section {
                h2 { "Plan " (p.plan.name) " (" (p.plan.spec) ")" }
                table {
                    tr { th { "switch" } td { (switch_words(r, p)) } }
                    tr { th { "payback" } td { (payback_words(p)) } }
                    tr { th { "dip" } td { (dip_words(p)) } }
                    @if let Some(h) = p.cumulative.last() {
                        tr { th { "cumulative difference at the horizon" } td { (money(h.mean)) " (95% " (money(h.ci95_low)) " to " (money(h.ci95_high)) ")" } }
                    }
                    tr { th { "lost to the transition" } td { (format!("{:.2}", p.lost_to_transition.mean)) " leads and service requests per trial still open when a wind-down ran out" } }
                    @for s in &p.series {
                        @if s.metric != "open_pipeline" {
                            tr { th { (s.metric.replace('_', " ")) " over the horizon, transition less staying" } td { (format!("{:.1}", s.difference.iter().map(|d| d.mean).sum::<f64>())) } }
                        }
                    }
                }
            }
        }
        section #assumptions {
            h2 { "Assumptions to sweep" }
            p.note { "Each of these is an input, not a finding: sweep it (salesim sweep on the after file, --set on the command line) before trusting a payback week." }
            ul {
                li { "Ramp-up of the after design's new people: the [roles.X.people] ramp of the after file (speed rising from start to 1 over its weeks)." }
                li { "Attrition and hiring delay: [roles.X.people] attrition_per_year and hiring_delay_weeks of each file." }
                li { "Wind-down: the before design's people of an office finish its open work for at most " (r.wind_down_weeks) " weeks after its switch (--wind-down-weeks); what is still open then is counted as lost." }
                li { "The switch weeks of each plan; every office's new work moves at its switch, none is shared." }
                li { "Contribution is " (r.contribution_basis) "." }
            }
        }
    };
    super::standalone_page("salesim transition", &title, header, sections)
}
