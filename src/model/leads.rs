//! Leads: arrival, release (push or pull), the walk through the funnel, handoffs,
//! ageing, and the end of a lead (won, lost, gone cold).

use rand::RngExt;

use super::sim::{Event, PersonId, Sim, draw_count, exponential, pick_variant};
use super::work::{LeadId, TaskId, WorkRef};
use crate::scenario::{Assign, Booking, Release, RoleId, Routing, SourceKind, StepKind};

/// A lead slot and the generation it had when referred to: a stale reference (to a slot
/// since reused) is recognised and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadRef {
    pub id: LeadId,
    pub generation: u32,
}

#[derive(Debug, Clone)]
pub struct Lead {
    pub generation: u32,
    pub alive: bool,
    pub created: f64,
    pub step: usize,
    pub variant: usize,
    pub reps_left: u32,
    /// Owner per role, as (role, person).
    pub owners: Vec<(RoleId, PersonId)>,
    pub last_person: Option<PersonId>,
    pub win_multiplier: f64,
    pub step_requested_at: f64,
    /// Wait of the current step's first repetition, in hours (for `advance_decay`).
    pub step_first_wait: Option<f64>,
    pub first_contacted: bool,
    /// The queued task not yet started, if any (cancelled if the lead goes cold).
    pub pending_task: Option<TaskId>,
    /// The person whose pull queue this lead counts against.
    pub held_by: Option<PersonId>,
}

impl Lead {
    pub fn owner(&self, role: RoleId) -> Option<PersonId> {
        self.owners
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, p)| *p)
    }

    fn set_owner(&mut self, role: RoleId, person: PersonId) {
        match self.owners.iter_mut().find(|(r, _)| *r == role) {
            Some(slot) => slot.1 = person,
            None => self.owners.push((role, person)),
        }
    }
}

/// Leads in slots with a free list, so memory stays flat however long the trial.
#[derive(Default)]
pub struct LeadStore {
    leads: Vec<Lead>,
    free: Vec<LeadId>,
}

impl LeadStore {
    /// A new lead created at `now`, in a free slot if there is one. The slot is reset
    /// in place, keeping its owner list's allocation: no allocation per lead.
    fn create(&mut self, now: f64) -> LeadRef {
        let fresh = |generation: u32, owners: Vec<(RoleId, PersonId)>| Lead {
            generation,
            alive: true,
            created: now,
            step: 0,
            variant: 0,
            reps_left: 0,
            owners,
            last_person: None,
            win_multiplier: 1.0,
            step_requested_at: now,
            step_first_wait: None,
            first_contacted: false,
            pending_task: None,
            held_by: None,
        };
        if let Some(id) = self.free.pop() {
            let slot = &mut self.leads[id as usize];
            let generation = slot.generation.wrapping_add(1);
            let mut owners = std::mem::take(&mut slot.owners);
            owners.clear();
            *slot = fresh(generation, owners);
            LeadRef { id, generation }
        } else {
            self.leads.push(fresh(0, Vec::new()));
            let id = (self.leads.len() - 1) as LeadId;
            LeadRef { id, generation: 0 }
        }
    }

    fn release(&mut self, id: LeadId) {
        self.leads[id as usize].alive = false;
        self.free.push(id);
    }

    pub fn get(&self, r: LeadRef) -> Option<&Lead> {
        self.leads
            .get(r.id as usize)
            .filter(|l| l.alive && l.generation == r.generation)
    }
}

impl std::ops::Index<LeadId> for LeadStore {
    type Output = Lead;
    fn index(&self, id: LeadId) -> &Lead {
        &self.leads[id as usize]
    }
}

impl std::ops::IndexMut<LeadId> for LeadStore {
    fn index_mut(&mut self, id: LeadId) -> &mut Lead {
        &mut self.leads[id as usize]
    }
}

/// How a lead ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Won,
    Lost,
    Cold,
}

impl Sim<'_> {
    pub fn schedule_next_arrival(&mut self, source: usize) {
        let SourceKind::Inbound {
            rate_per_hour,
            ref seasonality,
        } = self.s.lead_sources[source].kind
        else {
            return;
        };
        // Seasonality by thinning: candidates at the peak rate, kept in proportion.
        let peak = if seasonality.is_empty() {
            1.0
        } else {
            seasonality.iter().copied().fold(0.0, f64::max)
        };
        let rng = &mut self.rng.arrivals[source];
        let mut t = self.now;
        loop {
            t += exponential(rng, rate_per_hour * peak);
            if !t.is_finite() || seasonality.is_empty() {
                break;
            }
            let year_fraction = (t / self.s.calendar.hours_per_week() / 52.0).fract();
            let factor = seasonality
                [((year_fraction * seasonality.len() as f64) as usize).min(seasonality.len() - 1)];
            if rng.random::<f64>() * peak < factor || t > self.s.horizon_hours {
                break;
            }
        }
        if t.is_finite() && t <= self.s.horizon_hours {
            self.queue.schedule_in_slot(
                self.arrival_slot(source),
                t,
                Event::LeadArrival {
                    source: source as u16,
                },
            );
        }
    }

    pub fn on_lead_arrival(&mut self, source: usize) {
        self.schedule_next_arrival(source);
        self.create_lead(source, None);
    }

    /// A new lead from `source`; `finder` is the prospecting person who found it.
    pub fn create_lead(&mut self, source: usize, finder: Option<PersonId>) {
        let src = &self.s.lead_sources[source];
        let r = self.leads.create(self.now);
        self.totals.created += 1;
        if self.measuring() {
            self.stats.leads_created += 1;
        }
        self.track_open_leads(1);
        if let Some(shelf_life) = self.s.shelf_life_hours {
            // Deadlines come in creation order (one shelf life for all), so they wait
            // in a FIFO with a single pending event for the earliest, not one each.
            let deadline = self.now + shelf_life;
            if self.cold_deadlines.is_empty() {
                self.queue
                    .schedule_in_slot(self.cold_slot(), deadline, Event::LeadsCold);
            }
            self.cold_deadlines.push_back((deadline, r));
        }
        self.record(finder, Some(r.id), "", "lead created");
        // A seller who prospects for himself keeps what he finds.
        if let Some(person) = finder
            && self.people[person as usize].role == src.to_role
        {
            self.leads[r.id].set_owner(src.to_role, person);
            self.request_step(r.id);
            return;
        }
        match src.release {
            Release::Pull => {
                self.pull_pools[source].push_back(r);
                // A pool filled during the day is drawn from the next morning.
            }
            Release::Push => {
                let role = src.to_role;
                let counter = self.s.roles.len() + source;
                if let Some(owner) = self.assign_owner(role, src.assign, counter) {
                    self.leads[r.id].set_owner(role, owner);
                }
                self.request_step(r.id);
            }
        }
    }

    /// An owner for a lead entering `role` under `assign`, or none for pooled work.
    /// `counter` names the round-robin counter to advance.
    fn assign_owner(&mut self, role: RoleId, assign: Assign, counter: usize) -> Option<PersonId> {
        match assign {
            Assign::Pool => None,
            Assign::Territory => Some(self.random_person(role)),
            Assign::RoundRobin => {
                let range = self.role_people[role].clone();
                let n = range.end - range.start;
                let slot = &mut self.round_robin[counter];
                let person = range.start + *slot % n;
                *slot = slot.wrapping_add(1);
                Some(person)
            }
        }
    }

    /// Each morning, tops each pulling person up to the queue target, oldest lead first.
    pub fn top_up(&mut self, role: RoleId) {
        // Several pull sources feeding one role form one pool: the oldest lead first,
        // up to the largest of their queue targets.
        let sources = std::mem::take(&mut self.pull_sources[role]);
        let target = sources
            .iter()
            .map(|&i| self.s.lead_sources[i].queue_target)
            .max()
            .unwrap_or(0);
        'people: for person in self.role_people[role].clone() {
            while self.people[person as usize].open_leads < target {
                let Some(r) = self.oldest_pulled(&sources) else {
                    break 'people;
                };
                let lead = &mut self.leads[r.id];
                lead.set_owner(role, person);
                lead.held_by = Some(person);
                self.people[person as usize].open_leads += 1;
                self.request_step(r.id);
            }
        }
        self.pull_sources[role] = sources;
    }

    /// Takes the oldest live lead waiting in the pools of `sources`.
    fn oldest_pulled(&mut self, sources: &[usize]) -> Option<LeadRef> {
        let mut best: Option<(usize, f64)> = None;
        for &source in sources {
            while let Some(&r) = self.pull_pools[source].front() {
                match self.leads.get(r) {
                    Some(lead) => {
                        if best.is_none_or(|(_, t)| lead.created < t) {
                            best = Some((source, lead.created));
                        }
                        break;
                    }
                    None => {
                        self.pull_pools[source].pop_front();
                    }
                }
            }
        }
        best.and_then(|(source, _)| self.pull_pools[source].pop_front())
    }

    /// Requests the lead's current step (or its next repetition).
    pub fn request_step(&mut self, id: LeadId) {
        let s = self.s;
        let step_index = self.leads[id].step;
        let step = &s.funnel[step_index];
        if self.leads[id].reps_left == 0 {
            let reps = draw_count(step.count.as_ref(), &mut self.rng.step_outcomes[step_index]);
            let lead = &mut self.leads[id];
            lead.reps_left = reps;
            lead.step_first_wait = None;
        }
        let variant = pick_variant(&step.variants, &mut self.rng.step_outcomes[step_index]);
        let v = &step.variants[variant];
        self.leads[id].variant = variant;
        self.leads[id].step_requested_at = self.now;
        // A pulled lead counts against its puller until it leaves the puller's role.
        if let Some(holder) = self.leads[id].held_by
            && self.people[holder as usize].role != v.role
        {
            self.release_hold(id);
        }
        let owner = match self.leads[id].owner(v.role) {
            Some(p) => Some(p),
            None if v.routing == Routing::Owner => {
                let assign = match s.roles[v.role].assign {
                    Assign::Pool => Assign::Territory,
                    other => other,
                };
                let p = self.assign_owner(v.role, assign, v.role);
                if let Some(p) = p {
                    self.leads[id].set_owner(v.role, p);
                }
                p
            }
            None => None,
        };
        // A pulled lead goes to its puller whatever the step's routing.
        let routing = if self.leads[id].held_by.is_some() {
            Routing::Owner
        } else {
            v.routing
        };
        let task = match step.kind {
            StepKind::Task => {
                let hours = v.duration.sample(&mut self.rng.step_durations[step_index]);
                self.submit(
                    step_index,
                    v.role,
                    step.activity,
                    WorkRef::LeadStep { lead: id },
                    hours,
                    routing,
                    owner,
                )
            }
            StepKind::Meeting => self.submit_booking(id, routing, owner),
        };
        // `submit` may have started the task already; only a queued task is pending.
        self.leads[id].pending_task = (!self.tasks[task].started).then_some(task);
    }

    /// Asks for the lead's next meeting to be booked: by the seller himself, or by the
    /// booking role (a coordinator) from its pool.
    pub fn submit_booking(
        &mut self,
        id: LeadId,
        routing: Routing,
        owner: Option<PersonId>,
    ) -> TaskId {
        let s = self.s;
        let lead = &self.leads[id];
        let v = &s.funnel[lead.step].variants[lead.variant];
        let role = &s.roles[v.role];
        let hours = role.booking_hours.sample(&mut self.rng.booking);
        let work = WorkRef::Booking { lead: id };
        let (kind, admin) = (s.kind_booking(), crate::scenario::Activity::Admin);
        match role.booking {
            Booking::SelfBooked => self.submit(kind, v.role, admin, work, hours, routing, owner),
            Booking::Coordinator => self.submit(
                kind,
                role.booking_role,
                admin,
                work,
                hours,
                Routing::Pool,
                None,
            ),
        }
    }

    /// Called when someone first works on a task: waits, first contact, handoffs.
    pub fn on_first_start(&mut self, task: TaskId, person: PersonId) {
        let (work, requested_at, role) = {
            let t = &self.tasks[task];
            (t.work, t.requested_at, t.role)
        };
        let lead_id = match work {
            WorkRef::LeadStep { lead } | WorkRef::Booking { lead } => lead,
            WorkRef::Service {
                arrived_at,
                escalated: false,
            } => {
                if self.measuring() {
                    self.stats.service_wait_sum += self.now - arrived_at;
                    self.stats.service_wait_count += 1;
                }
                return;
            }
            _ => return,
        };
        let now = self.now;
        let lead = &mut self.leads[lead_id];
        lead.pending_task = None;
        if !lead.first_contacted {
            lead.first_contacted = true;
            let latency = now - lead.created;
            if now >= self.s.warmup_hours {
                self.stats.first_contact.push(latency);
            }
        }
        let step = lead.step;
        if lead.step_first_wait.is_none() {
            lead.step_first_wait = Some(now - requested_at);
        }
        if now >= self.s.warmup_hours {
            self.stats.step_wait_sum[step] += now - requested_at;
            self.stats.step_wait_count[step] += 1;
        }
        if let WorkRef::LeadStep { .. } = work {
            if lead.owner(role).is_none() {
                lead.set_owner(role, person);
            }
            let extra = self.handoff_to(lead_id, person);
            self.tasks[task].remaining_hours += extra;
        }
        let name = &self.s.funnel[step].name;
        self.record(Some(person), Some(lead_id), name, "work started");
    }

    /// Records a change of person on the lead; returns the handoff time to add.
    pub fn handoff_to(&mut self, lead_id: LeadId, person: PersonId) -> f64 {
        if self.record_handoff(lead_id, person) {
            self.s.handoff.time_hours
        } else {
            0.0
        }
    }

    /// Makes `person` the lead's last person; if that is a change of person, applies the
    /// handoff's win loss and returns true.
    pub fn record_handoff(&mut self, lead_id: LeadId, person: PersonId) -> bool {
        let lead = &mut self.leads[lead_id];
        let changed = lead.last_person.is_some_and(|p| p != person);
        lead.last_person = Some(person);
        if changed {
            lead.win_multiplier *= 1.0 - self.s.handoff.win_loss;
        }
        changed
    }

    /// One repetition of the lead's current step is done at `done_at`.
    pub fn on_step_done(&mut self, id: LeadId, person: PersonId, done_at: f64) {
        let s = self.s;
        let lead = &mut self.leads[id];
        let step_index = lead.step;
        let step = &s.funnel[step_index];
        lead.last_person = Some(person);
        if done_at >= s.warmup_hours {
            self.stats.step_lead_times[step_index].push(done_at - lead.step_requested_at);
        }
        self.record(Some(person), Some(id), &step.name, "step done");
        let lead = &mut self.leads[id];
        lead.reps_left -= 1;
        if lead.reps_left > 0 {
            self.request_step(id);
            return;
        }
        let wait_days = s
            .calendar
            .hours_to_days(lead.step_first_wait.unwrap_or(0.0));
        let mut p = step.advance;
        if step.advance_decay_per_day > 0.0 {
            p *= (1.0 - step.advance_decay_per_day).powf(wait_days);
        }
        let last = step_index + 1 == s.funnel.len();
        if last {
            p *= lead.win_multiplier;
        }
        let advanced = self.rng.step_outcomes[step_index].random::<f64>() < p;
        match (advanced, last) {
            (true, false) => {
                self.leads[id].step += 1;
                self.request_step(id);
            }
            (true, true) => self.end_lead(id, Ending::Won, Some(person)),
            (false, _) => self.end_lead(id, Ending::Lost, Some(person)),
        }
    }

    fn release_hold(&mut self, id: LeadId) {
        if let Some(holder) = self.leads[id].held_by.take() {
            let p = &mut self.people[holder as usize];
            p.open_leads = p.open_leads.saturating_sub(1);
        }
    }

    pub fn end_lead(&mut self, id: LeadId, ending: Ending, person: Option<PersonId>) {
        let s = self.s;
        self.release_hold(id);
        let created = self.leads[id].created;
        let measuring = self.measuring();
        match ending {
            Ending::Won => self.totals.won += 1,
            Ending::Lost => self.totals.lost += 1,
            Ending::Cold => self.totals.cold += 1,
        }
        match ending {
            Ending::Won => {
                let value = s.deal_value.sample(&mut self.rng.deals);
                if measuring {
                    self.stats.won += 1;
                    self.stats.revenue += value;
                    self.stats.sales_cycle.push(self.now - created);
                }
                if s.admin.per_win_hours > 0.0 {
                    self.admin_work(s.admin.per_win_hours, person);
                }
            }
            Ending::Lost => self.stats.lost += u64::from(measuring),
            Ending::Cold => self.stats.cold += u64::from(measuring),
        }
        if measuring {
            self.stats.time_in_system.push(self.now - created);
        }
        let what = match ending {
            Ending::Won => "won",
            Ending::Lost => "lost",
            Ending::Cold => "gone cold",
        };
        self.record(person, Some(id), "", what);
        self.track_open_leads(-1);
        self.leads.release(id);
    }

    /// Per-event admin: to the admin role's pool, or to the person whose work caused it.
    pub fn admin_work(&mut self, hours: f64, person: Option<PersonId>) {
        let s = self.s;
        let kind = s.kind_admin();
        let activity = crate::scenario::Activity::Admin;
        match (s.admin.role, person) {
            (Some(role), _) => {
                self.submit(
                    kind,
                    role,
                    activity,
                    WorkRef::Admin,
                    hours,
                    Routing::Pool,
                    None,
                );
            }
            (None, Some(p)) => {
                let role = self.people[p as usize].role;
                self.submit(
                    kind,
                    role,
                    activity,
                    WorkRef::Admin,
                    hours,
                    Routing::Owner,
                    Some(p),
                );
            }
            (None, None) => {}
        }
    }

    /// Ends every lead whose shelf life is over, and waits for the next deadline that
    /// can still matter: a lead already contacted, or already ended, cannot go cold, so
    /// its deadline is dropped without an event of its own.
    pub fn on_leads_cold(&mut self) {
        while let Some(&(deadline, r)) = self.cold_deadlines.front() {
            let can_go_cold = self.leads.get(r).is_some_and(|lead| !lead.first_contacted);
            if !can_go_cold {
                self.cold_deadlines.pop_front();
                continue;
            }
            if deadline > self.now {
                self.queue
                    .schedule_in_slot(self.cold_slot(), deadline, Event::LeadsCold);
                return;
            }
            self.cold_deadlines.pop_front();
            self.on_lead_cold(r);
        }
    }

    fn on_lead_cold(&mut self, r: LeadRef) {
        let Some(lead) = self.leads.get(r) else {
            return;
        };
        if lead.first_contacted {
            return;
        }
        if let Some(task) = lead.pending_task {
            self.tasks[task].dead = true;
        }
        self.end_lead(r.id, Ending::Cold, None);
    }
}
