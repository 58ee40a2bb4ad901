//! The raw scenario: a serde mirror of the TOML file, before any semantic check.
//!
//! Every table rejects unknown keys, so a typo is an error rather than a silently
//! ignored setting. Defaults that need no validation live here; everything that can be
//! wrong in a way the type system cannot see is checked in `validate`.

use std::collections::BTreeMap;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub use super::raw_segments::{RawAttempts, RawSegment};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    #[serde(default = "default_horizon_weeks")]
    pub horizon_weeks: f64,
    #[serde(default)]
    pub warmup_weeks: RawWarmup,
    #[serde(default)]
    pub calendar: RawCalendar,
    #[serde(default)]
    pub lead_sources: Vec<RawLeadSource>,
    #[serde(default)]
    pub leads: RawLeads,
    #[serde(default)]
    pub roles: BTreeMap<String, RawRole>,
    #[serde(default)]
    pub funnel: Vec<RawStep>,
    #[serde(default)]
    pub handoff: RawHandoff,
    #[serde(default)]
    pub deals: RawDeals,
    pub service: Option<RawService>,
    pub admin: Option<RawAdmin>,
    #[serde(default)]
    pub costs: RawCosts,
    #[serde(default)]
    pub targets: RawTargets,
    /// Regional offices by name (`[offices.NAME]`); none means one site.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub offices: BTreeMap<String, super::raw_offices::RawOffice>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub segments: BTreeMap<String, RawSegment>,
    /// A CSV of open opportunities every trial starts from (path relative to the
    /// scenario file), read by `salesim::data::pipeline` when the scenario is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_pipeline: Option<String>,
    /// `initial_pipeline_map = { COLUMN = "Header", "stage:VALUE" = "step" }`: the
    /// `initial_pipeline` file's headers (and stage values), as `--map` gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_pipeline_map: Option<BTreeMap<String, String>>,
    /// `[[changes]]`: the timeline inside the scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<super::changes::RawChange>,
}

fn default_horizon_weeks() -> f64 {
    52.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default = "default_hours_per_day")]
    pub hours_per_day: f64,
    #[serde(default = "default_days_per_week")]
    pub days_per_week: f64,
}

impl Default for RawCalendar {
    fn default() -> Self {
        RawCalendar {
            hours_per_day: default_hours_per_day(),
            days_per_week: default_days_per_week(),
        }
    }
}

fn default_hours_per_day() -> f64 {
    8.0
}

fn default_days_per_week() -> f64 {
    5.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Inbound,
    Prospecting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    #[default]
    Push,
    Pull,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assign {
    /// A uniformly random person of the role.
    #[default]
    Territory,
    RoundRobin,
    /// No owner: the first step's routing decides who takes the lead.
    Pool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeadSource {
    pub kind: SourceKind,
    pub rate_per_week: Option<f64>,
    /// Multipliers of the rate over equal parts of a 52-week year, cycled.
    pub seasonality: Option<Vec<f64>>,
    #[serde(default)]
    pub release: Release,
    pub assign: Option<Assign>,
    pub to_role: Option<String>,
    pub queue_target: Option<u32>,
    pub role: Option<String>,
    pub max_hours_per_week: Option<f64>,
    pub leads_per_hour: Option<f64>,
    /// Share of the source's leads arising in each office (`{ north = 0.5, ... }`).
    pub office_shares: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeads {
    pub shelf_life_days: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Booking {
    #[default]
    #[serde(rename = "self")]
    SelfBooked,
    Coordinator,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub headcount: super::raw_offices::RawHeadcount,
    #[serde(default)]
    pub annual_cost: f64,
    pub priority: Option<Vec<String>>,
    #[serde(default)]
    pub interrupted_by: Vec<String>,
    #[serde(default)]
    pub switch_cost_minutes: f64,
    #[serde(default)]
    pub assign: Option<Assign>,
    #[serde(default)]
    pub booking: Booking,
    pub booking_role: Option<String>,
    pub booking_minutes: Option<RawDist>,
    #[serde(default = "default_max_meetings_per_day")]
    pub max_meetings_per_day: u32,
    pub travel_hours: Option<RawDist>,
    #[serde(default)]
    pub clustering: f64,
    #[serde(default)]
    pub admin_hours_per_week: f64,
    pub span_of_control: Option<u32>,
    /// First-line managers of this role, overriding `ceil(headcount / span_of_control)`.
    pub managers: Option<u32>,
    /// People over time: quits, refills and new hires' ramp (`[roles.NAME.people]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<RawPeople>,
}

/// `[roles.NAME.people]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeople {
    #[serde(default)]
    pub attrition_per_year: f64,
    #[serde(default)]
    pub hiring_delay_weeks: f64,
    pub ramp: Option<RawRamp>,
}

/// `ramp = { weeks, start }`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    pub weeks: f64,
    pub start: f64,
}

fn default_max_meetings_per_day() -> u32 {
    4
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    #[default]
    Task,
    Meeting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    #[default]
    Pool,
    Owner,
}

/// Where the time of a piece of work is counted in a role's time allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RawActivity {
    Selling,
    Quoting,
    Service,
    Admin,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub name: String,
    #[serde(default)]
    pub kind: StepKind,
    pub role: Option<String>,
    pub routing: Option<Routing>,
    #[serde(default)]
    pub quote: bool,
    pub activity: Option<RawActivity>,
    pub duration: Option<RawDist>,
    #[serde(default = "default_advance")]
    pub advance: f64,
    #[serde(default)]
    pub advance_decay_per_day: f64,
    pub count: Option<RawDist>,
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    pub customer_notice_days: Option<RawDist>,
    #[serde(default)]
    pub reschedule_probability: f64,
    /// Continuity: the step goes to whoever did the named earlier step for this lead.
    pub same_person_as: Option<String>,
    pub attempts: Option<RawAttempts>,
}

fn default_advance() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    pub name: Option<String>,
    pub share: f64,
    pub role: Option<String>,
    pub routing: Option<Routing>,
    pub duration: Option<RawDist>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHandoff {
    #[serde(default)]
    pub time_minutes: f64,
    #[serde(default)]
    pub win_loss: f64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeals {
    pub value: Option<RawDist>,
    /// Gross margin on revenue: absent, no profit metrics.
    pub gross_margin: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub rate_per_week: f64,
    pub role: Option<String>,
    pub routing: Option<Routing>,
    pub duration: Option<RawDist>,
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    pub escalation: Option<RawEscalation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    pub probability: f64,
    pub role: String,
    pub routing: Option<Routing>,
    pub duration: RawDist,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdmin {
    pub role: Option<String>,
    #[serde(default)]
    pub per_win_hours: f64,
    #[serde(default)]
    pub per_meeting_hours: f64,
    #[serde(default)]
    pub weekly_hours_per_person: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    #[serde(default = "default_span_of_control")]
    pub span_of_control: u32,
    #[serde(default)]
    pub manager_annual_cost: f64,
    /// `None` when not written (listing `[offices.NAME]` replaces it); listed as 0.
    #[serde(default, serialize_with = "super::raw_offices::zero_if_unset")]
    pub offices: Option<u32>,
    #[serde(default, serialize_with = "super::raw_offices::zero_if_unset")]
    pub office_annual_cost: Option<f64>,
}

impl Default for RawCosts {
    fn default() -> Self {
        RawCosts {
            span_of_control: default_span_of_control(),
            manager_annual_cost: 0.0,
            offices: None,
            office_annual_cost: None,
        }
    }
}

fn default_span_of_control() -> u32 {
    8
}

/// Service targets used to flag undesirable results in reports.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    #[serde(default = "default_quote_hours")]
    pub quote_lead_time_hours: f64,
    #[serde(default = "default_service_hours")]
    pub service_response_hours: f64,
    #[serde(default = "default_meetings_target")]
    pub meetings_per_seller_week: f64,
    #[serde(default = "default_max_utilization")]
    pub max_utilization: f64,
}

impl Default for RawTargets {
    fn default() -> Self {
        RawTargets {
            quote_lead_time_hours: default_quote_hours(),
            service_response_hours: default_service_hours(),
            meetings_per_seller_week: default_meetings_target(),
            max_utilization: default_max_utilization(),
        }
    }
}

fn default_quote_hours() -> f64 {
    16.0
}
fn default_service_hours() -> f64 {
    8.0
}
fn default_meetings_target() -> f64 {
    20.0
}
fn default_max_utilization() -> f64 {
    0.85
}

/// A distribution as written: a bare number (a constant) or a table with `dist`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawDist {
    Constant(f64),
    Table(RawDistTable),
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistTable {
    pub dist: String,
    pub value: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mode: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DistVisitor;

        impl<'de> Visitor<'de> for DistVisitor {
            type Value = RawDist;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a table such as { dist = \"exponential\", mean = 2.0 }")
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
                Ok(RawDist::Constant(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
                Ok(RawDist::Constant(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
                Ok(RawDist::Constant(v as f64))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
                RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawDist::Table)
            }
        }

        deserializer.deserialize_any(DistVisitor)
    }
}

/// The warm-up as written: a number of weeks, or `"auto"` (the default) for one found
/// from a pilot run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawWarmup {
    Weeks(f64),
    Word(String),
}

impl Default for RawWarmup {
    fn default() -> Self {
        RawWarmup::Word("auto".into())
    }
}

impl<'de> Deserialize<'de> for RawWarmup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WarmupVisitor;

        impl Visitor<'_> for WarmupVisitor {
            type Value = RawWarmup;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of weeks or \"auto\"")
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Weeks(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Weeks(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Weeks(v as f64))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Word(v.to_string()))
            }
        }

        deserializer.deserialize_any(WarmupVisitor)
    }
}
