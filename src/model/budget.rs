//! The one memory budget of the process: live work items (tasks) across every trial
//! running at once, whatever the thread count. Each trial reports its live count now
//! and then (every few tens of thousands of events, never per event); a trial that
//! grows while the process is over budget waits until it is not, so memory stays
//! bounded by the budget, not by threads times a per-trial limit. Waiting changes no
//! result: a trial's numbers depend only on its own events. So that waiting can never
//! deadlock, one trial at a time may overdraw (the first to find the budget spent while
//! no other overdraws); it gives the right back when it ends. Whether a trial is a
//! runaway is decided by the trial alone (see `Sim::run`), never by its neighbours.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Live work items the process holds across all its trials before growing trials wait
/// (a trial alone reaching it is a runaway). About 200 bytes each, tasks and the leads
/// and bookkeeping behind them: under a gigabyte, twice that at worst while one trial
/// overdraws.
pub const PROCESS_LIVE_TASKS: u64 = 4_000_000;

/// A budget of live work items shared by trials.
pub struct Budget {
    cap: u64,
    live: AtomicU64,
    /// The most `live` has been at a report.
    peak: AtomicU64,
    overdrawn: AtomicBool,
}

/// The process's budget, shared by every trial of every thread.
pub static PROCESS: Budget = Budget::new(PROCESS_LIVE_TASKS);

impl Budget {
    pub const fn new(cap: u64) -> Budget {
        Budget {
            cap,
            live: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            overdrawn: AtomicBool::new(false),
        }
    }

    /// Live work items reported by the trials running now.
    pub fn live(&self) -> u64 {
        self.live.load(Ordering::Relaxed)
    }

    /// The most live work items reported at once so far.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    pub fn cap(&self) -> u64 {
        self.cap
    }
}

/// One trial's share of a budget: what it last reported, returned when it is dropped.
pub struct Share<'b> {
    budget: &'b Budget,
    reported: u64,
    overdraws: bool,
}

impl<'b> Share<'b> {
    pub fn new(budget: &'b Budget) -> Share<'b> {
        Share {
            budget,
            reported: 0,
            overdraws: false,
        }
    }

    /// Reports `live` work items; true when the trial may go on growing now (the
    /// budget is not spent, or the trial had shrunk, or it is the one that overdraws).
    pub fn report(&mut self, live: u64) -> bool {
        let before = self.reported;
        if live >= before {
            let now = self.budget.live.fetch_add(live - before, Ordering::Relaxed) + live - before;
            self.budget.peak.fetch_max(now, Ordering::Relaxed);
        } else {
            self.budget.live.fetch_sub(before - live, Ordering::Relaxed);
        }
        self.reported = live;
        live <= before || self.may_grow()
    }

    /// True when the budget has room, or this trial overdraws (taking the right to if
    /// no other trial holds it).
    pub fn may_grow(&mut self) -> bool {
        if self.overdraws || self.budget.live() <= self.budget.cap {
            return true;
        }
        self.overdraws = self
            .budget
            .overdrawn
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok();
        self.overdraws
    }

    /// Reports `live`, then waits while the trial may not grow, unless `stop` is raised.
    pub fn report_and_wait(&mut self, live: u64, stop: Option<&AtomicBool>) {
        if self.report(live) {
            return;
        }
        while !self.may_grow() && !stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        self.budget.live.fetch_sub(self.reported, Ordering::Relaxed);
        if self.overdraws {
            self.budget.overdrawn.store(false, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_share_one_budget_and_return_it_when_they_end() {
        let budget = Budget::new(100);
        let mut a = Share::new(&budget);
        let mut b = Share::new(&budget);
        assert!(a.report(60));
        assert!(b.report(30));
        assert_eq!(budget.live(), 90);
        assert!(a.report(40), "shrinking is always allowed");
        assert_eq!(budget.live(), 70);
        drop(a);
        assert_eq!(budget.live(), 30);
        drop(b);
        assert_eq!(budget.live(), 0);
    }

    #[test]
    fn over_budget_one_trial_overdraws_and_the_others_wait_for_it() {
        let budget = Budget::new(100);
        let mut a = Share::new(&budget);
        let mut b = Share::new(&budget);
        assert!(a.report(90));
        assert!(b.report(20), "the first to find the budget spent overdraws");
        assert!(!a.report(95), "another trial growing over budget waits");
        assert!(!a.may_grow());
        drop(b);
        assert!(a.may_grow(), "room again once the overdrawing trial ends");
        let mut c = Share::new(&budget);
        assert!(c.report(200), "no one overdraws any more: c may");
        assert!(!a.report(96));
        drop(c);
        assert!(a.may_grow());
    }
}
