//! Customer segments, the economics of deals (gross margin) and contact attempts, as
//! the model runs them (DESIGN section 8). A scenario without segments has an empty
//! list and draws nothing for them; without a margin it has no profit metrics.

use super::dist::Distribution;
use super::spec::RoleId;

/// The name of the implicit segment: the leads no named segment takes.
pub const OTHER_SEGMENT: &str = "other";

/// Shares within this of 1 leave no implicit segment "other".
pub const SHARE_TOLERANCE: f64 = 1e-9;

/// One segment: its share of every source's leads and what differs for its leads. The
/// per-step vectors are indexed by funnel step.
#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub share: f64,
    /// Its own deal values; `None` takes `[deals] value`.
    pub deal_value: Option<Distribution>,
    /// Its own margin; `None` takes `[deals] gross_margin`.
    pub gross_margin: Option<f64>,
    /// Multiplier of each step's advance probability (1 where unset).
    pub advance_scale: Vec<f64>,
    /// Multiplier of each step's work or meeting duration (1 where unset).
    pub duration_scale: Vec<f64>,
    /// The role that does each step for this segment, when not the step's own.
    pub role: Vec<Option<RoleId>>,
}

impl Segment {
    /// The implicit segment "other" with `share`: the step's own everything.
    pub fn other(share: f64, steps: usize) -> Segment {
        Segment {
            name: OTHER_SEGMENT.to_string(),
            share,
            deal_value: None,
            gross_margin: None,
            advance_scale: vec![1.0; steps],
            duration_scale: vec![1.0; steps],
            role: vec![None; steps],
        }
    }
}

/// The segments of a scenario (named ones in name order, then "other" when their
/// shares leave a rest) and the default gross margin.
#[derive(Debug, Clone, Default)]
pub struct Segments {
    pub list: Vec<Segment>,
    /// `[deals] gross_margin`: the margin of every segment that gives none.
    pub gross_margin: Option<f64>,
}

impl Segments {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The margin on segment `segment`'s revenue, if one is given.
    pub fn margin_of(&self, segment: usize) -> Option<f64> {
        self.list
            .get(segment)
            .and_then(|s| s.gross_margin)
            .or(self.gross_margin)
    }

    /// Whether every lead's revenue has a margin: then the team has profit metrics.
    pub fn every_margin_known(&self) -> bool {
        if self.list.is_empty() {
            self.gross_margin.is_some()
        } else {
            (0..self.list.len()).all(|i| self.margin_of(i).is_some())
        }
    }

    /// The role that does `step` for a lead of `segment`, when a segment changes it.
    #[inline]
    pub fn role_for(&self, segment: Option<usize>, step: usize) -> Option<RoleId> {
        let s = self.list.get(segment?)?;
        s.role.get(step).copied().flatten()
    }

    /// The multiplier of `step`'s advance probability for a lead of `segment`.
    #[inline]
    pub fn advance_scale(&self, segment: Option<usize>, step: usize) -> f64 {
        segment
            .and_then(|i| self.list.get(i))
            .and_then(|s| s.advance_scale.get(step).copied())
            .unwrap_or(1.0)
    }

    /// The multiplier of `step`'s durations for a lead of `segment`.
    #[inline]
    pub fn duration_scale(&self, segment: Option<usize>, step: usize) -> f64 {
        segment
            .and_then(|i| self.list.get(i))
            .and_then(|s| s.duration_scale.get(step).copied())
            .unwrap_or(1.0)
    }

    /// The segment a uniform draw `u` in [0, 1) falls in, by cumulative share.
    pub fn pick(&self, u: f64) -> usize {
        let mut acc = 0.0;
        for (i, s) in self.list.iter().enumerate() {
            acc += s.share;
            if u < acc {
                return i;
            }
        }
        self.list.len().saturating_sub(1)
    }
}

/// Contact attempts on a task step: each attempt is `hours` of the role's time and
/// reaches the customer with `reach_probability`; the next comes `spacing_hours`
/// (working hours) after the last; after `max` unanswered attempts the lead is lost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempts {
    pub max: u32,
    pub reach_probability: f64,
    pub spacing_hours: f64,
    pub hours: f64,
}

impl Attempts {
    /// The chance a lead is reached within `max` attempts: 1 - (1 - p)^max.
    pub fn reached_probability(&self) -> f64 {
        1.0 - (1.0 - self.reach_probability).powi(self.max as i32)
    }

    /// The mean attempts per lead, a geometric law truncated at `max`:
    /// (1 - (1 - p)^max) / p, or `max` when p is 0.
    pub fn mean_attempts(&self) -> f64 {
        let p = self.reach_probability;
        if p > 0.0 {
            self.reached_probability() / p
        } else {
            f64::from(self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_truncated_geometric_law_sums_to_its_closed_form() {
        let a = Attempts {
            max: 6,
            reach_probability: 0.3,
            spacing_hours: 8.0,
            hours: 0.1,
        };
        // P(k attempts) = (1-p)^(k-1) p for k < max; the max-th attempt is made by all
        // leads not reached before it.
        let q: f64 = 0.7;
        let mean: f64 =
            (1..6).map(|k| k as f64 * q.powi(k - 1) * 0.3).sum::<f64>() + 6.0 * q.powi(5);
        assert!((a.mean_attempts() - mean).abs() < 1e-12);
        assert!((a.reached_probability() - (1.0 - q.powi(6))).abs() < 1e-12);
    }

    #[test]
    fn a_draw_falls_in_the_segment_of_its_cumulative_share() {
        let segments = Segments {
            list: vec![Segment::other(0.2, 0), Segment::other(0.8, 0)],
            gross_margin: None,
        };
        assert_eq!(segments.pick(0.1), 0);
        assert_eq!(segments.pick(0.2), 1);
        assert_eq!(segments.pick(0.9999), 1);
    }
}
