//! Tests that reach into a running trial: a leaver's pulled leads that he has not
//! started go back to the front of their pull pool, oldest first, and none counts
//! against him any more.

use super::Sim;
use crate::scenario::load_str;

const PULL_DESK: &str = r#"
horizon_weeks = 10
warmup_weeks = 1
[[lead_sources]]
kind = "inbound"
rate_per_week = 60.0
release = "pull"
queue_target = 6
[roles.desk]
headcount = 2
[[funnel]]
name = "call"
role = "desk"
routing = "owner"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.5
"#;

#[test]
fn a_leavers_unstarted_pulled_leads_go_back_to_the_front_of_the_pool() {
    let loaded = load_str(PULL_DESK, "d.toml", "d", &[]).expect("loads");
    let s = &loaded.scenario;
    let mut sim = Sim::new(s, 3, 0, false);
    sim.start();
    // Half an hour into the sixth morning: each puller holds the leads of his top-up
    // and has started one or two of them.
    let until = s.calendar.start_of_day(5) + 0.5;
    while sim.queue.peek_time().is_some_and(|t| t <= until) {
        let (time, event) = sim.queue.pop().expect("peeked");
        sim.now = time;
        sim.handle(event);
    }
    let leaver = 0;
    let held = sim.pipeline.held_by(leaver);
    let unstarted: Vec<_> = held
        .iter()
        .copied()
        .filter(|r| {
            let lead = &sim.pipeline[r.id];
            !lead.first_contacted && lead.pending_task.is_some_and(|t| !sim.tasks[t].started)
        })
        .collect();
    assert!(unstarted.len() >= 2, "{} held, {unstarted:?}", held.len());
    let waiting_before = sim.pipeline.held_by(1).len();
    sim.leave_when_done(leaver);
    assert_eq!(sim.staff.person(leaver).open_leads, 0);
    assert!(sim.pipeline.held_by(leaver).is_empty());
    assert_eq!(sim.pipeline.held_by(1).len(), waiting_before);
    for r in &unstarted {
        let lead = &sim.pipeline[r.id];
        assert!(!lead.in_step && lead.pending_task.is_none() && lead.owner(0).is_none());
    }
    // The next pulls take exactly the given-back leads, oldest first.
    let mut oldest_first = unstarted.clone();
    oldest_first.sort_by(|a, b| {
        sim.pipeline[a.id]
            .created
            .total_cmp(&sim.pipeline[b.id].created)
    });
    let pulled: Vec<_> = (0..unstarted.len())
        .map(|_| sim.pipeline.take_oldest_pulled(0, None).expect("waiting"))
        .collect();
    assert_eq!(pulled, oldest_first);
}
