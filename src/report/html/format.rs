//! Human formatting of numbers for the HTML report: "n/a" for missing values, three
//! significant digits, money as $1.23M, and working hours shown with working days.

use crate::model::metrics::{self, Def};

/// What a missing value is shown as: never "NaN".
pub const NA: &str = "n/a";

/// How a metric's values read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A plain quantity (meetings, deals, leads).
    Count,
    /// Working hours, also shown in working days of `per_day` hours.
    Hours { per_day: f64 },
    /// Working hours always shown in working days (`days`) or always in hours, so that
    /// every value and difference of one card reads in one unit.
    FixedTime { per_day: f64, days: bool },
    /// Dollars.
    Money,
    /// A value already in percent (cost of sales %); differences are points.
    Percent,
    /// A share between 0 and 1 (win rate, utilization), shown in percent.
    Share,
}

/// A unit before the length of a working day is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    Hours,
    Money,
    Percent,
    Share,
}

impl Kind {
    /// How a catalogue metric reads.
    pub fn of(def: &Def) -> Kind {
        match (def.kind, def.unit) {
            (metrics::Kind::Duration, _) => Kind::Hours,
            (metrics::Kind::Money, _) => Kind::Money,
            (metrics::Kind::Share, metrics::Unit::Percent) => Kind::Percent,
            (metrics::Kind::Share, _) => Kind::Share,
            (metrics::Kind::Count | metrics::Kind::Rate, _) => Kind::Count,
        }
    }

    pub fn unit(self, per_day: f64) -> Unit {
        match self {
            Kind::Count => Unit::Count,
            Kind::Hours => Unit::Hours { per_day },
            Kind::Money => Unit::Money,
            Kind::Percent => Unit::Percent,
            Kind::Share => Unit::Share,
        }
    }
}
/// `v` rounded to `digits` significant digits (at most three decimals), with thousands
/// separators; the sign is left to the caller (`v` should be at least zero).
fn sig(v: f64, digits: i32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let mut magnitude = v.log10().floor() as i32;
    let scale = 10f64.powi(digits - 1 - magnitude);
    if (v * scale).round() / scale >= 10f64.powi(magnitude + 1) {
        magnitude += 1;
    }
    let decimals = (digits - 1 - magnitude).clamp(0, 3) as usize;
    let text = format!("{v:.decimals$}");
    if decimals > 0 { text } else { group(&text) }
}

/// Digits with thousands separators.
fn group(text: &str) -> String {
    let mut grouped = String::new();
    for (i, ch) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

fn sign(v: f64) -> &'static str {
    if v < 0.0 { "\u{2212}" } else { "" }
}

/// A number to three significant digits ("4" for a whole number), "n/a" when it does
/// not exist.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return NA.into();
    }
    if (v - v.round()).abs() < 1e-9 * v.abs().max(1.0) {
        return format!("{}{}", sign(v), group(&format!("{:.0}", v.abs())));
    }
    format!("{}{}", sign(v), sig(v.abs(), 3))
}

/// Text without the trailing zeros of its first decimal number: "2.50M" to "2.5M",
/// "80.0" to "80" (for axis ticks and targets).
pub fn trim_zeros(text: &str) -> String {
    let Some(dot) = text.find('.') else {
        return text.to_string();
    };
    let digits = text[dot + 1..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(text.len(), |i| dot + 1 + i);
    let kept = text[..digits].trim_end_matches('0').trim_end_matches('.');
    format!("{kept}{}", &text[digits..])
}

/// A number in its shortest readable form: "20", "2.5", "0.25".
pub fn short(v: f64) -> String {
    trim_zeros(&num(v))
}

/// Dollars, compactly: $1.23M, $850k, $950; "n/a" when missing.
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return NA.into();
    }
    let a = v.abs();
    for (size, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] {
        // 999.7k rounds to 1.00M: move up a unit before rounding shows "1,000k".
        if a >= size * 0.9995 {
            return format!("{}${}{suffix}", sign(v), exact(a / size));
        }
    }
    format!("{}${}", sign(v), exact(a))
}

/// Three significant digits, without trailing zeros when those digits are exact
/// ("72k", not "72.0k"; but "1.00M" for 999,700).
fn exact(v: f64) -> String {
    let text = sig(v, 3);
    let shown: f64 = text.replace(',', "").parse().unwrap_or(f64::NAN);
    if (shown - v).abs() <= 1e-9 * v.abs().max(1.0) {
        trim_zeros(&text)
    } else {
        text
    }
}

/// A share (0 to 1) in percent: "85%", "3.2%".
pub fn share(v: f64) -> String {
    percent(v * 100.0)
}

/// A value already in percent.
pub fn percent(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", num(v))
    } else {
        NA.into()
    }
}

/// Whether a duration of `hours` reads better in working days.
pub fn in_days(hours: f64, per_day: f64) -> bool {
    hours.abs() >= per_day
}

/// A duration in working days or hours, whichever reads better: "3.2 days", "5.1 hours".
pub fn duration(hours: f64, per_day: f64) -> String {
    if !hours.is_finite() {
        NA.into()
    } else if in_days(hours, per_day) {
        plural(num(hours / per_day), "day")
    } else {
        plural(num(hours), "hour")
    }
}

/// A duration in days or in hours, as asked.
pub fn fixed_time(hours: f64, per_day: f64, days: bool) -> String {
    if !hours.is_finite() {
        NA.into()
    } else if days {
        plural(num(hours / per_day), "day")
    } else {
        plural(num(hours), "hour")
    }
}

/// The unit of a card showing durations up to `largest` hours: days when it runs to a
/// day, else hours.
pub fn time_unit(largest: f64, per_day: f64) -> Unit {
    Unit::FixedTime {
        per_day,
        days: in_days(largest, per_day),
    }
}

/// "1 day", "2 days", "1.50 days".
fn plural(number: String, unit: &str) -> String {
    if number == "1" {
        format!("1 {unit}")
    } else {
        format!("{number} {unit}s")
    }
}

/// A value in its unit.
pub fn value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => num(v),
        Unit::Hours { per_day } => duration(v, per_day),
        Unit::FixedTime { per_day, days } => fixed_time(v, per_day, days),
        Unit::Money => money(v),
        Unit::Percent => percent(v),
        Unit::Share => share(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(num(f64::NAN), "n/a");
        assert_eq!(num(f64::INFINITY), "n/a");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(3.45678), "3.46");
        assert_eq!(num(61.27), "61.3");
        assert_eq!(num(9.996), "10.0");
        assert_eq!(num(213.4), "213");
        assert_eq!(num(1234.6), "1,235");
        assert_eq!(num(-2.5), "\u{2212}2.50");
        assert_eq!(num(1234567.0), "1,234,567");
        assert_eq!(num(4.0), "4");
        assert_eq!(num(0.85 * 100.0), "85");
        assert_eq!(short(80.0), "80");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(trim_zeros("$2.50M"), "$2.5M");
        assert_eq!(trim_zeros("$3.00M"), "$3M");
        assert_eq!(trim_zeros("1,250"), "1,250");
    }

    #[test]
    fn money_is_compact() {
        assert_eq!(money(f64::NAN), "n/a");
        assert_eq!(money(1_234_000.0), "$1.23M");
        assert_eq!(money(850_000.0), "$850k");
        assert_eq!(money(950.0), "$950");
        assert_eq!(money(999_700.0), "$1.00M");
        assert_eq!(money(-1_000_000.0), "\u{2212}$1M");
        assert_eq!(money(1_500_000.0), "$1.5M");
        assert_eq!(money(72_000.0), "$72k");
        assert_eq!(money(3.3e9), "$3.3B");
        assert_eq!(money(3.333e9), "$3.33B");
    }

    #[test]
    fn durations_show_days_for_people() {
        assert_eq!(duration(25.6, 8.0), "3.20 days");
        assert_eq!(duration(5.0, 8.0), "5 hours");
        assert_eq!(duration(8.0, 8.0), "1 day");
        assert_eq!(duration(1.0, 8.0), "1 hour");
        assert_eq!(duration(5.5, 8.0), "5.50 hours");
        assert_eq!(duration(f64::NAN, 8.0), "n/a");
        assert_eq!(fixed_time(4.0, 8.0, true), "0.500 days");
        assert_eq!(fixed_time(25.6, 8.0, false), "25.6 hours");
        assert_eq!(percent(f64::NAN), "n/a");
        assert_eq!(share(0.853), "85.3%");
    }
}
