//! The simulation of one trial: its parts (staff, calendars, tasks, pipeline, ledger,
//! random streams), its events and the loop that runs them, and time accounting. The
//! event handlers live in the files beside this one, as further `impl Sim` blocks, so
//! `Sim`'s fields are private to this folder.

mod dispatch;
mod funnel;
mod handover;
mod leads;
#[cfg(test)]
mod leaver_tests;
mod meetings;
mod offices;
mod people;
mod prospecting;
mod routines;
mod segments;
mod service;
mod switch;

use super::Conservation;
use super::budget::{self, Share};
use super::growth::Growth;
use super::leads::Pipeline;
use super::ledger::Ledger;
use super::meetings::{Appointment, AppointmentId, AppointmentStore};
use super::metrics::Collector;
use super::rng::{Streams, exponential};
use super::staff::{PersonId, Running, Staff};
use super::trace::{Trace, TraceRecord};
use super::work::{LeadId, TaskSlab};
use crate::engine::EventQueue;
use crate::scenario::{Activity, Scenario, SourceKind};

/// A trial that alone holds the whole process's budget of live work items is a runaway
/// (demand far beyond capacity): it stops and is flagged rather than eat all memory.
/// One growing without bound more slowly is found by [`Growth`] at week boundaries.
const MAX_LIVE_TASKS: usize = budget::PROCESS_LIVE_TASKS as usize;
/// How often (in events) a trial looks at its stop flag and reports its live work
/// items to the process's budget (waiting there while the process is over it).
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
    /// The next contact attempt at a lead is due.
    AttemptDue {
        lead: super::leads::LeadRef,
    },
    /// A person (an empty seat until now) joins the books (`Sim::join`).
    #[allow(dead_code)]
    Join {
        person: PersonId,
    },
    /// A quitter's seat is refilled, if his group is still short of its headcount.
    Refill {
        person: PersonId,
    },
    /// A person's drawn quit time has come (people over time).
    Quit {
        person: PersonId,
    },
    Horizon,
}

/// How a trial's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It reached its horizon, or was cut short by a runaway guard (see the ledger).
    Finished,
    /// The stop flag was raised: it has no results.
    Stopped,
}

pub struct Sim<'a> {
    /// The scenario of the period the trial is in (the base's, or a `[[changes]]`
    /// period's from its week on).
    s: &'a Scenario,
    /// The scenario as loaded, with its timeline.
    base: &'a Scenario,
    queue: EventQueue<Event>,
    now: f64,
    staff: Staff,
    appointments: AppointmentStore,
    tasks: TaskSlab,
    pipeline: Pipeline,
    ledger: Ledger,
    rng: Streams,
    trace: Option<Trace>,
    events: u64,
    /// This trial's share of the process's budget of live work items.
    share: Share<'static>,
    /// The live work items at week boundaries, to tell a runaway by its growth.
    growth: Growth,
    /// This trial's side of a transition, if it is one.
    handover: handover::HandoverState,
    /// The day's meetings whose start event is not scheduled (a buffer kept between
    /// days: see `start_meetings_of_day`).
    chained_starts: Vec<AppointmentId>,
    /// Every accounted interval (person, from, to), kept only by tests that check
    /// that no one is in two places at once.
    pub(in crate::model) debug_intervals: Option<Vec<(PersonId, f64, f64)>>,
}

/// Storage a finished trial leaves for the next one on the same thread: the event
/// queue's, the collector's sample vectors, the day's chained-start buffer. Each is
/// emptied and reset exactly (a reset queue numbers events from 0 again), so a trial
/// gives the same results bit for bit whatever ran before it on its thread.
#[derive(Default)]
pub struct Spare {
    queue: Option<EventQueue<Event>>,
    samples: Vec<Vec<f64>>,
    chained_starts: Vec<AppointmentId>,
}

impl<'a> Sim<'a> {
    #[cfg(test)]
    pub fn new(s: &'a Scenario, seed: u64, trial: u64, trace: bool) -> Self {
        Self::reusing(s, seed, trial, trace, &mut Spare::default())
    }

    /// As `new`, built from what `spare` holds (see [`Spare`]).
    pub fn reusing(s: &'a Scenario, seed: u64, trial: u64, trace: bool, spare: &mut Spare) -> Self {
        let seats = super::staff::seats_over_timeline(s);
        Self::with_seats(s, &seats, seed, trial, trace, spare)
    }

    /// A trial whose staff has `seats[role][group]` seats (see `Staff::with_seats`):
    /// those beyond the scenario's headcount are empty until someone `join`s.
    pub fn with_seats(
        s: &'a Scenario,
        seats: &[Vec<u32>],
        seed: u64,
        trial: u64,
        trace: bool,
        spare: &mut Spare,
    ) -> Self {
        let staff = Staff::with_seats(s, seats);
        let people = staff.len();
        let slots = slot_count(people, s.lead_sources.len());
        let queue = match spare.queue.take() {
            Some(mut queue) => {
                queue.reset(slots);
                queue
            }
            None => EventQueue::with_capacity(256, slots),
        };
        let mut chained_starts = std::mem::take(&mut spare.chained_starts);
        chained_starts.clear();
        Sim {
            s,
            base: s,
            queue,
            now: 0.0,
            staff,
            appointments: AppointmentStore::default(),
            tasks: TaskSlab::default(),
            pipeline: Pipeline::new(s),
            ledger: Ledger::new(s, people, &mut spare.samples),
            rng: Streams::new(s, seed, trial),
            trace: trace.then(Trace::default),
            events: 0,
            share: Share::new(&budget::PROCESS),
            growth: Growth::default(),
            handover: handover::HandoverState::new(s.offices.len()),
            chained_starts,
            debug_intervals: None,
        }
    }

    /// Runs the trial to its horizon, or until `stop` is raised (looked at now and
    /// then: a signal from outside).
    pub fn run(&mut self, stop: Option<&std::sync::atomic::AtomicBool>) -> Outcome {
        self.start();
        let mut outcome = Outcome::Finished;
        while let Some((time, event)) = self.queue.pop() {
            self.now = time;
            self.events += 1;
            if matches!(event, Event::Horizon) {
                break;
            }
            let week_start = matches!(event, Event::WeekStart { .. });
            self.handle(event);
            let live = self.tasks.live();
            if live > MAX_LIVE_TASKS
                || (week_start && self.growth.runaway(live as u64, self.tasks.created()))
            {
                self.ledger.flag_runaway();
                break;
            }
            if self.events.is_multiple_of(STOP_CHECK_EVENTS) {
                self.share.report_and_wait(live as u64, stop);
                if stop.is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed)) {
                    outcome = Outcome::Stopped;
                    break;
                }
            }
        }
        self.finish();
        outcome
    }

    fn start(&mut self) {
        let s = self.s;
        self.queue.schedule(s.horizon_hours, Event::Horizon);
        for (i, src) in s.lead_sources.iter().enumerate() {
            if let SourceKind::Inbound { .. } = src.kind
                && s.new_leads
            {
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
        let rate = self.cost_rate();
        self.ledger.staffing_changed(0.0, rate);
        self.start_people();
        self.queue.schedule(0.0, Event::WeekStart { week: 0 });
        self.queue.schedule(0.0, Event::DayStart { day: 0 });
        for open in &s.initial_pipeline {
            self.open_opportunity(open.step, open.amount, open.in_stage_hours);
        }
        self.handover_start();
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
            Event::AttemptDue { lead } => self.on_attempt_due(lead),
            Event::Join { person } => self.on_join(person),
            Event::Refill { person } => self.on_refill(person),
            Event::Quit { person } => self.on_quit(person),
            Event::Horizon => {}
        }
    }

    /// Accounts work in progress up to the horizon.
    fn finish(&mut self) {
        let now = self.now;
        for p in self.staff.everyone() {
            if let Some(running) = self.staff.person(p).running {
                self.account_task_segment(p, running, now);
            }
            if let Some(since) = self.staff.person(p).prospecting_since {
                self.account(p, Activity::Prospecting, since, now);
            }
            if let Some(a) = self.staff.person(p).away {
                let appointment = self.appointments[a].clone();
                self.account_appointment(&appointment, now);
            }
        }
        self.ledger.track_open_leads(now, 0);
        self.ledger.accrue_staffing(now);
        for (step, requested_at) in self.pipeline.open_steps() {
            self.ledger.open_at_horizon(now, step, requested_at);
        }
    }

    // ----------------------------------------------------------------- results

    /// What the trial measured.
    pub fn stats(&self) -> &Collector {
        self.ledger.stats()
    }

    /// Whole-trial lead counts, warm-up included.
    pub fn conservation(&self) -> Conservation {
        self.pipeline.conservation(self.ledger.open_leads())
    }

    /// Events scheduled in the whole trial.
    pub fn events(&self) -> u64 {
        self.queue.scheduled_count()
    }

    /// The parts a finished trial hands back: what it measured and its event log; its
    /// queue and buffers go to `spare` for the next trial (the collector's samples
    /// follow through `Collector::into_spare` once the caller is done with them).
    pub fn into_results(self, spare: &mut Spare) -> (Collector, Option<Trace>) {
        spare.queue = Some(self.queue);
        spare.chained_starts = self.chained_starts;
        (self.ledger.into_stats(), self.trace)
    }

    /// Takes back the sample vectors of a collector this trial handed out.
    pub fn spare_samples(stats: Collector, spare: &mut Spare) {
        stats.into_spare(&mut spare.samples);
    }

    // ----------------------------------------------------------------- time

    /// Adds the part of [from, to] inside the measured window to the person's role.
    #[inline]
    fn account(&mut self, person: PersonId, activity: Activity, from: f64, to: f64) {
        let (from, to) = self.ledger.window(from, to);
        if to > from {
            let role = self.staff.role_of(person);
            self.ledger.add_time(role, activity, from, to);
            let office = self.staff.person(person).office;
            if office.is_some() {
                self.ledger.office_time(office, role, to - from);
            }
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

    fn account_appointment(&mut self, a: &Appointment, to: f64) {
        let person = a.person;
        self.account(person, Activity::Travel, a.start, a.meeting_start.min(to));
        self.account(person, a.activity, a.meeting_start, a.meeting_end.min(to));
        self.account(person, Activity::Travel, a.meeting_end, a.end.min(to));
    }

    /// Adds a line to the event log, when one is kept (strings are built only then).
    #[inline]
    fn record(
        &mut self,
        person: Option<PersonId>,
        lead: Option<LeadId>,
        step: &str,
        what: &'static str,
    ) {
        let office = lead
            .and_then(|l| self.pipeline[l].office)
            .map_or(-1, |o| o as i64);
        if let Some(trace) = &mut self.trace {
            trace.records.push(TraceRecord {
                office,
                time_hours: self.now,
                person: person.map(|p| p as i64).unwrap_or(-1),
                item: lead.map(|l| format!("lead{l}")).unwrap_or_default(),
                step: step.to_string(),
                what,
            });
        }
    }

    // ----------------------------------------------------------------- slots

    /// The event-queue slot of a person's one pending wake-up (work done, or a lead
    /// found while prospecting): starting other work replaces it, stopping clears it.
    #[inline]
    fn person_slot(&self, person: PersonId) -> usize {
        person as usize
    }

    /// The slot of an inbound lead source's next arrival.
    fn arrival_slot(&self, source: usize) -> usize {
        self.staff.len() + source
    }

    /// The slot of the next service request.
    fn service_slot(&self) -> usize {
        self.staff.len() + self.s.lead_sources.len()
    }

    /// The slot of the next shelf-life deadline (the last slot: see `slot_count`).
    fn cold_slot(&self) -> usize {
        self.service_slot() + 1
    }
}

/// Event-queue slots a trial needs: one per person, one per lead source, then the
/// service arrivals and the shelf-life deadlines (`Sim::person_slot` and after).
fn slot_count(people: usize, sources: usize) -> usize {
    people + sources + 2
}
