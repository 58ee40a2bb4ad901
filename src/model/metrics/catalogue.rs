//! The metric catalogue: every metric's name, unit, kind, direction and label, defined
//! once. Reports, sweeps, constraints and flags look metrics up here, never by a name
//! written out elsewhere.

use std::collections::HashMap;
use std::fmt;

/// What a metric measures; it decides how its values and their differences read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number of things at a moment or in a trial (managers, open leads).
    Count,
    /// Things per unit of time (meetings per week).
    Rate,
    /// A span of working time.
    Duration,
    /// A part of a whole: a fraction in [0, 1] or a percentage in [0, 100].
    Share,
    /// Dollars.
    Money,
}

/// The unit of a metric's values, as its name states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain number of things.
    Number,
    PerWeek,
    /// Working hours (a day is `calendar.hours_per_day`).
    Hours,
    /// A fraction between 0 and 1.
    Fraction,
    /// A percentage between 0 and 100; differences are points.
    Percent,
    Dollars,
    DollarsPerYear,
}

impl Unit {
    /// The unit in words, for help text and documentation.
    pub fn words(self) -> &'static str {
        match self {
            Unit::Number => "number",
            Unit::PerWeek => "per week",
            Unit::Hours => "working hours",
            Unit::Fraction => "fraction (0 to 1)",
            Unit::Percent => "percent",
            Unit::Dollars => "dollars",
            Unit::DollarsPerYear => "dollars a year",
        }
    }

    /// The range every value lies in, where the unit bounds it.
    pub fn bounds(self) -> Option<(f64, f64)> {
        match self {
            Unit::Fraction => Some((0.0, 1.0)),
            Unit::Percent => Some((0.0, 100.0)),
            _ => None,
        }
    }
}

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither way is better in itself (leads created, utilization).
    Neither,
}

/// Whether a metric is one number for the team, or one per funnel step, role or
/// segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Team,
    Step,
    Role,
    /// One per office: `offices.NAME.KEY`.
    Office,
    /// One per office and role with people per office: `offices.NAME.roles.ROLE.KEY`;
    /// the subject is `OFFICE.ROLE`.
    OfficeRole,
    /// One per customer segment (`segments.NAME.*`), when the scenario has segments.
    Segment,
}

/// One metric, or one per step or role: the definition everything else refers to.
#[derive(Debug, PartialEq, Eq)]
pub struct Def {
    /// The name after the scope's prefix: `meetings_per_week`, or
    /// `wait_hours.mean` in `steps.NAME.wait_hours.mean`.
    pub key: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    pub unit: Unit,
    pub better: Better,
    /// Plain words; a step or role metric's label follows the step or role name.
    pub label: &'static str,
}

impl Def {
    /// For a metric that is a quantile of each trial's own distribution
    /// (`quote_lead_time_hours.p90`: every trial's p90, then summarised across trials,
    /// so its mean is the average of the trials' p90s), the quantile's name and level:
    /// `("p90", 0.9)`. `None` for every other metric.
    pub fn within_trial_quantile(&self) -> Option<(&'static str, f64)> {
        let key: &'static str = self.key;
        let (_, q) = key.rsplit_once('.')?;
        let level = match q {
            "p50" => 0.5,
            "p90" => 0.9,
            "p95" => 0.95,
            _ => return None,
        };
        Some((q, level))
    }
}

macro_rules! defs {
    ($($(#[$doc:meta])* $id:ident = $scope:ident $key:literal, $kind:ident, $unit:ident, $better:ident, $label:literal;)*) => {
        $($(#[$doc])* pub const $id: &Def = &Def {
            key: $key,
            scope: Scope::$scope,
            kind: Kind::$kind,
            unit: Unit::$unit,
            better: Better::$better,
            label: $label,
        };)*
        /// Every definition, in the order a trial reports them (team, then each
        /// step's, then each role's, then each segment's).
        pub const ALL: &[&Def] = &[$($id),*];
    };
}

defs! {
    MEETINGS_PER_WEEK = Team "meetings_per_week", Rate, PerWeek, Higher, "Meetings per week";
    MEETINGS_PER_SELLER = Team "meetings_per_week_per_seller", Rate, PerWeek, Higher, "Meetings per seller-week";
    QUOTE_MEAN = Team "quote_lead_time_hours.mean", Duration, Hours, Lower, "Quote lead time, mean";
    QUOTE_P50 = Team "quote_lead_time_hours.p50", Duration, Hours, Lower, "Quote lead time, p50";
    QUOTE_P90 = Team "quote_lead_time_hours.p90", Duration, Hours, Lower, "Quote lead time, p90";
    QUOTE_P95 = Team "quote_lead_time_hours.p95", Duration, Hours, Lower, "Quote lead time, p95";
    QUOTES_OVER_TARGET = Team "quotes_over_target_pct", Share, Percent, Lower, "Quotes over target";
    SERVICE_MEAN = Team "service_response_hours.mean", Duration, Hours, Lower, "Service response, mean";
    SERVICE_P50 = Team "service_response_hours.p50", Duration, Hours, Lower, "Service response, p50";
    SERVICE_WAIT = Team "service_wait_hours.mean", Duration, Hours, Lower, "Service wait before first work, mean";
    SERVICE_P90 = Team "service_response_hours.p90", Duration, Hours, Lower, "Service response, p90";
    SERVICE_OVER_TARGET = Team "service_over_target_pct", Share, Percent, Lower, "Service over target";
    LEADS_CREATED = Team "leads_created_per_week", Rate, PerWeek, Neither, "Leads created per week";
    DEALS_WON = Team "deals_won_per_week", Rate, PerWeek, Higher, "Deals won per week";
    WIN_RATE = Team "win_rate", Share, Fraction, Higher, "Win rate";
    REVENUE = Team "revenue_per_year", Money, DollarsPerYear, Higher, "Revenue per year";
    SALES_CYCLE = Team "sales_cycle_hours.mean", Duration, Hours, Lower, "Sales cycle, mean";
    FIRST_CONTACT = Team "first_contact_hours.mean", Duration, Hours, Lower, "First contact after";
    LEADS_COLD = Team "leads_gone_cold_per_week", Rate, PerWeek, Lower, "Leads gone cold per week";
    LEADS_IN_SYSTEM = Team "leads_in_system.mean", Count, Number, Neither, "Leads in the system";
    LEAD_TIME_IN_SYSTEM = Team "lead_time_in_system_hours.mean", Duration, Hours, Lower, "Time a lead spends open";
    STAFFING_COST = Team "staffing_cost_per_year", Money, DollarsPerYear, Lower, "Staffing cost per year";
    STAFFING_ROLES = Team "staffing_cost.roles_per_year", Money, DollarsPerYear, Lower, "Staffing cost of people in roles";
    STAFFING_MANAGEMENT = Team "staffing_cost.management_per_year", Money, DollarsPerYear, Lower, "Staffing cost of management";
    STAFFING_OFFICES = Team "staffing_cost.offices_per_year", Money, DollarsPerYear, Lower, "Cost of offices";
    MANAGERS = Team "managers", Count, Number, Neither, "Managers";
    COST_PER_MEETING = Team "cost_per_meeting", Money, Dollars, Lower, "Cost per meeting";
    COST_OF_SALES = Team "cost_of_sales_pct", Share, Percent, Lower, "Cost of sales";
    SELLERS_BELOW_TARGET = Team "sellers_below_meeting_target_pct", Share, Percent, Lower, "Sellers below meeting target";
    /// Revenue times its gross margin (per segment where segments give their own);
    /// only when every lead's revenue has a margin.
    GROSS_PROFIT = Team "gross_profit_per_year", Money, DollarsPerYear, Higher, "Gross profit per year";
    /// Gross profit less the staffing cost.
    CONTRIBUTION = Team "contribution_per_year", Money, DollarsPerYear, Higher, "Contribution (gross profit less staffing cost) per year";
    /// Leads lost because no contact attempt reached them; only with `attempts`.
    LEADS_UNREACHED = Team "leads_unreached_per_week", Rate, PerWeek, Lower, "Leads never reached per week";
    STEP_LEAD_MEAN = Step "lead_time_hours.mean", Duration, Hours, Lower, "lead time, mean";
    STEP_LEAD_P50 = Step "lead_time_hours.p50", Duration, Hours, Lower, "lead time, p50";
    STEP_LEAD_P90 = Step "lead_time_hours.p90", Duration, Hours, Lower, "lead time, p90";
    STEP_LEAD_P95 = Step "lead_time_hours.p95", Duration, Hours, Lower, "lead time, p95";
    STEP_WAIT = Step "wait_hours.mean", Duration, Hours, Lower, "wait, mean";
    STEP_DONE = Step "completed_per_week", Rate, PerWeek, Neither, "done per week";
    /// Items of the step requested and not done when the trial ends (per trial,
    /// whenever requested): they are missing from its lead-time metrics.
    STEP_OPEN = Step "open_at_horizon", Count, Number, Neither, "open at the horizon";
    /// The mean lead time with every open item counted as done at the horizon: a lower
    /// bound of the mean over all the step's items, done and open.
    STEP_LEAD_WITH_OPEN = Step "lead_time_hours.mean_with_open", Duration, Hours, Lower, "lead time, mean counting open items as done at the horizon";
    UTILIZATION = Role "utilization", Share, Fraction, Neither, "utilization";
    SHARE_SELLING = Role "time_share.selling", Share, Fraction, Neither, "time selling";
    SHARE_TRAVEL = Role "time_share.travel", Share, Fraction, Neither, "time travelling";
    SHARE_QUOTING = Role "time_share.quoting", Share, Fraction, Neither, "time quoting";
    SHARE_SERVICE = Role "time_share.service", Share, Fraction, Neither, "time on service";
    SHARE_ADMIN = Role "time_share.admin", Share, Fraction, Neither, "time on admin";
    SHARE_PROSPECTING = Role "time_share.prospecting", Share, Fraction, Neither, "time prospecting";
    SHARE_SWITCHING = Role "time_share.switching", Share, Fraction, Neither, "time switching between tasks";
    SHARE_IDLE = Role "time_share.idle", Share, Fraction, Neither, "time idle";
    /// Staffing cost in no office: central roles, and the managers above the offices.
    STAFFING_CENTRAL = Team "staffing_cost.central_per_year", Money, DollarsPerYear, Lower, "Staffing cost outside the offices";
    OFFICE_LEADS = Office "leads_created_per_week", Rate, PerWeek, Neither, "leads created per week";
    OFFICE_MEETINGS = Office "meetings_per_week", Rate, PerWeek, Higher, "meetings per week";
    OFFICE_DEALS = Office "deals_won_per_week", Rate, PerWeek, Higher, "deals won per week";
    OFFICE_WIN_RATE = Office "win_rate", Share, Fraction, Higher, "win rate";
    OFFICE_REVENUE = Office "revenue_per_year", Money, DollarsPerYear, Higher, "revenue per year";
    OFFICE_CYCLE = Office "sales_cycle_hours.mean", Duration, Hours, Lower, "sales cycle, mean";
    OFFICE_COLD = Office "leads_gone_cold_per_week", Rate, PerWeek, Lower, "leads gone cold per week";
    OFFICE_QUOTE_MEAN = Office "quote_lead_time_hours.mean", Duration, Hours, Lower, "quote lead time, mean";
    OFFICE_QUOTE_P90 = Office "quote_lead_time_hours.p90", Duration, Hours, Lower, "quote lead time, p90";
    OFFICE_SERVICE_MEAN = Office "service_response_hours.mean", Duration, Hours, Lower, "service response, mean";
    OFFICE_SERVICE_P90 = Office "service_response_hours.p90", Duration, Hours, Lower, "service response, p90";
    /// The office's people, their first-line managers and the office's own cost.
    OFFICE_STAFFING = Office "staffing_cost_per_year", Money, DollarsPerYear, Lower, "staffing cost per year";
    OFFICE_UTILIZATION = OfficeRole "utilization", Share, Fraction, Neither, "utilization";
    SEGMENT_LEADS = Segment "leads_created_per_week", Rate, PerWeek, Neither, "leads created per week";
    SEGMENT_MEETINGS = Segment "meetings_per_week", Rate, PerWeek, Higher, "meetings per week";
    SEGMENT_DEALS = Segment "deals_won_per_week", Rate, PerWeek, Higher, "deals won per week";
    SEGMENT_WIN_RATE = Segment "win_rate", Share, Fraction, Higher, "win rate";
    SEGMENT_REVENUE = Segment "revenue_per_year", Money, DollarsPerYear, Higher, "revenue per year";
    SEGMENT_CYCLE = Segment "sales_cycle_hours.mean", Duration, Hours, Lower, "sales cycle, mean";
    SEGMENT_QUOTE = Segment "quote_lead_time_hours.mean", Duration, Hours, Lower, "quote lead time, mean";
    /// Only for a segment whose revenue has a margin (its own or `[deals]`).
    SEGMENT_GROSS_PROFIT = Segment "gross_profit_per_year", Money, DollarsPerYear, Higher, "gross profit per year";
}

/// Time shares in the order of `scenario::Activity::ALL`, then idle.
pub const TIME_SHARES: [&Def; 8] = [
    SHARE_SELLING,
    SHARE_TRAVEL,
    SHARE_QUOTING,
    SHARE_SERVICE,
    SHARE_ADMIN,
    SHARE_PROSPECTING,
    SHARE_SWITCHING,
    SHARE_IDLE,
];

/// One metric of a scenario: a definition, and for a step or role metric the step or
/// role it measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Metric<'a> {
    pub def: &'static Def,
    /// The step or role name; empty for a team metric.
    pub subject: &'a str,
}

impl std::hash::Hash for Def {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
        (self.scope as u8).hash(state);
    }
}

impl Metric<'static> {
    /// A team metric.
    pub const fn team(def: &'static Def) -> Self {
        Metric { def, subject: "" }
    }
}

impl<'a> Metric<'a> {
    /// A step or role metric of `subject`.
    pub fn of(def: &'static Def, subject: &'a str) -> Self {
        Metric { def, subject }
    }

    /// Reads a metric name (`quote_lead_time_hours.p90`, `steps.quote.wait_hours.mean`);
    /// `None` for a name the catalogue does not have.
    pub fn parse(name: &'a str) -> Option<Metric<'a>> {
        if let Some(rest) = name.strip_prefix("offices.") {
            return Self::parse_office(rest);
        }
        for (prefix, scope) in [
            ("steps.", Scope::Step),
            ("roles.", Scope::Role),
            ("segments.", Scope::Segment),
        ] {
            if let Some(rest) = name.strip_prefix(prefix) {
                return ALL.iter().filter(|d| d.scope == scope).find_map(|&def| {
                    let subject = rest.strip_suffix(def.key)?.strip_suffix('.')?;
                    (!subject.is_empty()).then_some(Metric { def, subject })
                });
            }
        }
        ALL.iter()
            .find(|d| d.scope == Scope::Team && d.key == name)
            .map(|&def| Metric::team(def))
    }

    /// Reads what follows `offices.`: `NAME.KEY`, or `NAME.roles.ROLE.KEY` whose
    /// subject is `NAME.roles.ROLE` (the form an office-and-role subject always has).
    fn parse_office(rest: &'a str) -> Option<Metric<'a>> {
        ALL.iter().find_map(|&def| {
            let subject = rest.strip_suffix(def.key)?.strip_suffix('.')?;
            match def.scope {
                Scope::Office => (!subject.is_empty()).then_some(Metric { def, subject }),
                Scope::OfficeRole => {
                    let (office, role) = subject.split_once(".roles.")?;
                    (!office.is_empty() && !role.is_empty() && !office.contains('.'))
                        .then_some(Metric { def, subject })
                }
                _ => None,
            }
        })
    }

    /// For an office-and-role metric, its office and role names (from a subject
    /// `OFFICE.roles.ROLE`; a bare name stands for both, as `NAME` does in docs).
    pub fn office_and_role(&self) -> Option<(&'a str, &'a str)> {
        if self.def.scope != Scope::OfficeRole {
            return None;
        }
        Some(
            self.subject
                .split_once(".roles.")
                .unwrap_or((self.subject, self.subject)),
        )
    }

    /// The label in plain words: "Win rate", "quote: wait, mean".
    pub fn label(&self) -> String {
        match self.def.scope {
            Scope::Team => self.def.label.to_string(),
            Scope::OfficeRole => {
                let (office, role) = self.office_and_role().unwrap_or_default();
                format!("{office}, {role}: {}", self.def.label)
            }
            _ => format!("{}: {}", self.subject, self.def.label),
        }
    }
}

impl fmt::Display for Metric<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.def.scope {
            Scope::Team => f.write_str(self.def.key),
            Scope::Step => write!(f, "steps.{}.{}", self.subject, self.def.key),
            Scope::Role => write!(f, "roles.{}.{}", self.subject, self.def.key),
            Scope::Office => write!(f, "offices.{}.{}", self.subject, self.def.key),
            Scope::OfficeRole => {
                let (office, role) = self.office_and_role().unwrap_or_default();
                write!(f, "offices.{office}.roles.{role}.{}", self.def.key)
            }
            Scope::Segment => write!(f, "segments.{}.{}", self.subject, self.def.key),
        }
    }
}

/// The metrics of one scenario, in the order of every trial's values, with their
/// names; looked up by metric or by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    /// (definition, step or role name) in trial order.
    entries: Vec<(&'static Def, String)>,
    names: Vec<String>,
    by_name: HashMap<String, usize>,
}

/// A metric name the catalogue does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a salesim metric")]
pub struct UnknownMetric(pub String);

impl Catalogue {
    /// Adds a metric at the end.
    pub fn push(&mut self, def: &'static Def, subject: &str) {
        let name = Metric::of(def, subject).to_string();
        self.by_name.insert(name.clone(), self.names.len());
        self.names.push(name);
        self.entries.push((def, subject.to_string()));
    }

    /// The catalogue of metrics known only by name (read back from a file).
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Catalogue, UnknownMetric> {
        let mut catalogue = Catalogue::default();
        for name in names {
            let name = name.as_ref();
            let metric = Metric::parse(name).ok_or_else(|| UnknownMetric(name.to_string()))?;
            catalogue.push(metric.def, metric.subject);
        }
        Ok(catalogue)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Metric names in trial order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The metric at `index`.
    pub fn metric(&self, index: usize) -> Metric<'_> {
        let (def, subject) = &self.entries[index];
        Metric::of(def, subject)
    }

    /// Metrics in trial order.
    pub fn iter(&self) -> impl Iterator<Item = Metric<'_>> {
        self.entries
            .iter()
            .map(|(def, subject)| Metric::of(def, subject))
    }

    /// Position of `metric`, if this scenario has it.
    pub fn position(&self, metric: Metric<'_>) -> Option<usize> {
        if metric.def.scope == Scope::Team {
            return self.entries.iter().position(|(d, _)| *d == metric.def);
        }
        self.entries
            .iter()
            .position(|(d, s)| *d == metric.def && s == metric.subject)
    }

    /// Position of the metric named `name`.
    pub fn position_of_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The step or role names that have metric `def`, in order.
    pub fn subjects(&self, def: &'static Def) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |(d, _)| *d == def)
            .map(|(_, s)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_metric() {
        for &def in ALL {
            let subject = match def.scope {
                Scope::Team => "",
                Scope::OfficeRole => "in.roles.side",
                _ => "in.side",
            };
            let metric = Metric::of(def, subject);
            let name = metric.to_string();
            assert_eq!(Metric::parse(&name), Some(metric), "{name}");
        }
    }

    #[test]
    fn keys_are_unique_within_a_scope() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert!(a.scope != b.scope || a.key != b.key, "{} twice", a.key);
            }
        }
    }

    #[test]
    fn unknown_and_misspelt_names_are_refused() {
        for name in [
            "staffing_cost_per_yer",
            "steps..wait_hours.mean",
            "steps.quote.wait_hours",
            "roles.x.time_share.lunch",
            "meetings_per_week.mean",
        ] {
            assert_eq!(Metric::parse(name), None, "{name}");
        }
        assert!(Catalogue::from_names(&["win_rate", "nope"]).is_err());
    }

    #[test]
    fn time_shares_follow_the_activities() {
        for activity in crate::scenario::Activity::ALL {
            let key = TIME_SHARES[activity.index()].key;
            assert_eq!(key, format!("time_share.{}", activity.name()));
        }
        assert_eq!(TIME_SHARES[7], SHARE_IDLE);
    }

    #[test]
    fn within_trial_quantiles_are_the_lead_time_quantiles() {
        let quantiles: Vec<&str> = ALL
            .iter()
            .filter(|d| d.within_trial_quantile().is_some())
            .map(|d| d.key)
            .collect();
        assert_eq!(quantiles.len(), 10, "{quantiles:?}");
        assert_eq!(QUOTE_P90.within_trial_quantile(), Some(("p90", 0.9)));
        assert_eq!(QUOTE_MEAN.within_trial_quantile(), None);
    }

    #[test]
    fn bounded_units_say_their_bounds() {
        for &def in ALL {
            if def.kind == Kind::Share {
                assert!(def.unit.bounds().is_some(), "{}", def.key);
            }
        }
    }
}
