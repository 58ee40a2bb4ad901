//! The simulation state of one trial and its event loop: people, queues, pre-emption,
//! pooling and time accounting. Leads and meetings live in their own modules as
//! further `impl Sim` blocks.

use rand::RngExt;

use super::leads::LeadRef;
use super::meetings::{Appointment, AppointmentId};
use super::metrics::Collector;
use super::rng::{Stream, stream};
use super::trace::{Trace, TraceRecord};
use super::work::{LeadId, LevelQueue, Task, TaskId, TaskSlab, WorkRef};
use crate::engine::EventQueue;
use crate::scenario::{
    Activity, Distribution, KindId, Release, RoleId, Routing, Scenario, SourceKind,
};

pub type PersonId = u32;

/// Guards against a runaway trial (demand far beyond capacity): past these, the trial
/// stops and is flagged, rather than eating all memory or never ending.
const MAX_LIVE_TASKS: usize = 2_000_000;
const MAX_EVENTS: u64 = 400_000_000;
/// How often (in events) a trial looks at its stop flag.
const STOP_CHECK_EVENTS: u64 = 1 << 16;

#[derive(Debug, Clone, Copy)]
pub enum Event {
    LeadArrival {
        source: u16,
    },
    ServiceArrival,
    TaskDone {
        person: PersonId,
    },
    ProspectingLead {
        person: PersonId,
    },
    DayStart {
        day: u64,
    },
    WeekStart {
        week: u64,
    },
    /// The earliest shelf-life deadline has come.
    LeadsCold,
    AppointmentStart {
        appointment: AppointmentId,
    },
    AppointmentEnd {
        appointment: AppointmentId,
    },
    Horizon,
}

/// The task a person has in hand, since `since`.
#[derive(Debug, Clone, Copy)]
pub struct Running {
    pub task: TaskId,
    pub since: f64,
}

pub struct Person {
    pub role: RoleId,
    pub running: Option<Running>,
    pub prospecting_since: Option<f64>,
    pub away: Option<AppointmentId>,
    pub queue: LevelQueue,
    pub prospecting_budget_hours: f64,
    /// Prospecting hours still needed before the next prospected lead.
    pub prospecting_to_next_lead: f64,
    /// Pulled leads this person holds (for pull release top-ups).
    pub open_leads: u32,
}

pub struct Streams {
    pub arrivals: Vec<Stream>,
    pub service_arrivals: Stream,
    pub service_work: Stream,
    pub deals: Stream,
    pub step_durations: Vec<Stream>,
    pub step_outcomes: Vec<Stream>,
    pub routing: Stream,
    pub meetings: Stream,
    pub travel: Stream,
    pub booking: Stream,
    pub prospecting: Stream,
}

impl Streams {
    fn new(s: &Scenario, seed: u64, trial: u64) -> Self {
        Streams {
            arrivals: (0..s.lead_sources.len())
                .map(|i| stream(seed, trial, &format!("leads/{i}")))
                .collect(),
            service_arrivals: stream(seed, trial, "service/arrivals"),
            service_work: stream(seed, trial, "service/work"),
            deals: stream(seed, trial, "deals"),
            step_durations: s
                .funnel
                .iter()
                .map(|st| stream(seed, trial, &format!("step/{}/duration", st.name)))
                .collect(),
            step_outcomes: s
                .funnel
                .iter()
                .map(|st| stream(seed, trial, &format!("step/{}/outcome", st.name)))
                .collect(),
            routing: stream(seed, trial, "routing"),
            meetings: stream(seed, trial, "meetings"),
            travel: stream(seed, trial, "travel"),
            booking: stream(seed, trial, "booking"),
            prospecting: stream(seed, trial, "prospecting"),
        }
    }
}

pub struct Sim<'a> {
    pub s: &'a Scenario,
    pub queue: EventQueue<Event>,
    pub now: f64,
    pub people: Vec<Person>,
    pub role_people: Vec<std::ops::Range<u32>>,
    pub pools: Vec<LevelQueue>,
    pub tasks: TaskSlab,
    pub leads: super::leads::LeadStore,
    pub appointments: super::meetings::AppointmentStore,
    pub pull_pools: Vec<std::collections::VecDeque<LeadRef>>,
    /// Shelf-life deadlines of the leads, in creation order.
    pub cold_deadlines: std::collections::VecDeque<(f64, LeadRef)>,
    pub round_robin: Vec<u32>,
    pub rng: Streams,
    pub stats: Collector,
    pub trace: Option<Trace>,
    /// Index of the prospecting source of each role, if it has one.
    pub prospecting_source: Vec<Option<usize>>,
    /// The pull-release sources feeding each role.
    pub pull_sources: Vec<Vec<usize>>,
    /// Whole-trial lead counts, warm-up included, for the conservation check.
    pub totals: super::Conservation,
    open_leads_now: u64,
    open_leads_changed_at: f64,
    events: u64,
    /// Raised from outside (a signal) to stop the trial early; checked now and then.
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
    pub stopped: bool,
    /// Every accounted interval (person, from, to), kept only by tests that check
    /// that no one is in two places at once.
    pub debug_intervals: Option<Vec<(PersonId, f64, f64)>>,
}

impl<'a> Sim<'a> {
    pub fn new(s: &'a Scenario, seed: u64, trial: u64, trace: bool) -> Self {
        let mut people = Vec::new();
        let mut role_people = Vec::new();
        for (r, role) in s.roles.iter().enumerate() {
            let first = people.len() as u32;
            for _ in 0..role.headcount {
                people.push(Person {
                    role: r,
                    running: None,
                    prospecting_since: None,
                    away: None,
                    queue: LevelQueue::new(role.levels),
                    prospecting_budget_hours: 0.0,
                    prospecting_to_next_lead: 0.0,
                    open_leads: 0,
                });
            }
            role_people.push(first..people.len() as u32);
        }
        let mut prospecting_source = vec![None; s.roles.len()];
        for (i, src) in s.lead_sources.iter().enumerate() {
            if let SourceKind::Prospecting { role, .. } = src.kind
                && prospecting_source[role].is_none()
            {
                prospecting_source[role] = Some(i);
            }
        }
        let pull_sources = (0..s.roles.len())
            .map(|role| {
                (0..s.lead_sources.len())
                    .filter(|&i| {
                        let src = &s.lead_sources[i];
                        src.release == Release::Pull && src.to_role == role
                    })
                    .collect()
            })
            .collect();
        let weeks = (s.horizon_hours / s.calendar.hours_per_week()).ceil() as usize;
        let people_count = people.len();
        Sim {
            s,
            queue: EventQueue::with_capacity(256, slot_count(people_count, s.lead_sources.len())),
            now: 0.0,
            people,
            role_people,
            pools: s.roles.iter().map(|r| LevelQueue::new(r.levels)).collect(),
            tasks: TaskSlab::default(),
            leads: Default::default(),
            appointments: Default::default(),
            pull_pools: vec![Default::default(); s.lead_sources.len()],
            cold_deadlines: Default::default(),
            round_robin: vec![0; s.roles.len() + s.lead_sources.len()],
            rng: Streams::new(s, seed, trial),
            stats: Collector::new(s, people_count, weeks),
            trace: trace.then(Trace::default),
            prospecting_source,
            pull_sources,
            totals: Default::default(),
            open_leads_now: 0,
            open_leads_changed_at: 0.0,
            events: 0,
            stop: None,
            stopped: false,
            debug_intervals: None,
        }
    }

    /// Runs the trial to its horizon.
    pub fn run(&mut self) {
        self.start();
        while let Some((time, event)) = self.queue.pop() {
            self.now = time;
            self.events += 1;
            if matches!(event, Event::Horizon) {
                break;
            }
            self.handle(event);
            if self.tasks.live() > MAX_LIVE_TASKS || self.events > MAX_EVENTS {
                self.stats.runaway = true;
                break;
            }
            if self.events.is_multiple_of(STOP_CHECK_EVENTS)
                && self
                    .stop
                    .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
            {
                self.stopped = true;
                break;
            }
        }
        self.finish();
    }

    fn start(&mut self) {
        let s = self.s;
        self.queue.schedule(s.horizon_hours, Event::Horizon);
        for (i, src) in s.lead_sources.iter().enumerate() {
            if let SourceKind::Inbound { .. } = src.kind {
                self.schedule_next_arrival(i);
            }
        }
        if let Some(service) = &s.service
            && service.rate_per_hour > 0.0
        {
            let gap = exponential(&mut self.rng.service_arrivals, service.rate_per_hour);
            self.queue
                .schedule_in_slot(self.service_slot(), gap, Event::ServiceArrival);
        }
        self.queue.schedule(0.0, Event::WeekStart { week: 0 });
        self.queue.schedule(0.0, Event::DayStart { day: 0 });
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::LeadArrival { source } => self.on_lead_arrival(source as usize),
            Event::ServiceArrival => self.on_service_arrival(),
            Event::TaskDone { person } => self.on_task_done(person),
            Event::ProspectingLead { person } => self.on_prospecting_lead(person),
            Event::DayStart { day } => self.on_day_start(day),
            Event::WeekStart { week } => self.on_week_start(week),
            Event::LeadsCold => self.on_leads_cold(),
            Event::AppointmentStart { appointment } => self.on_appointment_start(appointment),
            Event::AppointmentEnd { appointment } => self.on_appointment_end(appointment),
            Event::Horizon => {}
        }
    }

    /// Accounts work in progress up to the horizon.
    fn finish(&mut self) {
        let now = self.now;
        for p in 0..self.people.len() as u32 {
            if let Some(running) = self.people[p as usize].running {
                self.account_task_segment(p, running, now);
            }
            if let Some(since) = self.people[p as usize].prospecting_since {
                self.account(p, Activity::Prospecting, since, now);
            }
            if let Some(a) = self.people[p as usize].away {
                let appointment = self.appointments[a].clone();
                self.account_appointment(&appointment, now);
            }
        }
        self.track_open_leads(0);
    }

    // ----------------------------------------------------------------- time

    /// Adds the part of [from, to] inside the measured window to the person's role.
    pub fn account(&mut self, person: PersonId, activity: Activity, from: f64, to: f64) {
        let from = from.max(self.s.warmup_hours);
        let to = to.min(self.s.horizon_hours);
        if to > from {
            let role = self.people[person as usize].role;
            self.stats.role_time[role][activity.index()] += to - from;
            if let Some(log) = &mut self.debug_intervals {
                log.push((person, from, to));
            }
        }
    }

    fn account_task_segment(&mut self, person: PersonId, running: Running, to: f64) {
        let task = &self.tasks[running.task];
        let switching = task.switch_hours.min(to - running.since);
        let activity = task.activity;
        self.account(
            person,
            Activity::Switching,
            running.since,
            running.since + switching,
        );
        self.account(person, activity, running.since + switching, to);
    }

    pub fn account_appointment(&mut self, a: &Appointment, to: f64) {
        let person = a.person;
        self.account(person, Activity::Travel, a.start, a.meeting_start.min(to));
        self.account(person, a.activity, a.meeting_start, a.meeting_end.min(to));
        self.account(person, Activity::Travel, a.meeting_end, a.end.min(to));
    }

    /// Changes the number of open leads by `delta`, integrating it over time.
    pub fn track_open_leads(&mut self, delta: i64) {
        let from = self.open_leads_changed_at.max(self.s.warmup_hours);
        let to = self.now.min(self.s.horizon_hours);
        if to > from {
            self.stats.open_leads_area += self.open_leads_now as f64 * (to - from);
        }
        self.open_leads_changed_at = self.now;
        self.open_leads_now = (self.open_leads_now as i64 + delta).max(0) as u64;
    }

    /// Leads open now.
    pub fn open_leads(&self) -> u64 {
        self.open_leads_now
    }

    pub fn conservation(&self) -> super::Conservation {
        super::Conservation {
            open: self.open_leads_now,
            ..self.totals
        }
    }

    pub fn measuring(&self) -> bool {
        self.now >= self.s.warmup_hours
    }

    /// Adds a line to the event log, when one is kept (strings are built only then).
    #[inline]
    pub fn record(
        &mut self,
        person: Option<PersonId>,
        lead: Option<LeadId>,
        step: &str,
        what: &'static str,
    ) {
        if let Some(trace) = &mut self.trace {
            trace.records.push(TraceRecord {
                time_hours: self.now,
                person: person.map(|p| p as i64).unwrap_or(-1),
                item: lead.map(|l| format!("lead{l}")).unwrap_or_default(),
                step: step.to_string(),
                what,
            });
        }
    }

    // ----------------------------------------------------------------- dispatch

    /// Creates a task and hands it to the right queue or person.
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &mut self,
        kind: KindId,
        role: RoleId,
        activity: Activity,
        work: WorkRef,
        hours: f64,
        routing: Routing,
        owner: Option<PersonId>,
    ) -> TaskId {
        let task = self.tasks.insert(Task {
            kind,
            role,
            activity,
            work,
            remaining_hours: hours,
            switch_hours: 0.0,
            requested_at: self.now,
            started: false,
            preempted: false,
            dead: false,
        });
        match (routing, owner) {
            (Routing::Owner, Some(p)) => self.give_to_person(task, p),
            _ => self.give_to_pool(task, role),
        }
        task
    }

    fn level(&self, task: TaskId) -> u8 {
        let t = &self.tasks[task];
        self.s.roles[t.role].level_of_kind[t.kind]
    }

    fn interrupts(&self, task: TaskId, person: PersonId) -> bool {
        let role = &self.s.roles[self.people[person as usize].role];
        let Some(running) = self.people[person as usize].running else {
            return false;
        };
        let new_kind = self.tasks[task].kind;
        let running_kind = self.tasks[running.task].kind;
        role.interrupted_by[new_kind] && !role.interrupted_by[running_kind]
    }

    fn is_free(&self, person: PersonId) -> bool {
        let p = &self.people[person as usize];
        p.running.is_none() && p.away.is_none()
    }

    pub fn give_to_person(&mut self, task: TaskId, person: PersonId) {
        if self.people[person as usize].away.is_none() && self.interrupts(task, person) {
            self.preempt(person);
            self.start_task(person, task);
            return;
        }
        let level = self.level(task);
        self.people[person as usize].queue.push_back(level, task);
        if self.is_free(person) {
            self.try_start(person);
        }
    }

    fn give_to_pool(&mut self, task: TaskId, role: RoleId) {
        let range = self.role_people[role].clone();
        // An idle person takes the work at once; else one who is only prospecting stops.
        let mut free = None;
        for p in range.clone() {
            if self.is_free(p) {
                if self.people[p as usize].prospecting_since.is_none() {
                    free = Some(p);
                    break;
                }
                free = free.or(Some(p));
            }
        }
        let level = self.level(task);
        if let Some(p) = free {
            self.pools[role].push_back(level, task);
            self.try_start(p);
            return;
        }
        if self.s.roles[role].interrupted_by[self.tasks[task].kind] {
            // Interrupt the person whose interruptible task started last.
            let victim = range
                .filter(|&p| self.people[p as usize].away.is_none() && self.interrupts(task, p))
                .max_by(|&a, &b| {
                    let since = |p: PersonId| {
                        self.people[p as usize]
                            .running
                            .map_or(f64::MIN, |r| r.since)
                    };
                    since(a).total_cmp(&since(b)).then(b.cmp(&a))
                });
            if let Some(p) = victim {
                self.preempt(p);
                self.start_task(p, task);
                return;
            }
        }
        self.pools[role].push_back(level, task);
    }

    /// Stops the task in hand; it keeps its remaining work plus the switch cost and goes
    /// to the front of its level in the person's own queue.
    pub fn preempt(&mut self, person: PersonId) {
        self.stop_prospecting(person);
        let Some(running) = self.people[person as usize].running.take() else {
            return;
        };
        self.account_task_segment(person, running, self.now);
        let switch_cost = self.s.roles[self.people[person as usize].role].switch_cost_hours;
        let elapsed = self.now - running.since;
        let task = &mut self.tasks[running.task];
        let switching_done = task.switch_hours.min(elapsed);
        task.switch_hours -= switching_done;
        task.remaining_hours = (task.remaining_hours - (elapsed - switching_done)).max(0.0);
        task.switch_hours += switch_cost;
        task.preempted = true;
        let level = self.level(running.task);
        self.people[person as usize]
            .queue
            .push_front(level, running.task);
        self.queue.clear_slot(self.person_slot(person));
        if self.trace.is_some() {
            let lead = match self.tasks[running.task].work {
                WorkRef::LeadStep { lead } | WorkRef::Booking { lead } => Some(lead),
                _ => None,
            };
            self.record(Some(person), lead, "", "task preempted");
        }
    }

    /// If the person is free, starts the best waiting task from his own queue and his
    /// role's pool together; with nothing waiting, prospects if he can.
    pub fn try_start(&mut self, person: PersonId) {
        if !self.is_free(person) {
            return;
        }
        let role = self.people[person as usize].role;
        let own = self.people[person as usize].queue.peek(&mut self.tasks);
        let pooled = self.pools[role].peek(&mut self.tasks);
        let take_own = match (own, pooled) {
            (None, None) => {
                self.maybe_prospect(person);
                return;
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((lo, a)), Some((lp, b))) => {
                lo < lp
                    || (lo == lp
                        && (self.tasks[a].preempted
                            || self.tasks[a].requested_at <= self.tasks[b].requested_at))
            }
        };
        let task = if take_own {
            let (level, _) = own.expect("checked");
            self.people[person as usize].queue.pop_level(level)
        } else {
            let (level, _) = pooled.expect("checked");
            self.pools[role].pop_level(level)
        }
        .expect("peeked");
        self.start_task(person, task);
    }

    fn start_task(&mut self, person: PersonId, task: TaskId) {
        self.stop_prospecting(person);
        if !self.tasks[task].started {
            self.tasks[task].started = true;
            self.on_first_start(task, person);
        }
        let t = &self.tasks[task];
        let hours = t.switch_hours + t.remaining_hours;
        self.people[person as usize].running = Some(Running {
            task,
            since: self.now,
        });
        self.queue.schedule_in_slot(
            self.person_slot(person),
            self.now + hours,
            Event::TaskDone { person },
        );
    }

    fn on_task_done(&mut self, person: PersonId) {
        let running = self.people[person as usize]
            .running
            .take()
            .expect("a running task");
        self.account_task_segment(person, running, self.now);
        let task = self.tasks[running.task].clone();
        self.tasks.remove(running.task);
        match task.work {
            WorkRef::LeadStep { lead } => self.on_step_done(lead, person, self.now),
            WorkRef::Booking { lead } => self.on_booking_done(lead, person),
            WorkRef::Service {
                arrived_at,
                escalated,
            } => self.on_service_done(arrived_at, escalated),
            WorkRef::Admin => {}
        }
        self.try_start(person);
    }

    // ----------------------------------------------------------------- helpers

    /// The event-queue slot of a person's one pending wake-up (work done, or a lead
    /// found while prospecting): starting other work replaces it, stopping clears it.
    pub fn person_slot(&self, person: PersonId) -> usize {
        person as usize
    }

    /// The slot of an inbound lead source's next arrival.
    pub fn arrival_slot(&self, source: usize) -> usize {
        self.people.len() + source
    }

    /// The slot of the next service request.
    pub fn service_slot(&self) -> usize {
        self.people.len() + self.s.lead_sources.len()
    }

    /// The slot of the next shelf-life deadline (the last slot: see `slot_count`).
    pub fn cold_slot(&self) -> usize {
        self.service_slot() + 1
    }

    pub fn random_person(&mut self, role: RoleId) -> PersonId {
        let range = self.role_people[role].clone();
        self.rng.routing.random_range(range)
    }
}

/// Event-queue slots a trial needs: one per person, one per lead source, then the
/// service arrivals and the shelf-life deadlines (`Sim::person_slot` and after).
fn slot_count(people: usize, sources: usize) -> usize {
    people + sources + 2
}

/// An exponential gap at `rate` per hour (infinite for a zero rate), by the ziggurat
/// method, which needs no logarithm.
pub fn exponential(rng: &mut Stream, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    let unit: f64 = rng.sample(rand_distr::Exp1);
    unit / rate
}

/// Picks a variant by share.
pub fn pick_variant(variants: &[crate::scenario::Variant], rng: &mut Stream) -> usize {
    if variants.len() == 1 {
        return 0;
    }
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (i, v) in variants.iter().enumerate() {
        acc += v.share;
        if u < acc {
            return i;
        }
    }
    variants.len() - 1
}

/// A repetition count drawn from a distribution: rounded, at least 1.
pub fn draw_count(count: Option<&Distribution>, rng: &mut Stream) -> u32 {
    count.map_or(1, |d| d.sample(rng).round().clamp(1.0, 1000.0) as u32)
}
