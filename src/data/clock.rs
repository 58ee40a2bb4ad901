//! Calendar time to working hours: ISO 8601 dates and date-times (parsed by `jiff`)
//! placed on the scenario's working clock, with nights and weekends removed.
//!
//! The working day starts at 09:00 and lasts `calendar.hours_per_day`; the working
//! week is the first `calendar.days_per_week` days from Monday (rounded to whole days).
//! A moment at night or at a weekend is moved to the next working moment, so a stage
//! entered on Saturday counts from Monday morning. A date without a time stands for the
//! middle of that working day: the time of day is unknown, and the middle makes the
//! error in a difference of two dates zero on average.

use jiff::civil::{Date, DateTime};

use crate::engine::WorkCalendar;

/// The hour the working day starts, in calendar time.
pub const DAY_START_HOUR: f64 = 9.0;

/// A moment read from the export: a date-time, or a date with no time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    At(DateTime),
    On(Date),
}

impl When {
    pub fn date(self) -> Date {
        match self {
            When::At(dt) => dt.date(),
            When::On(d) => d,
        }
    }
}

/// Parses an ISO 8601 date (`2026-01-05`) or date-time (`2026-01-05T14:30:00`, a space
/// for the `T`, an offset or `Z` allowed). An offset is dropped (the local wall-clock
/// time is what the working day is measured in); `Z` is read as UTC wall-clock time.
pub fn parse_when(text: &str) -> Result<When, String> {
    let text = text.trim();
    if let Ok(dt) = text.parse::<DateTime>() {
        // A bare date parses as a date-time at midnight: keep that it had no time.
        if text.len() <= 10 {
            return Ok(When::On(dt.date()));
        }
        return Ok(When::At(dt));
    }
    if let Ok(d) = text.parse::<Date>() {
        return Ok(When::On(d));
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(When::At(jiff::tz::Offset::UTC.to_datetime(ts)));
    }
    Err(format!(
        "`{text}` is not an ISO 8601 date or date-time (e.g. 2026-01-05 or 2026-01-05T14:30:00)"
    ))
}

/// The working clock of one history: hour 0 is 09:00 on the Monday of its first week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkClock {
    pub epoch: Date,
    pub hours_per_day: f64,
    pub days_per_week: i64,
}

impl WorkClock {
    /// A clock whose week 0 is the week of `first` (its Monday).
    pub fn starting_week_of(first: Date, calendar: &WorkCalendar) -> WorkClock {
        let back = i64::from(first.weekday().to_monday_zero_offset());
        let epoch = first
            .checked_sub(jiff::Span::new().days(back))
            .unwrap_or(first);
        WorkClock {
            epoch,
            hours_per_day: calendar.hours_per_day,
            days_per_week: (calendar.days_per_week.round() as i64).clamp(1, 7),
        }
    }

    /// A clock whose hour 0 is 09:00 on `monday` (a date that is not a Monday starts
    /// the week of that date).
    pub fn new(monday: Date, calendar: &WorkCalendar) -> WorkClock {
        WorkClock::starting_week_of(monday, calendar)
    }

    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_day * self.days_per_week as f64
    }

    /// Working hours from the epoch to `when` (negative before it).
    pub fn hours(&self, when: When) -> f64 {
        let (date, time_of_day) = match when {
            When::At(dt) => {
                let t = dt.time();
                let hours = f64::from(t.hour())
                    + f64::from(t.minute()) / 60.0
                    + f64::from(t.second()) / 3600.0
                    + f64::from(t.subsec_nanosecond()) / 3.6e12;
                (
                    dt.date(),
                    (hours - DAY_START_HOUR).clamp(0.0, self.hours_per_day),
                )
            }
            When::On(d) => (d, self.hours_per_day / 2.0),
        };
        let days = date.duration_since(self.epoch).as_secs().div_euclid(86_400);
        let (week, weekday) = (days.div_euclid(7), days.rem_euclid(7));
        if weekday >= self.days_per_week {
            // A weekend: the next working moment is Monday morning.
            return (week + 1) as f64 * self.hours_per_week();
        }
        week as f64 * self.hours_per_week() + weekday as f64 * self.hours_per_day + time_of_day
    }

    /// The calendar moment `hours` working hours after the epoch, to the second: the
    /// inverse of [`WorkClock::hours`] on working moments.
    pub fn at(&self, hours: f64) -> DateTime {
        let hours = hours.max(0.0);
        let week = (hours / self.hours_per_week()).floor();
        let in_week = hours - week * self.hours_per_week();
        let day = ((in_week / self.hours_per_day).floor() as i64).min(self.days_per_week - 1);
        let in_day = in_week - day as f64 * self.hours_per_day;
        let seconds = ((DAY_START_HOUR + in_day) * 3600.0).round() as i64;
        let date = self
            .epoch
            .checked_add(jiff::Span::new().days(week as i64 * 7 + day))
            .unwrap_or(self.epoch);
        date.to_datetime(jiff::civil::Time::midnight())
            .checked_add(jiff::SignedDuration::from_secs(seconds))
            .unwrap_or(date.to_datetime(jiff::civil::Time::midnight()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> WorkClock {
        let first: Date = "2026-01-07".parse().unwrap(); // a Wednesday
        WorkClock::starting_week_of(first, &WorkCalendar::default())
    }

    fn at(text: &str) -> f64 {
        clock().hours(parse_when(text).unwrap())
    }

    #[test]
    fn the_epoch_is_monday_morning() {
        assert_eq!(clock().epoch.to_string(), "2026-01-05");
        assert_eq!(at("2026-01-05T09:00:00"), 0.0);
        assert_eq!(at("2026-01-05T13:30:00"), 4.5);
    }

    #[test]
    fn nights_and_weekends_are_removed() {
        // Friday 17:00 to Monday 09:00 is no working time at all.
        assert_eq!(at("2026-01-09T17:00:00"), at("2026-01-12T09:00:00"));
        assert_eq!(at("2026-01-10T11:00:00"), 40.0);
        // Before 09:00 is the start of the day; after 17:00 its end.
        assert_eq!(at("2026-01-06T06:00:00"), 8.0);
        assert_eq!(at("2026-01-06T22:00:00"), 16.0);
        // A week later is one working week later.
        assert_eq!(at("2026-01-14T10:00:00") - at("2026-01-07T10:00:00"), 40.0);
    }

    #[test]
    fn a_date_alone_is_the_middle_of_its_working_day() {
        assert_eq!(at("2026-01-06"), 12.0);
    }

    #[test]
    fn reads_offsets_spaces_and_utc() {
        assert_eq!(at("2026-01-05 10:00"), 1.0);
        assert_eq!(at("2026-01-05T10:00:00+01:00"), 1.0);
        assert_eq!(at("2026-01-05T10:00:00Z"), 1.0);
        assert!(parse_when("05/01/2026").is_err());
        assert!(parse_when("2026-13-01").is_err());
    }

    #[test]
    fn at_inverts_hours_on_working_moments() {
        let c = clock();
        for h in [0.0, 3.25, 7.999, 8.0, 39.5, 40.0, 1234.5678] {
            let back = c.hours(When::At(c.at(h)));
            assert!((back - h).abs() < 1.0 / 3600.0, "{h} -> {back}");
        }
    }
}
