//! Choosing a design from a sweep: an objective (`min:METRIC` or `max:METRIC`),
//! constraints (`METRIC<=X`, `METRIC>=X`), the best feasible point, how sure we are that
//! it meets each constraint, and the Pareto front of staffing cost against the objective.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::experiment::Summaries;
use crate::model::metrics::{Catalogue, Metric, catalogue as m};
use crate::stats::Summary;

/// A metric and one of its across-trial statistics (`quote_lead_time_hours.p90.mean`);
/// without a statistic, the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: String,
    pub statistic: String,
}

impl Target {
    /// Reads `METRIC` or `METRIC.STATISTIC`, where the metric is one of `catalogue`.
    pub fn parse(text: &str, catalogue: &Catalogue) -> Result<Target, String> {
        let text = text.trim();
        let known = |name: &str| catalogue.position_of_name(name).is_some();
        let (metric, statistic) = match text.rsplit_once('.') {
            Some((m, s)) if Summary::STATISTICS.contains(&s) && known(m) => (m, s),
            _ => (text, "mean"),
        };
        if !known(metric) {
            let names = catalogue.names().iter().map(String::as_str);
            let hint = crate::scenario::did_you_mean(metric, names)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown metric `{metric}`{hint}; `salesim run FILE` lists the metrics"
            ));
        }
        Ok(Target {
            metric: metric.to_string(),
            statistic: statistic.to_string(),
        })
    }

    pub fn value(&self, metrics: &Summaries) -> f64 {
        metrics
            .named(&self.metric)
            .and_then(|s| s.get(&self.statistic))
            .unwrap_or(f64::NAN)
    }

    /// The catalogue's metric (`parse` checked that there is one).
    pub fn def(&self) -> Option<&'static crate::model::metrics::Def> {
        Metric::parse(&self.metric).map(|m| m.def)
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.metric, self.statistic)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Min,
    Max,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub sense: Sense,
    pub target: Target,
}

impl Objective {
    pub fn parse(text: &str, metrics: &Catalogue) -> Result<Objective, String> {
        let (sense, metric) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}` is not min:METRIC or max:METRIC"))?;
        let sense = match sense.trim() {
            "min" => Sense::Min,
            "max" => Sense::Max,
            other => return Err(format!("`{other}` is neither min nor max in `{text}`")),
        };
        Ok(Objective {
            sense,
            target: Target::parse(metric, metrics)?,
        })
    }

    fn better(&self, a: f64, b: f64) -> bool {
        match self.sense {
            Sense::Min => a < b,
            Sense::Max => a > b,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub target: Target,
    pub at_most: bool,
    pub bound: f64,
}

impl Constraint {
    pub fn parse(text: &str, metrics: &Catalogue) -> Result<Constraint, String> {
        let (metric, bound, at_most) = if let Some((m, b)) = text.split_once("<=") {
            (m, b, true)
        } else if let Some((m, b)) = text.split_once(">=") {
            (m, b, false)
        } else {
            return Err(format!("`{text}` is not METRIC<=X or METRIC>=X"));
        };
        let bound: f64 = bound
            .trim()
            .parse()
            .ok()
            .filter(|b: &f64| b.is_finite())
            .ok_or_else(|| format!("`{}` in `{text}` is not a number", bound.trim()))?;
        Ok(Constraint {
            target: Target::parse(metric, metrics)?,
            at_most,
            bound,
        })
    }

    pub fn met(&self, metrics: &Summaries) -> bool {
        let v = self.target.value(metrics);
        v.is_finite()
            && if self.at_most {
                v <= self.bound
            } else {
                v >= self.bound
            }
    }

    /// For a constraint on a mean: the probability, under the Student-t sampling
    /// distribution of the mean, that the true mean meets the bound. `None` for other
    /// statistics.
    pub fn confidence(&self, metrics: &Summaries) -> Option<f64> {
        if self.target.statistic != "mean" {
            return None;
        }
        let s = *metrics.named(&self.target.metric)?;
        if s.n < 2 || !s.mean.is_finite() {
            return None;
        }
        let se = s.sd / (s.n as f64).sqrt();
        if se == 0.0 {
            return Some(if self.met(metrics) { 1.0 } else { 0.0 });
        }
        let t = StudentsT::new(0.0, 1.0, (s.n - 1) as f64).ok()?;
        let z = (self.bound - s.mean) / se;
        Some(if self.at_most {
            t.cdf(z)
        } else {
            1.0 - t.cdf(z)
        })
    }
}

/// Index of the best point that meets every constraint.
pub fn best(
    points: &[&Summaries],
    objective: &Objective,
    constraints: &[Constraint],
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, metrics) in points.iter().enumerate() {
        if !constraints.iter().all(|c| c.met(metrics)) {
            continue;
        }
        let v = objective.target.value(metrics);
        if v.is_finite() && best.is_none_or(|(_, b)| objective.better(v, b)) {
            best = Some((i, v));
        }
    }
    best.map(|(i, _)| i)
}

/// What a sweep's Pareto front sets against staffing cost: the objective, or, when the
/// objective is the staffing cost itself, the first constraint on another metric (never
/// cost against cost); and whether lower is better.
#[derive(Debug, Clone, Copy)]
pub struct Versus<'a> {
    pub target: &'a Target,
    pub lower_better: bool,
}

/// The staffing cost's mean: the x of every Pareto front.
fn cost() -> Target {
    Target {
        metric: Metric::team(m::STAFFING_COST).to_string(),
        statistic: "mean".into(),
    }
}

/// What the front sets against staffing cost; `None` when the objective is the staffing
/// cost and no constraint names another metric (nothing to trade it against).
pub fn versus<'a>(objective: &'a Objective, constraints: &'a [Constraint]) -> Option<Versus<'a>> {
    let cost = cost();
    if objective.target != cost {
        let lower_better = objective.sense == Sense::Min;
        return Some(Versus {
            target: &objective.target,
            lower_better,
        });
    }
    let c = constraints.iter().find(|c| c.target != cost)?;
    Some(Versus {
        target: &c.target,
        lower_better: c.at_most,
    })
}

/// The points meeting every constraint that no other such point beats on both staffing
/// cost and `v`, cheapest first. A point that misses a constraint is never on it. The one
/// front of a sweep: the terminal summary and the HTML report both list it.
pub fn pareto_front(points: &[&Summaries], v: &Versus, constraints: &[Constraint]) -> Vec<usize> {
    let cost = cost();
    let at = |i: usize| (cost.value(points[i]), v.target.value(points[i]));
    let better = |a: f64, b: f64| if v.lower_better { a < b } else { a > b };
    let feasible = |i: &usize| constraints.iter().all(|c| c.met(points[*i]));
    let ok: Vec<usize> = (0..points.len())
        .filter(feasible)
        .filter(|&i| at(i).0.is_finite() && at(i).1.is_finite())
        .collect();
    let beats = |j: usize, i: usize| {
        let ((cj, yj), (ci, yi)) = (at(j), at(i));
        cj <= ci && !better(yi, yj) && (cj < ci || better(yj, yi))
    };
    let mut front: Vec<usize> = ok
        .iter()
        .copied()
        .filter(|&i| !ok.iter().any(|&j| beats(j, i)))
        .collect();
    front.sort_by(|&a, &b| at(a).0.total_cmp(&at(b).0).then(a.cmp(&b)));
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: &str = "quote_lead_time_hours.p90";

    fn catalogue() -> Catalogue {
        Catalogue::from_names(&["staffing_cost_per_year", WAIT]).unwrap()
    }

    fn point(cost: f64, wait: f64) -> Summaries {
        let s = |v: f64| Summary {
            n: 10,
            mean: v,
            sd: 1.0,
            ci95_low: v - 1.0,
            ci95_high: v + 1.0,
            p5: v,
            p50: v,
            p95: v,
        };
        Summaries::from_parts(catalogue(), vec![s(cost), s(wait)])
    }

    #[test]
    fn picks_the_cheapest_feasible_point_and_the_front() {
        let names = catalogue();
        let points = [
            point(100.0, 9.0),
            point(200.0, 3.0),
            point(300.0, 1.0),
            point(250.0, 4.0),
        ];
        let points: Vec<&Summaries> = points.iter().collect();
        let objective = Objective::parse("min:staffing_cost_per_year", &names).unwrap();
        let constraint = Constraint::parse(&format!("{WAIT}<=5"), &names).unwrap();
        assert_eq!(best(&points, &objective, &[constraint]), Some(1));
        let by_wait = Objective::parse(&format!("min:{WAIT}.mean"), &names).unwrap();
        let v = versus(&by_wait, &[]).unwrap();
        assert_eq!(pareto_front(&points, &v, &[]), vec![0, 1, 2]);
        // Cost against itself is no trade-off: the constraint's metric is the y, and
        // the point that misses the constraint (cost 100, wait 9) is off the front.
        let constraint = Constraint::parse(&format!("{WAIT}<=5"), &names).unwrap();
        let cs = [constraint];
        let v = versus(&objective, &cs).unwrap();
        assert_eq!(v.target.metric, WAIT);
        assert_eq!(pareto_front(&points, &v, &cs), vec![1, 2]);
        assert!(versus(&objective, &[]).is_none());
    }

    #[test]
    fn rejects_unknown_metrics_with_a_suggestion() {
        let names = Catalogue::from_names(&["quote_lead_time_hours.p90"]).unwrap();
        let e = Constraint::parse("quote_lead_time_hour.p90.mean<=16", &names).unwrap_err();
        assert!(e.contains("did you mean"), "{e}");
        let c = Constraint::parse("quote_lead_time_hours.p90.mean<=16", &names).unwrap();
        assert_eq!(c.target.statistic, "mean");
        assert!(Objective::parse("best:quote_lead_time_hours.p90", &names).is_err());
    }
}
