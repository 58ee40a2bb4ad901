//! The validated scenario: what the model runs. Every name is resolved to an index,
//! every unit converted to working hours, every distribution checked; nothing
//! downstream needs to handle a bad value.

use crate::engine::WorkCalendar;

pub use super::dist::Distribution;
pub use super::raw::{Assign, Booking, Release, Routing, StepKind};

/// Index of a role in `Scenario::roles`.
pub type RoleId = usize;
/// Index of a kind of work in `Scenario::kinds`: funnel steps first, then the built-ins.
pub type KindId = usize;
/// Index of an office in `Scenario::offices`.
pub type OfficeId = usize;

/// Where a person's time goes. The order is the order of the time-allocation metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Selling,
    Travel,
    Quoting,
    Service,
    Admin,
    Prospecting,
    Switching,
}

impl Activity {
    pub const ALL: [Activity; 7] = [
        Activity::Selling,
        Activity::Travel,
        Activity::Quoting,
        Activity::Service,
        Activity::Admin,
        Activity::Prospecting,
        Activity::Switching,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Activity::Selling => "selling",
            Activity::Travel => "travel",
            Activity::Quoting => "quoting",
            Activity::Service => "service",
            Activity::Admin => "admin",
            Activity::Prospecting => "prospecting",
            Activity::Switching => "switching",
        }
    }
}

/// How the warm-up is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warmup {
    /// `warmup_weeks = N` in the file.
    Fixed,
    /// `warmup_weeks = "auto"`, the default: found from the weekly series of a pilot
    /// run (see `experiment::warmup`).
    Auto,
}

/// What a pilot run from an empty start found about the warm-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarmupFound {
    /// Weeks to leave out.
    pub weeks: f64,
    /// The series had not settled by the end of the searched half of the horizon.
    pub at_limit: bool,
    pub pilot_trials: u64,
}

/// The built-in kinds of work, besides the funnel steps.
pub const BUILTIN_KINDS: [&str; 4] = ["service", "admin", "prospecting", "booking"];

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub calendar: WorkCalendar,
    pub horizon_hours: f64,
    /// The measured window starts here. For `Warmup::Auto` it is 0 until the experiment
    /// has found the warm-up from a pilot run and set it.
    pub warmup_hours: f64,
    /// Whether the warm-up was written in the file or is to be found.
    pub warmup: Warmup,
    /// What the pilot run found, once an experiment has run it.
    pub warmup_found: Option<WarmupFound>,
    pub roles: Vec<Role>,
    /// Names of the kinds of work: funnel steps by name, then `BUILTIN_KINDS`.
    pub kinds: Vec<String>,
    pub lead_sources: Vec<LeadSource>,
    pub shelf_life_hours: Option<f64>,
    pub funnel: Vec<Step>,
    pub handoff: Handoff,
    pub deal_value: Distribution,
    pub service: Option<Service>,
    pub admin: Admin,
    pub costs: Costs,
    pub targets: Targets,
    /// The regional offices, in name order; empty for a single site.
    pub offices: Vec<Office>,
    /// Share of service requests arising in each office (empty without offices).
    pub service_office_shares: Vec<f64>,
    /// Customer segments and the gross margin (empty and `None` when not written).
    pub segments: super::segments::Segments,
    /// Opportunities already open when the trial starts (`initial_pipeline`, or a
    /// forecast's pipeline); empty for an empty start.
    pub initial_pipeline: Vec<OpenOpportunity>,
    /// The file `initial_pipeline` was read from, as the reports name it.
    pub initial_pipeline_file: Option<String>,
    /// Whether lead sources create new leads (a pipeline forecast turns them off).
    pub new_leads: bool,
    /// `[[changes]]`: the scenario of each later period, from its week on (empty
    /// without changes; the periods' own timelines are empty).
    pub timeline: Vec<super::changes::Period>,
    /// Per office (one entry for a scenario without offices), the hours `[from, until)`
    /// in which new work arising there (leads, service requests, opportunities open at
    /// the start) is accepted; empty: always. Work outside the window is still drawn
    /// (its arrival, office and segment), so that another scenario run with the same
    /// trial sees the same market: one part of a transition (see `experiment::transition`).
    pub new_work_window: Vec<(f64, f64)>,
    /// How this scenario's people come and go in a transition: `None` outside one.
    pub handover: Option<Handover>,
}

/// One side of a transition (see `experiment::transition`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Handover {
    /// The design being left: the people of an office stop prospecting when its window
    /// closes, finish their office's open work and leave, at the latest `wind_down_hours`
    /// after; central people leave once every office has closed and nothing is open.
    Leaving { wind_down_hours: f64 },
    /// The design moved to: the people of an office join when its window opens
    /// (central people when the first one does), with the role's ramp.
    Joining,
}

/// An opportunity open at time 0: the funnel step it is in, and its amount if known.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenOpportunity {
    pub step: usize,
    pub amount: Option<f64>,
    /// Working hours it had already spent in its stage at the snapshot: a task step's
    /// remaining work is drawn conditioned on the work exceeding this.
    pub in_stage_hours: f64,
}

impl Scenario {
    /// Whether new work arising in `office` at time `at` is accepted (see
    /// `new_work_window`); a scenario without offices uses the first window.
    #[inline]
    pub fn accepts_new_work(&self, office: Option<OfficeId>, at: f64) -> bool {
        match self.new_work_window.get(office.unwrap_or(0)) {
            Some(&(from, until)) => from <= at && at < until,
            None => true,
        }
    }

    /// The window of new work of the people of `office` (a central person's spans
    /// every office's): `[from, until)` hours, or always.
    pub fn work_window_of(&self, office: Option<OfficeId>) -> (f64, f64) {
        let all = (f64::NEG_INFINITY, f64::INFINITY);
        if self.new_work_window.is_empty() {
            return all;
        }
        match office {
            Some(o) => self.new_work_window.get(o).copied().unwrap_or(all),
            None => self
                .new_work_window
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(f, u), &(a, b)| {
                    (f.min(a), u.max(b))
                }),
        }
    }

    /// Whether the scenario has offices (`[offices.NAME]` tables).
    pub fn has_offices(&self) -> bool {
        !self.offices.is_empty()
    }

    pub fn role_index(&self, name: &str) -> Option<RoleId> {
        self.roles.iter().position(|r| r.name == name)
    }

    pub fn kind_service(&self) -> KindId {
        self.funnel.len()
    }

    pub fn kind_admin(&self) -> KindId {
        self.funnel.len() + 1
    }

    pub fn kind_prospecting(&self) -> KindId {
        self.funnel.len() + 2
    }

    pub fn kind_booking(&self) -> KindId {
        self.funnel.len() + 3
    }

    pub fn measured_hours(&self) -> f64 {
        self.horizon_hours - self.warmup_hours
    }

    pub fn measured_weeks(&self) -> f64 {
        self.measured_hours() / self.calendar.hours_per_week()
    }

    /// The funnel step marked as the quote step, if any.
    pub fn quote_step(&self) -> Option<usize> {
        self.funnel.iter().position(|s| s.quote)
    }

    /// Roles that hold meetings: their people are the "sellers" of the per-seller metrics.
    pub fn seller_roles(&self) -> Vec<RoleId> {
        let mut roles: Vec<RoleId> = self
            .funnel
            .iter()
            .filter(|s| s.kind == StepKind::Meeting)
            .flat_map(|s| s.variants.iter().map(|v| v.role))
            .collect();
        // A segment may send a meeting step to a role of its own.
        for segment in &self.segments.list {
            for (i, role) in segment.role.iter().enumerate() {
                if let Some(r) = role
                    && self.funnel[i].kind == StepKind::Meeting
                {
                    roles.push(*r);
                }
            }
        }
        roles.sort_unstable();
        roles.dedup();
        roles
    }
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub headcount: u32,
    pub annual_cost: f64,
    /// Priority level of each kind of work (0 is served first), indexed by `KindId`.
    pub level_of_kind: Vec<u8>,
    pub levels: usize,
    /// Whether work of each kind pre-empts this role's task in hand, by `KindId`.
    pub interrupted_by: Vec<bool>,
    pub switch_cost_hours: f64,
    pub assign: Assign,
    pub booking: Booking,
    /// The role that does the booking work for this role's meetings.
    pub booking_role: RoleId,
    pub booking_hours: Distribution,
    pub max_meetings_per_day: u32,
    pub travel_hours: Distribution,
    /// Share of a round trip saved between two meetings on one coordinated day.
    pub clustering: f64,
    pub admin_hours_per_week: f64,
    pub span_of_control: u32,
    /// Explicit first-line managers, overriding the span of control (per office for a
    /// role with people per office).
    pub managers: Option<u32>,
    /// People in each office, by `OfficeId`; `None` for a central role (one pool
    /// serving every office), and always `None` in a scenario without offices.
    pub office_headcount: Option<Vec<u32>>,
    /// People over time (`[roles.NAME.people]`); `None` keeps the staff fixed.
    pub people: Option<People>,
}

/// A role's people over time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct People {
    /// Poisson quits per person on the books, per calendar year of working time.
    pub attrition_per_year: f64,
    /// A quitter's seat is refilled this long after he leaves.
    pub hiring_delay_weeks: f64,
    /// New hires' ramp up to full speed.
    pub ramp: Option<Ramp>,
}

/// A new hire works at speed `start + (1 - start) * t / weeks` for `weeks`, then 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ramp {
    pub weeks: f64,
    pub start: f64,
}

#[derive(Debug, Clone)]
pub enum SourceKind {
    Inbound {
        rate_per_hour: f64,
        /// Rate multipliers over equal parts of a 52-week year; empty for none.
        seasonality: Vec<f64>,
    },
    Prospecting {
        /// The role whose people prospect in their idle time.
        role: RoleId,
        max_hours_per_week: f64,
        leads_per_hour: f64,
    },
}

#[derive(Debug, Clone)]
pub struct LeadSource {
    pub kind: SourceKind,
    pub release: Release,
    pub assign: Assign,
    /// The role whose people own (or pull) the leads: by default the first step's.
    pub to_role: RoleId,
    pub queue_target: u32,
    /// Share of the source's leads arising in each office, by `OfficeId`; empty
    /// without offices, and for prospecting by a role with people per office (a
    /// prospected lead arises in its finder's office).
    pub office_shares: Vec<f64>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub share: f64,
    pub role: RoleId,
    pub routing: Routing,
    pub duration: Distribution,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub kind: StepKind,
    pub quote: bool,
    pub activity: Activity,
    pub advance: f64,
    pub advance_decay_per_day: f64,
    pub count: Option<Distribution>,
    pub variants: Vec<Variant>,
    pub customer_notice_hours: Distribution,
    pub reschedule_probability: f64,
    /// Continuity: the earlier step whose person does this step for the lead, when he
    /// is of the step's role.
    pub same_person_as: Option<usize>,
    /// Contact attempts before the step's work, on a task step that gives them.
    pub attempts: Option<super::segments::Attempts>,
}

#[derive(Debug, Clone, Default)]
pub struct Handoff {
    pub time_hours: f64,
    pub win_loss: f64,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub rate_per_hour: f64,
    pub variants: Vec<Variant>,
    pub escalation: Option<Escalation>,
}

#[derive(Debug, Clone)]
pub struct Escalation {
    pub probability: f64,
    pub role: RoleId,
    pub routing: Routing,
    pub duration: Distribution,
}

#[derive(Debug, Clone, Default)]
pub struct Admin {
    /// Who does per-event admin; `None` means the person whose work caused it.
    pub role: Option<RoleId>,
    pub per_win_hours: f64,
    pub per_meeting_hours: f64,
    pub weekly_hours_per_person: f64,
}

/// A regional office: its own cost, and travel legs for its leads' meetings.
#[derive(Debug, Clone)]
pub struct Office {
    pub name: String,
    pub annual_cost: f64,
    /// Each leg to or from a meeting, overriding the role's, when given.
    pub travel_hours: Option<Distribution>,
}

#[derive(Debug, Clone)]
pub struct Costs {
    pub span_of_control: u32,
    pub manager_annual_cost: f64,
    pub offices: u32,
    pub office_annual_cost: f64,
}

#[derive(Debug, Clone)]
pub struct Targets {
    pub quote_lead_time_hours: f64,
    pub service_response_hours: f64,
    pub meetings_per_seller_week: f64,
    pub max_utilization: f64,
}

/// The targets of a scenario that sets none: the file format's defaults, which
/// validation passes through unchanged.
impl Default for Targets {
    fn default() -> Self {
        let t = super::raw::RawTargets::default();
        Targets {
            quote_lead_time_hours: t.quote_lead_time_hours,
            service_response_hours: t.service_response_hours,
            meetings_per_seller_week: t.meetings_per_seller_week,
            max_utilization: t.max_utilization,
        }
    }
}
