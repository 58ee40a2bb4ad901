//! The staff: people numbered role by role, what each has in hand, his own queue, and
//! each role's shared pool.
//!
//! Invariant: the people of a role are a contiguous range of ids, in role order, so a
//! role's people are found without a search and `PersonId`s never change in a trial.
//! Within a role with people per office, each office's people are a contiguous range
//! too, in office order, and each office has its own pool.

use std::ops::Range;

use super::meetings::AppointmentId;
use super::work::{LevelQueue, TaskId, TaskSlab};
use crate::scenario::{OfficeId, RoleId, Scenario, SourceKind};

pub type PersonId = u32;

/// The task a person has in hand, since `since`, worked at `speed` (below 1 while
/// a new hire ramps up: its work takes `1 / speed` times as long).
#[derive(Debug, Clone, Copy)]
pub struct Running {
    pub task: TaskId,
    pub since: f64,
    pub speed: f64,
}

/// A new hire's ramp: speed `start` at `from`, rising linearly to 1 over `hours`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ramp {
    pub from: f64,
    pub hours: f64,
    pub start: f64,
}

impl Ramp {
    /// The speed at `t`: `start + (1 - start) * elapsed / hours`, then 1.
    #[inline]
    pub fn speed_at(&self, t: f64) -> f64 {
        let elapsed = (t - self.from).max(0.0);
        if self.hours <= 0.0 || elapsed >= self.hours {
            1.0
        } else {
            self.start + (1.0 - self.start) * elapsed / self.hours
        }
    }
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
    /// His office; `None` in a central role (or a scenario without offices).
    pub office: Option<OfficeId>,
    /// The pool he takes shared work from: his role's, or his office's of his role.
    pub pool: usize,
    /// On the books from (infinite for a seat nobody holds yet).
    pub joined_at: f64,
    /// Off the books from (`None` while on them or before joining).
    pub left_at: Option<f64>,
    /// Leaves once the task in hand and the meetings booked for him are done; takes
    /// no new work meanwhile.
    pub leaving: bool,
    /// Meetings booked for him that have not ended yet.
    pub booked_ahead: u32,
    /// His ramp up to full speed, if he joined as a new hire.
    pub ramp: Option<Ramp>,
    /// When he quits (people over time), infinite if never; and whether his seat is
    /// to be refilled once he is off the books (a quit is, a headcount cut is not).
    pub quit_at: f64,
    pub refill: bool,
}

impl Person {
    /// On the books at `now`: joined, and not left.
    #[inline]
    pub fn on_books(&self, now: f64) -> bool {
        self.joined_at <= now && self.left_at.is_none_or(|left| now < left)
    }

    /// His speed at `now` (1 unless ramping).
    #[inline]
    pub fn speed_at(&self, now: f64) -> f64 {
        self.ramp.map_or(1.0, |r| r.speed_at(now))
    }
}

/// A waiting task and its priority level (0 first).
pub type Waiting = (u8, TaskId);

/// Everyone in the trial, by role, with the pools their roles share.
pub struct Staff {
    people: Vec<Person>,
    role_people: Vec<Range<u32>>,
    /// Per role with people per office, each office's people.
    office_people: Vec<Option<Vec<Range<u32>>>>,
    /// Per role, its first pool (a role with people per office has one per office).
    pool_base: Vec<usize>,
    pools: Vec<LevelQueue>,
    /// Index of the prospecting source of each role, if it has one.
    prospecting_source: Vec<Option<usize>>,
    /// Whether every seat is on the books and stays so (the static staff of a
    /// scenario without people dynamics): the fast paths, drawing what they always did.
    pub(crate) everyone_on_books: bool,
}

impl Staff {
    /// The staff with `seats[role][group]` seats (a group is an office of a role with
    /// people per office, else the whole role); a group's first `headcount` seats are
    /// on the books from time 0, the rest are empty until someone joins.
    pub fn with_seats(s: &Scenario, seats: &[Vec<u32>]) -> Self {
        let heads = seats_of(s);
        let mut people = Vec::new();
        let mut role_people = Vec::new();
        let mut office_people = Vec::new();
        let mut pool_base = Vec::new();
        let mut pools = Vec::new();
        for (r, role) in s.roles.iter().enumerate() {
            let first = people.len() as u32;
            pool_base.push(pools.len());
            // A central role is one group with one pool; a role with people per office
            // is one group per office, each with its pool.
            let groups: Vec<Option<OfficeId>> = match &role.office_headcount {
                Some(per_office) => (0..per_office.len()).map(Some).collect(),
                None => vec![None],
            };
            let mut ranges = Vec::new();
            for (g, office) in groups.into_iter().enumerate() {
                let pool = pools.len();
                pools.push(LevelQueue::new(role.levels));
                let start = people.len() as u32;
                let on_books = heads[r][g];
                let count = seats.get(r).and_then(|v| v.get(g)).copied().unwrap_or(0);
                for seat in 0..count.max(on_books) {
                    people.push(Person {
                        role: r,
                        running: None,
                        prospecting_since: None,
                        away: None,
                        queue: LevelQueue::new(role.levels),
                        prospecting_budget_hours: 0.0,
                        prospecting_to_next_lead: 0.0,
                        open_leads: 0,
                        office,
                        pool,
                        joined_at: if seat < on_books { 0.0 } else { f64::INFINITY },
                        left_at: None,
                        leaving: false,
                        booked_ahead: 0,
                        ramp: None,
                        quit_at: f64::INFINITY,
                        refill: false,
                    });
                }
                ranges.push(start..people.len() as u32);
            }
            role_people.push(first..people.len() as u32);
            office_people.push(role.office_headcount.as_ref().map(|_| ranges));
        }
        let mut prospecting_source = vec![None; s.roles.len()];
        for (i, src) in s.lead_sources.iter().enumerate() {
            if let SourceKind::Prospecting { role, .. } = src.kind
                && prospecting_source[role].is_none()
            {
                prospecting_source[role] = Some(i);
            }
        }
        let everyone_on_books = people.iter().all(|p| p.joined_at == 0.0);
        Staff {
            everyone_on_books,
            people,
            role_people,
            office_people,
            pool_base,
            pools,
            prospecting_source,
        }
    }

    /// How many people there are, all roles together.
    #[inline]
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Every person's id.
    #[inline]
    pub fn everyone(&self) -> Range<u32> {
        0..self.people.len() as u32
    }

    #[inline]
    pub fn person(&self, p: PersonId) -> &Person {
        &self.people[p as usize]
    }

    #[inline]
    pub fn person_mut(&mut self, p: PersonId) -> &mut Person {
        &mut self.people[p as usize]
    }

    #[inline]
    pub fn role_of(&self, p: PersonId) -> RoleId {
        self.people[p as usize].role
    }

    /// The people of `role`.
    #[inline]
    pub fn members(&self, role: RoleId) -> Range<u32> {
        self.role_people[role].clone()
    }

    /// The people of `role` who serve `office`: the office's people of a role with
    /// people per office, else the whole role (a central role serves every office).
    #[inline]
    pub fn members_in(&self, role: RoleId, office: Option<OfficeId>) -> Range<u32> {
        match (&self.office_people[role], office) {
            (Some(ranges), Some(o)) => ranges.get(o).cloned().unwrap_or(0..0),
            _ => self.role_people[role].clone(),
        }
    }

    /// Whether `role` has people per office (its work stays inside each office).
    #[inline]
    pub fn is_per_office(&self, role: RoleId) -> bool {
        self.office_people[role].is_some()
    }

    /// The pool of work shared by `role` in `office` (the role's one pool if central).
    #[inline]
    pub fn pool_mut(&mut self, role: RoleId, office: Option<OfficeId>) -> &mut LevelQueue {
        let index = match (&self.office_people[role], office) {
            (Some(_), Some(o)) => self.pool_base[role] + o,
            _ => self.pool_base[role],
        };
        &mut self.pools[index]
    }

    /// The pool `person` takes shared work from.
    #[inline]
    pub fn own_pool_mut(&mut self, p: PersonId) -> &mut LevelQueue {
        let pool = self.people[p as usize].pool;
        &mut self.pools[pool]
    }

    /// Free to take work: on the books and not leaving, nothing in hand and not away
    /// at an appointment.
    #[inline]
    pub fn is_free(&self, p: PersonId) -> bool {
        let p = &self.people[p as usize];
        p.running.is_none() && p.away.is_none() && self.takes_work(p)
    }

    /// Takes new work and meetings: on the books (a seat whose person has joined and
    /// not left) and not leaving.
    #[inline]
    fn takes_work(&self, p: &Person) -> bool {
        self.everyone_on_books || (p.joined_at.is_finite() && p.left_at.is_none() && !p.leaving)
    }

    /// Whether `p` takes new work and meetings (see `is_free`).
    #[inline]
    pub fn is_available(&self, p: PersonId) -> bool {
        self.takes_work(&self.people[p as usize])
    }

    /// The people of `role` serving `office` who take new work now, as a list.
    pub fn available_in(&self, role: RoleId, office: Option<OfficeId>) -> Vec<PersonId> {
        self.members_in(role, office)
            .filter(|&p| self.is_available(p))
            .collect()
    }

    /// The groups of `role`: each office's people of a role with people per office,
    /// else the whole role (the groups `seats_of` counts).
    pub fn groups(&self, role: RoleId) -> Vec<Range<u32>> {
        match &self.office_people[role] {
            Some(ranges) => ranges.clone(),
            None => vec![self.role_people[role].clone()],
        }
    }

    /// Per role and group (office of a role with people per office, else the role),
    /// the people on the books at `now`.
    pub fn on_books_counts(&self, s: &Scenario, now: f64) -> Vec<Vec<u32>> {
        (0..s.roles.len())
            .map(|r| match &self.office_people[r] {
                Some(ranges) => ranges.iter().map(|g| self.count_on_books(g, now)).collect(),
                None => vec![self.count_on_books(&self.role_people[r], now)],
            })
            .collect()
    }

    fn count_on_books(&self, range: &Range<u32>, now: f64) -> u32 {
        range
            .clone()
            .filter(|&p| self.people[p as usize].on_books(now))
            .count() as u32
    }

    /// Moves the person's own queued work to the pool he takes shared work from.
    pub fn return_queue_to_pool(&mut self, p: PersonId) {
        let person = &mut self.people[p as usize];
        let pool = &mut self.pools[person.pool];
        person.queue.move_into(pool);
    }

    /// The best waiting task of the person's own queue and of his role's pool, as
    /// (level, task) each, dropping dead tasks at their fronts.
    #[inline]
    pub fn peek_work(
        &mut self,
        p: PersonId,
        tasks: &mut TaskSlab,
    ) -> (Option<Waiting>, Option<Waiting>) {
        let person = &mut self.people[p as usize];
        let own = person.queue.peek(tasks);
        let pooled = self.pools[person.pool].peek(tasks);
        (own, pooled)
    }

    /// The lead source the role prospects for, if it prospects.
    #[inline]
    pub fn prospecting_source(&self, role: RoleId) -> Option<usize> {
        self.prospecting_source[role]
    }

    /// Whether any role prospects.
    pub fn anyone_prospects(&self) -> bool {
        self.prospecting_source.iter().any(Option::is_some)
    }
}

/// Per role and group, the most people the scenario's timeline ever has (the seats a
/// trial needs for its `[[changes]]`).
pub fn seats_over_timeline(s: &Scenario) -> Vec<Vec<u32>> {
    let mut seats = seats_of(s);
    for period in &s.timeline {
        for (role, groups) in seats.iter_mut().zip(seats_of(&period.scenario)) {
            for (seat, n) in role.iter_mut().zip(groups) {
                *seat = (*seat).max(n);
            }
        }
    }
    seats
}

/// Per role and group, the scenario's headcount: each office's of a role with people
/// per office, else the role's.
pub fn seats_of(s: &Scenario) -> Vec<Vec<u32>> {
    s.roles
        .iter()
        .map(|role| match &role.office_headcount {
            Some(per_office) => per_office.clone(),
            None => vec![role.headcount],
        })
        .collect()
}
