//! Choosing a design from a sweep: an objective (`min:METRIC` or `max:METRIC`),
//! constraints (`METRIC<=X`, `METRIC>=X`), the best feasible point, how sure we are that
//! it meets each constraint, and the Pareto front of staffing cost against the objective.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::Summary;

/// A metric and one of its across-trial statistics (`quote_lead_time_hours.p90.mean`);
/// without a statistic, the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: String,
    pub statistic: String,
}

impl Target {
    pub fn parse(text: &str, metrics: &[String]) -> Result<Target, String> {
        let text = text.trim();
        let (metric, statistic) = match text.rsplit_once('.') {
            Some((m, s)) if Summary::STATISTICS.contains(&s) && metrics.iter().any(|n| n == m) => {
                (m, s)
            }
            _ => (text, "mean"),
        };
        if !metrics.iter().any(|n| n == metric) {
            let hint = crate::scenario::did_you_mean(metric, metrics.iter().map(String::as_str))
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

    pub fn value(&self, metrics: &[(String, Summary)]) -> f64 {
        metrics
            .iter()
            .find(|(n, _)| *n == self.metric)
            .and_then(|(_, s)| s.get(&self.statistic))
            .unwrap_or(f64::NAN)
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
    pub fn parse(text: &str, metrics: &[String]) -> Result<Objective, String> {
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
    pub fn parse(text: &str, metrics: &[String]) -> Result<Constraint, String> {
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

    pub fn met(&self, metrics: &[(String, Summary)]) -> bool {
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
    pub fn confidence(&self, metrics: &[(String, Summary)]) -> Option<f64> {
        if self.target.statistic != "mean" {
            return None;
        }
        let s = metrics.iter().find(|(n, _)| *n == self.target.metric)?.1;
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
    points: &[Vec<(String, Summary)>],
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

/// Points not dominated on (staffing cost, lower is better) and the objective.
pub fn pareto_front(points: &[Vec<(String, Summary)>], objective: &Objective) -> Vec<usize> {
    let cost = Target {
        metric: "staffing_cost_per_year".into(),
        statistic: "mean".into(),
    };
    let pairs: Vec<(f64, f64)> = points
        .iter()
        .map(|m| (cost.value(m), objective.target.value(m)))
        .collect();
    let dominates = |a: (f64, f64), b: (f64, f64)| {
        let no_worse = a.0 <= b.0 && !objective.better(b.1, a.1);
        let better = a.0 < b.0 || objective.better(a.1, b.1);
        no_worse && better
    };
    let mut front: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].0.is_finite() && pairs[i].1.is_finite())
        .filter(|&i| {
            !(0..pairs.len())
                .any(|j| j != i && pairs[j].1.is_finite() && dominates(pairs[j], pairs[i]))
        })
        .collect();
    front.sort_by(|&a, &b| pairs[a].0.total_cmp(&pairs[b].0));
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(cost: f64, wait: f64) -> Vec<(String, Summary)> {
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
        vec![
            ("staffing_cost_per_year".into(), s(cost)),
            ("wait".into(), s(wait)),
        ]
    }

    #[test]
    fn picks_the_cheapest_feasible_point_and_the_front() {
        let names = vec!["staffing_cost_per_year".to_string(), "wait".to_string()];
        let points = vec![
            point(100.0, 9.0),
            point(200.0, 3.0),
            point(300.0, 1.0),
            point(250.0, 4.0),
        ];
        let objective = Objective::parse("min:staffing_cost_per_year", &names).unwrap();
        let constraint = Constraint::parse("wait<=5", &names).unwrap();
        assert_eq!(best(&points, &objective, &[constraint]), Some(1));
        let by_wait = Objective::parse("min:wait.mean", &names).unwrap();
        assert_eq!(pareto_front(&points, &by_wait), vec![0, 1, 2]);
    }

    #[test]
    fn rejects_unknown_metrics_with_a_suggestion() {
        let names = vec!["quote_lead_time_hours.p90".to_string()];
        let e = Constraint::parse("quote_lead_time_hour.p90.mean<=16", &names).unwrap_err();
        assert!(e.contains("did you mean"), "{e}");
        let c = Constraint::parse("quote_lead_time_hours.p90.mean<=16", &names).unwrap();
        assert_eq!(c.target.statistic, "mean");
        assert!(Objective::parse("best:quote_lead_time_hours.p90", &names).is_err());
    }
}
