//! The working-hours clock: time is a continuous count of working hours, with no nights
//! or weekends. A task running past the end of a day continues the next morning.

/// Converts between working hours and working days and weeks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkCalendar {
    pub hours_per_day: f64,
    pub days_per_week: f64,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar {
            hours_per_day: 8.0,
            days_per_week: 5.0,
        }
    }
}

impl WorkCalendar {
    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_day * self.days_per_week
    }

    /// Working hours in a calendar year of 52 weeks.
    pub fn hours_per_year(&self) -> f64 {
        self.hours_per_week() * 52.0
    }

    /// Zero-based index of the working day containing `hours`.
    pub fn day_of(&self, hours: f64) -> u64 {
        (hours / self.hours_per_day).floor().max(0.0) as u64
    }

    /// Zero-based index of the working week containing `hours`.
    pub fn week_of(&self, hours: f64) -> u64 {
        (hours / self.hours_per_week()).floor().max(0.0) as u64
    }

    pub fn start_of_day(&self, day: u64) -> f64 {
        day as f64 * self.hours_per_day
    }

    pub fn start_of_week(&self, week: u64) -> f64 {
        week as f64 * self.hours_per_week()
    }

    pub fn days_to_hours(&self, days: f64) -> f64 {
        days * self.hours_per_day
    }

    pub fn weeks_to_hours(&self, weeks: f64) -> f64 {
        weeks * self.hours_per_week()
    }

    pub fn hours_to_days(&self, hours: f64) -> f64 {
        hours / self.hours_per_day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_weeks_follow_the_working_clock() {
        let calendar = WorkCalendar::default();
        assert_eq!(calendar.hours_per_week(), 40.0);
        assert_eq!(calendar.day_of(7.99), 0);
        assert_eq!(calendar.day_of(8.0), 1);
        assert_eq!(calendar.week_of(39.9), 0);
        assert_eq!(calendar.week_of(40.0), 1);
        assert_eq!(calendar.start_of_day(3), 24.0);
    }
}
