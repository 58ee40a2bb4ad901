//! The pipeline: the leads of a trial in reusable slots, the pull pools they wait in,
//! their shelf-life deadlines, the round-robin counters that assign them, and the
//! whole-trial counts of how they ended.
//!
//! Invariants: a lead slot is reused only after its lead ended, with a new generation,
//! so a stale `LeadRef` is recognised; every lead created is counted once and every
//! ending once, so created = won + lost + cold + open.

use std::collections::VecDeque;
use std::ops::Range;

use super::Conservation;
use super::staff::PersonId;
use super::work::{LeadId, TaskId};
use crate::scenario::{OfficeId, Release, RoleId, Scenario};

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
    /// Its current step has been requested and is not yet done (false while the lead
    /// waits in a pull pool): the lead is open work of that step.
    pub in_step: bool,
    /// Wait of the current step's first repetition, in hours (for `advance_decay`).
    pub step_first_wait: Option<f64>,
    pub first_contacted: bool,
    /// The queued task not yet started, if any (cancelled if the lead goes cold).
    pub pending_task: Option<TaskId>,
    /// The person whose pull queue this lead counts against.
    pub held_by: Option<PersonId>,
    /// The lead source whose pull pool it was parked in, if it was.
    pub pulled_from: Option<usize>,
    /// The office the lead arose in; its account and service requests belong there.
    pub office: Option<OfficeId>,
    /// A lead assigned to the pool of this role on arrival (`assign = "pool"`): it has
    /// no owner there until someone of the role takes its work.
    pub pool_role: Option<RoleId>,
    /// Everyone who has worked on the lead: passing it to anyone else is a handoff.
    pub worked_by: Vec<PersonId>,
    /// Who did each step (the last repetition), by step, for `same_person_as`.
    pub step_person: Vec<(usize, PersonId)>,
    /// Its customer segment (an index of `Scenario::segments`), when there are any.
    pub segment: Option<usize>,
    /// Contact attempts made at its current step, and whether the one in hand (or
    /// queued) reaches the customer.
    pub attempts_made: u32,
    pub attempt_reaches: bool,
    /// The deal value it is won at, when known beforehand (an open opportunity's
    /// amount); otherwise drawn from the deal-value distribution on winning.
    pub amount: Option<f64>,
    /// Working hours an open opportunity had already spent in its stage when the trial
    /// started, credited against its first task there (0 for every other lead).
    pub credit_hours: f64,
}

impl Lead {
    pub fn owner(&self, role: RoleId) -> Option<PersonId> {
        self.owners
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, p)| *p)
    }

    pub fn set_owner(&mut self, role: RoleId, person: PersonId) {
        match self.owners.iter_mut().find(|(r, _)| *r == role) {
            Some(slot) => slot.1 = person,
            None => self.owners.push((role, person)),
        }
    }
}

/// Leads in slots with a free list, so memory stays flat however long the trial.
#[derive(Default)]
struct LeadStore {
    leads: Vec<Lead>,
    free: Vec<LeadId>,
}

impl LeadStore {
    /// A new lead created at `now`, in a free slot if there is one. The slot is reset
    /// in place, keeping its owner list's allocation: no allocation per lead.
    #[inline]
    fn create(&mut self, now: f64) -> LeadRef {
        let fresh =
            |generation: u32, owners: Vec<(RoleId, PersonId)>, worked_by, step_person| Lead {
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
                in_step: false,
                step_first_wait: None,
                first_contacted: false,
                pending_task: None,
                held_by: None,
                pulled_from: None,
                office: None,
                pool_role: None,
                worked_by,
                step_person,
                segment: None,
                attempts_made: 0,
                attempt_reaches: false,
                amount: None,
                credit_hours: 0.0,
            };
        if let Some(id) = self.free.pop() {
            let slot = &mut self.leads[id as usize];
            let generation = slot.generation.wrapping_add(1);
            let mut owners = std::mem::take(&mut slot.owners);
            owners.clear();
            let mut worked_by = std::mem::take(&mut slot.worked_by);
            worked_by.clear();
            let mut step_person = std::mem::take(&mut slot.step_person);
            step_person.clear();
            *slot = fresh(generation, owners, worked_by, step_person);
            LeadRef { id, generation }
        } else {
            self.leads
                .push(fresh(0, Vec::new(), Vec::new(), Vec::new()));
            let id = (self.leads.len() - 1) as LeadId;
            LeadRef { id, generation: 0 }
        }
    }

    fn release(&mut self, id: LeadId) {
        self.leads[id as usize].alive = false;
        self.free.push(id);
    }

    fn get(&self, r: LeadRef) -> Option<&Lead> {
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

/// The leads of a trial and everything that routes, ages and counts them; the
/// event handling that walks them through the funnel is in `sim::leads` and
/// `sim::funnel`.
pub struct Pipeline {
    leads: LeadStore,
    /// Per lead source and office (`source * offices + office`): pulled leads waiting
    /// to be drawn, oldest first (some may have ended meanwhile; they are skipped when
    /// reached).
    pull_pools: Vec<VecDeque<LeadRef>>,
    /// The pull-release sources feeding each role.
    pull_sources: Vec<Vec<usize>>,
    /// Shelf-life deadlines of the leads, in creation order.
    cold_deadlines: VecDeque<(f64, LeadRef)>,
    /// Round-robin counters: one per role, then one per lead source; each once per
    /// office (`offices` of them, at least one).
    round_robin: Vec<u32>,
    /// Offices, at least one: pull pools and round-robin counters are kept per office.
    offices: usize,
    /// Whole-trial lead counts, warm-up included, for the conservation check (`open`
    /// is kept by the ledger).
    totals: Conservation,
}

impl Pipeline {
    pub fn new(s: &Scenario) -> Self {
        let pull_sources = pull_sources_of(s);
        let offices = s.offices.len().max(1);
        Pipeline {
            leads: LeadStore::default(),
            pull_pools: vec![VecDeque::new(); s.lead_sources.len() * offices],
            pull_sources,
            cold_deadlines: VecDeque::new(),
            round_robin: vec![0; (s.roles.len() + s.lead_sources.len()) * offices],
            offices,
            totals: Conservation::default(),
        }
    }

    /// The lead `r` refers to, unless it has ended since.
    #[inline]
    pub fn get(&self, r: LeadRef) -> Option<&Lead> {
        self.leads.get(r)
    }

    /// A new lead at `now`, going cold at `cold_at` unless contacted first. Returns it,
    /// and its deadline when that is now the earliest pending one (the caller wakes
    /// for it; later deadlines wait behind it).
    #[inline]
    pub fn create(&mut self, now: f64, cold_at: Option<f64>) -> (LeadRef, Option<f64>) {
        let r = self.leads.create(now);
        self.totals.created += 1;
        let mut wake = None;
        if let Some(deadline) = cold_at {
            // Deadlines come in creation order (one shelf life for all), so they wait
            // in a FIFO with a single pending event for the earliest, not one each.
            if self.cold_deadlines.is_empty() {
                wake = Some(deadline);
            }
            self.cold_deadlines.push_back((deadline, r));
        }
        (r, wake)
    }

    /// The lead ended: counted, and its slot freed for reuse.
    pub fn end(&mut self, id: LeadId, ending: Ending) {
        match ending {
            Ending::Won => self.totals.won += 1,
            Ending::Lost => self.totals.lost += 1,
            Ending::Cold => self.totals.cold += 1,
        }
        self.leads.release(id);
    }

    /// The whole-trial counts, with `open` leads still open.
    /// Every open lead's current step and when it was requested, for the leads whose
    /// step is requested and not yet done (open work); walked once, at the horizon.
    pub fn open_steps(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.leads
            .leads
            .iter()
            .filter(|l| l.alive && l.in_step)
            .map(|l| (l.step, l.step_requested_at))
    }

    /// Open leads of `office`; with `None`, every open lead.
    pub fn open_in_office(&self, office: Option<crate::scenario::OfficeId>) -> u64 {
        self.leads
            .leads
            .iter()
            .filter(|l| l.alive && (office.is_none() || l.office == office))
            .count() as u64
    }

    pub fn conservation(&self, open: u64) -> Conservation {
        Conservation {
            open,
            ..self.totals
        }
    }

    /// Puts a pulled lead of `source` in its pool (its office's), to be drawn at a
    /// morning top-up.
    pub fn park_pulled(&mut self, source: usize, r: LeadRef) {
        let office = self.leads[r.id].office.unwrap_or(0);
        self.leads[r.id].pulled_from = Some(source);
        self.pull_pools[source * self.offices + office].push_back(r);
    }

    /// Puts a pulled lead back at the front of the pool it was drawn from (its puller
    /// left before starting it; it is older than every lead still waiting there).
    pub fn give_back_pulled(&mut self, r: LeadRef) {
        let lead = &self.leads[r.id];
        let (Some(source), office) = (lead.pulled_from, lead.office.unwrap_or(0)) else {
            return;
        };
        self.pull_pools[source * self.offices + office].push_front(r);
    }

    /// The live leads that count against `person`'s pull queue, newest first.
    pub fn held_by(&self, person: PersonId) -> Vec<LeadRef> {
        let mut held: Vec<LeadRef> = (self.leads.leads.iter().enumerate())
            .filter(|(_, l)| l.alive && l.held_by == Some(person))
            .map(|(id, l)| LeadRef {
                id: id as LeadId,
                generation: l.generation,
            })
            .collect();
        held.sort_by(|a, b| {
            self.leads[b.id]
                .created
                .total_cmp(&self.leads[a.id].created)
        });
        held
    }

    /// A `[[changes]]` period may change release policies: the pull sources feeding
    /// each role follow `s` from now on.
    pub fn follow_release(&mut self, s: &Scenario) {
        self.pull_sources = pull_sources_of(s);
    }

    /// Empties the pools of `source` (every office's): its live leads, oldest first.
    pub fn drain_pulled(&mut self, source: usize) -> Vec<LeadRef> {
        let pools = source * self.offices..(source + 1) * self.offices;
        let mut waiting: Vec<LeadRef> = Vec::new();
        for pool in pools {
            let drained: Vec<LeadRef> = self.pull_pools[pool].drain(..).collect();
            waiting.extend(drained.into_iter().filter(|&r| self.leads.get(r).is_some()));
        }
        // Stable: leads created at the same time keep their office order.
        waiting.sort_by(|a, b| {
            self.leads[a.id]
                .created
                .total_cmp(&self.leads[b.id].created)
        });
        waiting
    }

    /// Whether any pull source feeds `role`.
    #[inline]
    pub fn pulls(&self, role: RoleId) -> bool {
        !self.pull_sources[role].is_empty()
    }

    /// The queue target of the pull sources feeding `role`: several form one pool, so
    /// the largest of their targets.
    pub fn pull_target(&self, s: &Scenario, role: RoleId) -> u32 {
        self.pull_sources[role]
            .iter()
            .map(|&i| s.lead_sources[i].queue_target)
            .max()
            .unwrap_or(0)
    }

    /// Takes the oldest live lead waiting in the pools feeding `role`: those of
    /// `office`, or of every office for `None` (a central role).
    pub fn take_oldest_pulled(
        &mut self,
        role: RoleId,
        office: Option<OfficeId>,
    ) -> Option<LeadRef> {
        let mut best: Option<(usize, f64)> = None;
        let offices = match office {
            Some(o) => o..o + 1,
            None => 0..self.offices,
        };
        let per_source = self.offices;
        for i in 0..self.pull_sources[role].len() {
            for o in offices.clone() {
                let source = self.pull_sources[role][i] * per_source + o;
                self.drop_ended_front(source, &mut best);
            }
        }
        best.and_then(|(source, _)| self.pull_pools[source].pop_front())
    }

    /// Drops ended leads at the front of pull pool `source`; makes its front lead
    /// `best` when it is older.
    fn drop_ended_front(&mut self, source: usize, best: &mut Option<(usize, f64)>) {
        while let Some(&r) = self.pull_pools[source].front() {
            match self.leads.get(r) {
                Some(lead) => {
                    if best.is_none_or(|(_, t)| lead.created < t) {
                        *best = Some((source, lead.created));
                    }
                    break;
                }
                None => {
                    self.pull_pools[source].pop_front();
                }
            }
        }
    }

    /// The next of `members` by round-robin counter `counter` of `office`.
    pub fn round_robin(
        &mut self,
        counter: usize,
        office: Option<OfficeId>,
        members: Range<u32>,
    ) -> PersonId {
        let n = (members.end - members.start).max(1);
        let slot = &mut self.round_robin[counter * self.offices + office.unwrap_or(0)];
        let person = members.start + *slot % n;
        *slot = slot.wrapping_add(1);
        person
    }

    /// The next lead to go cold by `now`, dropping deadlines that can no longer matter
    /// (a lead already contacted, or already ended, cannot go cold). Otherwise `Err`
    /// with the next deadline that can still matter, if any, to wake for.
    pub fn pop_due_cold(&mut self, now: f64) -> Result<LeadRef, Option<f64>> {
        while let Some(&(deadline, r)) = self.cold_deadlines.front() {
            let can_go_cold = self.leads.get(r).is_some_and(|lead| !lead.first_contacted);
            if !can_go_cold {
                self.cold_deadlines.pop_front();
                continue;
            }
            if deadline > now {
                return Err(Some(deadline));
            }
            self.cold_deadlines.pop_front();
            return Ok(r);
        }
        Err(None)
    }
}

/// Per role, the pull-release sources feeding it.
fn pull_sources_of(s: &Scenario) -> Vec<Vec<usize>> {
    (0..s.roles.len())
        .map(|role| {
            (0..s.lead_sources.len())
                .filter(|&i| {
                    let src = &s.lead_sources[i];
                    src.release == Release::Pull && src.to_role == role
                })
                .collect()
        })
        .collect()
}

impl std::ops::Index<LeadId> for Pipeline {
    type Output = Lead;
    #[inline]
    fn index(&self, id: LeadId) -> &Lead {
        &self.leads[id]
    }
}

impl std::ops::IndexMut<LeadId> for Pipeline {
    #[inline]
    fn index_mut(&mut self, id: LeadId) -> &mut Lead {
        &mut self.leads[id]
    }
}
