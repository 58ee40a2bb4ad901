//! Units of work and the queues that hold them.
//!
//! A `Task` is one piece of work for one person: a funnel step's repetition, a booking,
//! a service request, admin. Tasks live in a slab and are referred to by index, so the
//! steady state allocates nothing per event.

use std::collections::VecDeque;

use crate::scenario::{Activity, KindId, RoleId};

pub type TaskId = u32;
pub type LeadId = u32;

/// What a task's completion means to the rest of the model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkRef {
    /// One repetition of the lead's current funnel step.
    LeadStep {
        lead: LeadId,
    },
    /// Booking the lead's next meeting.
    Booking {
        lead: LeadId,
    },
    /// A service request, or its escalation, that arrived at `arrived_at`.
    Service {
        arrived_at: f64,
        escalated: bool,
    },
    Admin,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub kind: KindId,
    pub role: RoleId,
    pub activity: Activity,
    pub work: WorkRef,
    pub remaining_hours: f64,
    /// Context-switching time owed before the remaining work (after a pre-emption).
    pub switch_hours: f64,
    pub requested_at: f64,
    pub started: bool,
    pub preempted: bool,
    /// Cancelled while queued (its lead went cold): dropped when it reaches the front.
    pub dead: bool,
    /// The office the work arose in: it picks the pool of a role with people per office.
    pub office: Option<crate::scenario::OfficeId>,
}

/// A slab of tasks with a free list.
#[derive(Default)]
pub struct TaskSlab {
    tasks: Vec<Task>,
    free: Vec<TaskId>,
    live: usize,
    created: u64,
}

impl TaskSlab {
    pub fn insert(&mut self, task: Task) -> TaskId {
        self.live += 1;
        self.created += 1;
        if let Some(id) = self.free.pop() {
            self.tasks[id as usize] = task;
            id
        } else {
            self.tasks.push(task);
            (self.tasks.len() - 1) as TaskId
        }
    }

    pub fn remove(&mut self, id: TaskId) {
        self.live -= 1;
        self.free.push(id);
    }

    /// Tasks created so far in the trial.
    pub fn created(&self) -> u64 {
        self.created
    }

    /// Tasks that exist: queued, running or pre-empted.
    pub fn live(&self) -> usize {
        self.live
    }
}

impl std::ops::Index<TaskId> for TaskSlab {
    type Output = Task;
    fn index(&self, id: TaskId) -> &Task {
        &self.tasks[id as usize]
    }
}

impl std::ops::IndexMut<TaskId> for TaskSlab {
    fn index_mut(&mut self, id: TaskId) -> &mut Task {
        &mut self.tasks[id as usize]
    }
}

/// A queue with priority levels (0 first); first come, first served within a level,
/// except that a pre-empted task goes back to the front of its level.
pub struct LevelQueue {
    levels: Vec<VecDeque<TaskId>>,
    /// Bit `l` set when level `l` may hold tasks, so a look for work skips empty levels
    /// (levels past 63 are always looked at).
    occupied: u64,
}

impl LevelQueue {
    pub fn new(levels: usize) -> Self {
        LevelQueue {
            levels: (0..levels.max(1)).map(|_| VecDeque::new()).collect(),
            occupied: 0,
        }
    }

    fn mark(&mut self, level: u8) {
        if level < 64 {
            self.occupied |= 1 << level;
        }
    }

    pub fn push_back(&mut self, level: u8, id: TaskId) {
        self.levels[level as usize].push_back(id);
        self.mark(level);
    }

    pub fn push_front(&mut self, level: u8, id: TaskId) {
        self.levels[level as usize].push_front(id);
        self.mark(level);
    }

    /// The best live task (level, id), dropping dead tasks found at the fronts.
    pub fn peek(&mut self, tasks: &mut TaskSlab) -> Option<(u8, TaskId)> {
        let first = if self.levels.len() <= 64 {
            if self.occupied == 0 {
                return None;
            }
            self.occupied.trailing_zeros() as usize
        } else {
            0
        };
        for level in first..self.levels.len() {
            if level < 64 && self.occupied & (1 << level) == 0 {
                continue;
            }
            let queue = &mut self.levels[level];
            while let Some(&id) = queue.front() {
                if tasks[id].dead {
                    queue.pop_front();
                    tasks.remove(id);
                } else {
                    return Some((level as u8, id));
                }
            }
            if level < 64 {
                self.occupied &= !(1 << level);
            }
        }
        None
    }

    /// Moves every task to the back of its level in `other`, in order.
    pub fn move_into(&mut self, other: &mut LevelQueue) {
        for (level, queue) in self.levels.iter_mut().enumerate() {
            for id in queue.drain(..) {
                other.push_back(level as u8, id);
            }
        }
        self.occupied = 0;
    }

    pub fn pop_level(&mut self, level: u8) -> Option<TaskId> {
        let queue = &mut self.levels[level as usize];
        let id = queue.pop_front();
        if queue.is_empty() && level < 64 {
            self.occupied &= !(1 << level);
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(requested_at: f64) -> Task {
        Task {
            kind: 0,
            role: 0,
            activity: Activity::Selling,
            work: WorkRef::Admin,
            remaining_hours: 1.0,
            switch_hours: 0.0,
            requested_at,
            started: false,
            preempted: false,
            dead: false,
            office: None,
        }
    }

    #[test]
    fn higher_levels_first_then_fifo_with_preempted_in_front() {
        let mut slab = TaskSlab::default();
        let mut queue = LevelQueue::new(2);
        let a = slab.insert(task(0.0));
        let b = slab.insert(task(1.0));
        let c = slab.insert(task(2.0));
        let d = slab.insert(task(3.0));
        queue.push_back(1, a);
        queue.push_back(0, b);
        queue.push_back(0, c);
        queue.push_front(0, d);
        let mut order = vec![];
        while let Some((level, _)) = queue.peek(&mut slab) {
            order.push(queue.pop_level(level).unwrap());
        }
        assert_eq!(order, vec![d, b, c, a]);
    }

    #[test]
    fn dead_tasks_are_dropped_and_their_slots_reused() {
        let mut slab = TaskSlab::default();
        let mut queue = LevelQueue::new(1);
        let a = slab.insert(task(0.0));
        let b = slab.insert(task(1.0));
        queue.push_back(0, a);
        queue.push_back(0, b);
        slab[a].dead = true;
        assert_eq!(queue.peek(&mut slab), Some((0, b)));
        assert_eq!(slab.live(), 1);
        assert_eq!(slab.insert(task(2.0)), a);
    }
}
