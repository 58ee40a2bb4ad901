//! Dispatch: new tasks to a person or a role's pool, who takes what next, pre-emption
//! and interrupts, and the end of a task.

use rand::RngExt;

use super::{Event, Sim};
use crate::model::staff::{PersonId, Running};
use crate::model::work::{Task, TaskId, WorkRef};
use crate::scenario::{Activity, KindId, OfficeId, RoleId, Routing, Scenario};

/// A task to create: what kind of work, for which role, and how many hours.
#[derive(Debug, Clone, Copy)]
pub struct NewTask {
    pub kind: KindId,
    pub role: RoleId,
    pub activity: Activity,
    pub work: WorkRef,
    pub hours: f64,
    /// The office the work arose in (`None` without offices).
    pub office: Option<OfficeId>,
}

impl NewTask {
    /// Admin work of `hours` for `role`.
    pub fn admin(s: &Scenario, role: RoleId, hours: f64) -> Self {
        NewTask {
            kind: s.kind_admin(),
            role,
            activity: Activity::Admin,
            work: WorkRef::Admin,
            hours,
            office: None,
        }
    }

    /// The same work, arising in `office`.
    pub fn in_office(self, office: Option<OfficeId>) -> Self {
        NewTask { office, ..self }
    }
}

impl Sim<'_> {
    /// Creates a task and hands it to `owner` under owner routing, else to the pool of
    /// its role.
    pub(super) fn submit(
        &mut self,
        new: NewTask,
        routing: Routing,
        owner: Option<PersonId>,
    ) -> TaskId {
        let task = self.tasks.insert(Task {
            kind: new.kind,
            role: new.role,
            activity: new.activity,
            work: new.work,
            remaining_hours: new.hours,
            switch_hours: 0.0,
            requested_at: self.now,
            started: false,
            preempted: false,
            dead: false,
            office: new.office,
        });
        match (routing, owner) {
            (Routing::Owner, Some(p)) if self.staff.is_available(p) => self.give_to_person(task, p),
            _ => self.give_to_pool(task, new.role),
        }
        task
    }

    fn level(&self, task: TaskId) -> u8 {
        let t = &self.tasks[task];
        self.s.roles[t.role].level_of_kind[t.kind]
    }

    fn interrupts(&self, task: TaskId, person: PersonId) -> bool {
        let p = self.staff.person(person);
        let role = &self.s.roles[p.role];
        let Some(running) = p.running else {
            return false;
        };
        let new_kind = self.tasks[task].kind;
        let running_kind = self.tasks[running.task].kind;
        role.interrupted_by[new_kind] && !role.interrupted_by[running_kind]
    }

    fn give_to_person(&mut self, task: TaskId, person: PersonId) {
        if self.staff.person(person).away.is_none() && self.interrupts(task, person) {
            self.preempt(person);
            self.start_task(person, task);
            return;
        }
        let level = self.level(task);
        self.staff.person_mut(person).queue.push_back(level, task);
        if self.staff.is_free(person) {
            self.try_start(person);
        }
    }

    fn give_to_pool(&mut self, task: TaskId, role: RoleId) {
        let office = self.tasks[task].office;
        let range = self.staff.members_in(role, office);
        // An idle person takes the work at once; else one who is only prospecting stops.
        let mut free = None;
        for p in range.clone() {
            if self.staff.is_free(p) {
                if self.staff.person(p).prospecting_since.is_none() {
                    free = Some(p);
                    break;
                }
                free = free.or(Some(p));
            }
        }
        let level = self.level(task);
        if let Some(p) = free {
            self.staff.pool_mut(role, office).push_back(level, task);
            self.try_start(p);
            return;
        }
        if self.s.roles[role].interrupted_by[self.tasks[task].kind] {
            // Interrupt the person whose interruptible task started last.
            let victim = range
                .filter(|&p| {
                    self.staff.person(p).away.is_none()
                        && self.staff.is_available(p)
                        && self.interrupts(task, p)
                })
                .max_by(|&a, &b| {
                    let since =
                        |p: PersonId| self.staff.person(p).running.map_or(f64::MIN, |r| r.since);
                    since(a).total_cmp(&since(b)).then(b.cmp(&a))
                });
            if let Some(p) = victim {
                self.preempt(p);
                self.start_task(p, task);
                return;
            }
        }
        self.staff.pool_mut(role, office).push_back(level, task);
    }

    /// Stops the task in hand; it keeps its remaining work plus the switch cost and goes
    /// to the front of its level in the person's own queue.
    pub(super) fn preempt(&mut self, person: PersonId) {
        self.stop_prospecting(person);
        let Some(running) = self.staff.person_mut(person).running.take() else {
            return;
        };
        self.account_task_segment(person, running, self.now);
        let switch_cost = self.s.roles[self.staff.role_of(person)].switch_cost_hours;
        let elapsed = self.now - running.since;
        let task = &mut self.tasks[running.task];
        let switching_done = task.switch_hours.min(elapsed);
        task.switch_hours -= switching_done;
        let worked = (elapsed - switching_done) * running.speed;
        task.remaining_hours = (task.remaining_hours - worked).max(0.0);
        task.switch_hours += switch_cost;
        task.preempted = true;
        let level = self.level(running.task);
        self.staff
            .person_mut(person)
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
    pub(super) fn try_start(&mut self, person: PersonId) {
        if !self.staff.is_free(person) {
            return;
        }
        let (own, pooled) = self.staff.peek_work(person, &mut self.tasks);
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
            self.staff.person_mut(person).queue.pop_level(level)
        } else {
            let (level, _) = pooled.expect("checked");
            self.staff.own_pool_mut(person).pop_level(level)
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
        // A ramping new hire works the task at his speed at its start.
        let speed = self.staff.person(person).speed_at(self.now);
        let hours = t.switch_hours + t.remaining_hours / speed;
        self.staff.person_mut(person).running = Some(Running {
            task,
            since: self.now,
            speed,
        });
        self.queue.schedule_in_slot(
            self.person_slot(person),
            self.now + hours,
            Event::TaskDone { person },
        );
    }

    pub(super) fn on_task_done(&mut self, person: PersonId) {
        let running = self
            .staff
            .person_mut(person)
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
            } => self.on_service_done(arrived_at, escalated, task.office),
            WorkRef::Admin => {}
        }
        if self.maybe_leave(person) {
            return;
        }
        self.try_start(person);
    }

    /// Someone of `role` serving `office`, drawn at random (a territory, an account's
    /// owner).
    pub(super) fn random_person(&mut self, role: RoleId, office: Option<OfficeId>) -> PersonId {
        let range = self.staff.members_in(role, office);
        if self.staff.everyone_on_books {
            return self.rng.routing.random_range(range);
        }
        let available = self.staff.available_in(role, office);
        if available.is_empty() {
            // Nobody to own it: whoever is drawn is off the books, so work for him
            // goes to the pool (see `submit`).
            return self.rng.routing.random_range(range);
        }
        available[self.rng.routing.random_range(0..available.len())]
    }
}
