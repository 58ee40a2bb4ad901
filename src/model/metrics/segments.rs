//! What a trial measures per customer segment, and the economics: gross profit,
//! contribution, and leads never reached by contact attempts. Emitted only for a
//! scenario that has segments, a margin or attempts, so one without them reports
//! exactly the metrics it always did.

use super::catalogue as m;
use super::collector::{Collector, MeanOf};
use super::emit::Sink;
use crate::scenario::Scenario;

/// One segment's observations in a trial, counted after the warm-up.
#[derive(Debug, Clone, Copy, Default)]
pub struct SegmentTally {
    pub leads_created: u64,
    pub meetings: u64,
    pub won: u64,
    pub lost: u64,
    pub cold: u64,
    pub revenue: f64,
    pub sales_cycle: MeanOf,
    pub quote_lead_time: MeanOf,
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        f64::NAN
    }
}

/// Gross profit per year: each segment's revenue times its margin, or the team's
/// revenue times `[deals] gross_margin`; `None` unless every lead's revenue has one.
pub fn gross_profit_per_year(s: &Scenario, c: &Collector, revenue_per_year: f64) -> Option<f64> {
    let segments = &s.segments;
    if !segments.every_margin_known() {
        return None;
    }
    if segments.is_empty() {
        return segments
            .gross_margin
            .map(|margin| margin * revenue_per_year);
    }
    let per_year = 52.0 / s.measured_weeks();
    Some(
        c.segments
            .iter()
            .enumerate()
            .map(|(i, t)| segments.margin_of(i).unwrap_or(0.0) * (t.revenue * per_year))
            .sum(),
    )
}

/// The team's economics, after its cost metrics: gross profit and contribution when a
/// margin is given, leads never reached when a step makes contact attempts.
pub fn emit_economics(
    s: &Scenario,
    c: &Collector,
    revenue_per_year: f64,
    staffing_cost_per_year: f64,
    out: &mut impl Sink,
) {
    if let Some(gross_profit) = gross_profit_per_year(s, c, revenue_per_year) {
        out.put(m::GROSS_PROFIT, "", gross_profit);
        out.put(m::CONTRIBUTION, "", gross_profit - staffing_cost_per_year);
    }
    if s.funnel.iter().any(|step| step.attempts.is_some()) {
        out.put(
            m::LEADS_UNREACHED,
            "",
            c.unreached as f64 / s.measured_weeks(),
        );
    }
}

/// Every segment's metrics, in the order of `Scenario::segments`.
pub fn emit_segments(s: &Scenario, c: &Collector, out: &mut impl Sink) {
    let weeks = s.measured_weeks();
    for (i, segment) in s.segments.list.iter().enumerate() {
        let t = c.segments.get(i).copied().unwrap_or_default();
        let name = segment.name.as_str();
        let revenue_per_year = t.revenue / weeks * 52.0;
        out.put(m::SEGMENT_LEADS, name, t.leads_created as f64 / weeks);
        out.put(m::SEGMENT_MEETINGS, name, t.meetings as f64 / weeks);
        out.put(m::SEGMENT_DEALS, name, t.won as f64 / weeks);
        let ended = t.won + t.lost + t.cold;
        out.put(m::SEGMENT_WIN_RATE, name, ratio(t.won as f64, ended as f64));
        out.put(m::SEGMENT_REVENUE, name, revenue_per_year);
        out.put(m::SEGMENT_CYCLE, name, t.sales_cycle.mean());
        if s.quote_step().is_some() {
            out.put(m::SEGMENT_QUOTE, name, t.quote_lead_time.mean());
        }
        if let Some(margin) = s.segments.margin_of(i) {
            out.put(m::SEGMENT_GROSS_PROFIT, name, margin * revenue_per_year);
        }
    }
}
