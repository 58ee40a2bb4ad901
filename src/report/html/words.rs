//! Paired differences in plain words for the HTML report: "quotes go out 3.2 days
//! sooner (2.9 to 3.5)", "no clear difference" when the 95% interval includes zero, and
//! the signed form for tables.

use super::format::{NA, Unit, in_days, money, num};
use crate::stats::Summary;

/// The words around a difference: `{v}` stands for its size.
#[derive(Debug, Clone, Copy)]
pub struct Phrase {
    pub more: &'static str,
    pub less: &'static str,
}

/// The size of a difference with its unit, and a formatter of interval ends in the
/// same unit (bare numbers, except money).
fn magnitude(mean: f64, unit: Unit) -> (String, Box<dyn Fn(f64) -> String>) {
    match unit {
        Unit::Count => (num(mean.abs()), Box::new(num)),
        Unit::Money => (money(mean.abs()), Box::new(money)),
        Unit::Percent => (format!("{} points", num(mean.abs())), Box::new(num)),
        Unit::Share => (
            format!("{} points", num(mean.abs() * 100.0)),
            Box::new(|v| num(v * 100.0)),
        ),
        Unit::FixedTime {
            per_day,
            days: true,
        } => (
            format!("{} days", num(mean.abs() / per_day)),
            Box::new(move |v| num(v / per_day)),
        ),
        Unit::FixedTime { days: false, .. } => {
            (format!("{} hours", num(mean.abs())), Box::new(num))
        }
        Unit::Hours { per_day } => {
            if in_days(mean, per_day) {
                (
                    format!("{} days", num(mean.abs() / per_day)),
                    Box::new(move |v| num(v / per_day)),
                )
            } else {
                (format!("{} hours", num(mean.abs())), Box::new(num))
            }
        }
    }
}

/// Which way a difference goes, when its 95% interval excludes zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Unclear,
}

pub fn direction(d: &Summary) -> Direction {
    let certain = d.n >= 2 && d.mean.is_finite() && d.sd == 0.0 && d.mean != 0.0;
    let clear = d.mean.is_finite() && d.ci95_low.is_finite() && d.excludes_zero();
    if clear || certain {
        if d.mean > 0.0 {
            Direction::Up
        } else {
            Direction::Down
        }
    } else {
        Direction::Unclear
    }
}

/// The unit word that follows bare interval ends.
fn suffix(mean: f64, unit: Unit) -> &'static str {
    match unit {
        Unit::Hours { per_day } if in_days(mean, per_day) => " days",
        Unit::Hours { .. } => " hours",
        Unit::FixedTime { days: true, .. } => " days",
        Unit::FixedTime { days: false, .. } => " hours",
        Unit::Percent | Unit::Share => " points",
        Unit::Count | Unit::Money => "",
    }
}

fn signed_end(v: f64, end: &dyn Fn(f64) -> String) -> String {
    if v > 0.0 {
        format!("+{}", end(v))
    } else {
        end(v)
    }
}

/// A paired difference (after minus before) in plain words, with its 95% interval.
pub fn difference_sentence(d: &Summary, unit: Unit, phrase: &Phrase) -> String {
    if !d.mean.is_finite() {
        return format!("{NA}: not measured in both designs");
    }
    if d.mean == 0.0 && (d.sd == 0.0 || !d.sd.is_finite()) {
        return "no difference".into();
    }
    let (size, end) = magnitude(d.mean, unit);
    let template = if d.mean > 0.0 {
        phrase.more
    } else {
        phrase.less
    };
    let words = template.replace("{v}", &size);
    if d.n < 2 || !d.ci95_low.is_finite() || !d.ci95_high.is_finite() {
        return format!("{words} (too few trials for an interval)");
    }
    if d.sd == 0.0 {
        return format!("{words} (in every trial)");
    }
    if !d.excludes_zero() {
        let (lo, hi) = (signed_end(d.ci95_low, &end), signed_end(d.ci95_high, &end));
        return format!("no clear difference ({lo} to {hi}{})", suffix(d.mean, unit));
    }
    let (lo, hi) = (d.ci95_low.abs(), d.ci95_high.abs());
    format!("{words} ({} to {})", end(lo.min(hi)), end(lo.max(hi)))
}

/// A difference as signed numbers: "+3.20 days (+2.90 to +3.50)"; "n/a" when missing.
pub fn signed(d: &Summary, unit: Unit) -> String {
    if !d.mean.is_finite() {
        return NA.into();
    }
    let (_, end) = magnitude(d.mean, unit);
    let mean = signed_end(d.mean, &end);
    let unit_word = suffix(d.mean, unit);
    if d.n >= 2 && d.sd > 0.0 && d.ci95_low.is_finite() && d.ci95_high.is_finite() {
        let (lo, hi) = (signed_end(d.ci95_low, &end), signed_end(d.ci95_high, &end));
        format!("{mean}{unit_word} ({lo} to {hi})")
    } else {
        format!("{mean}{unit_word}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(mean: f64, low: f64, high: f64) -> Summary {
        Summary {
            n: 20,
            mean,
            sd: 1.0,
            ci95_low: low,
            ci95_high: high,
            p5: low,
            p50: mean,
            p95: high,
        }
    }

    const QUOTES: Phrase = Phrase {
        more: "quotes go out {v} later",
        less: "quotes go out {v} sooner",
    };
    const COST: Phrase = Phrase {
        more: "staffing costs {v} more a year",
        less: "staffing costs {v} less a year",
    };

    #[test]
    fn a_negative_difference_reads_as_less() {
        let unit = Unit::Hours { per_day: 8.0 };
        let s = difference_sentence(&diff(-25.6, -28.0, -23.2), unit, &QUOTES);
        assert_eq!(s, "quotes go out 3.20 days sooner (2.90 to 3.50)");
        let s = difference_sentence(&diff(-1.0e6, -1.1e6, -0.9e6), Unit::Money, &COST);
        assert_eq!(s, "staffing costs $1M less a year ($900k to $1.1M)");
        assert_eq!(direction(&diff(-1.0, -1.5, -0.5)), Direction::Down);
    }

    #[test]
    fn a_positive_difference_reads_as_more() {
        let unit = Unit::Hours { per_day: 8.0 };
        let s = difference_sentence(&diff(2.0, 1.0, 3.0), unit, &QUOTES);
        assert_eq!(s, "quotes go out 2 hours later (1 to 3)");
        assert_eq!(direction(&diff(2.0, 1.0, 3.0)), Direction::Up);
    }

    #[test]
    fn an_interval_straddling_zero_is_no_clear_difference() {
        let d = diff(0.2, -0.3, 0.7);
        let s = difference_sentence(&d, Unit::Count, &QUOTES);
        assert_eq!(s, "no clear difference (\u{2212}0.300 to +0.700)");
        assert_eq!(direction(&d), Direction::Unclear);
        let s = difference_sentence(&d, Unit::Percent, &COST);
        assert!(s.ends_with(" points)"), "{s}");
        assert_eq!(signed(&d, Unit::Count), "+0.200 (\u{2212}0.300 to +0.700)");
        let s = signed(&diff(-25.6, -28.0, -23.2), Unit::Hours { per_day: 8.0 });
        assert_eq!(s, "\u{2212}3.20 days (\u{2212}3.50 to \u{2212}2.90)");
        assert_eq!(signed(&Summary::of(&[]), Unit::Money), "n/a");
    }

    #[test]
    fn missing_and_certain_differences() {
        let none = Summary::of(&[]);
        let s = difference_sentence(&none, Unit::Count, &QUOTES);
        assert!(s.starts_with("n/a"), "{s}");
        assert!(!s.contains("NaN"));
        assert_eq!(direction(&none), Direction::Unclear);
        let same = Summary::of(&[-5.0, -5.0, -5.0]);
        let s = difference_sentence(&same, Unit::Money, &COST);
        assert_eq!(s, "staffing costs $5 less a year (in every trial)");
        assert_eq!(direction(&same), Direction::Down);
        let zero = Summary::of(&[0.0, 0.0]);
        assert_eq!(
            difference_sentence(&zero, Unit::Money, &COST),
            "no difference"
        );
        let one = Summary::of(&[2.0]);
        let s = difference_sentence(&one, Unit::Count, &QUOTES);
        assert_eq!(s, "quotes go out 2 later (too few trials for an interval)");
        assert_eq!(direction(&one), Direction::Unclear);
    }
}
