//! No allocation per event in the steady state: doubling a trial's horizon doubles its
//! events but adds only the few allocations of vectors that grow by doubling (the
//! trial's samples of lead times), not allocations in proportion to the events.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and events of one trial of `file` run for `weeks` weeks.
fn trial(file: &str, weeks: u32) -> (u64, u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let horizon = salesim::scenario::Override::parse(&format!("horizon_weeks={weeks}")).unwrap();
    let loaded = salesim::scenario::load_file(&path, &[horizon]).unwrap();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let events = salesim::model::simulate(&loaded.scenario, 1, 0).events;
    (ALLOCATIONS.load(Ordering::Relaxed) - before, events)
}

#[test]
fn allocations_do_not_grow_with_the_events() {
    for file in [
        "scenarios/craftsperson.toml",
        "scenarios/specialized.toml",
        "scenarios/validation/mm5_peer.toml",
    ] {
        let weeks = if file.contains("mm5") { 200 } else { 60 };
        let (short_allocations, short_events) = trial(file, weeks);
        let (long_allocations, long_events) = trial(file, 4 * weeks);
        let extra_events = long_events - short_events;
        let extra_allocations = long_allocations.saturating_sub(short_allocations);
        eprintln!(
            "{file}: {weeks} weeks {short_allocations} allocations, {short_events} events; \
             x4: {long_allocations} allocations, {long_events} events"
        );
        assert!(
            extra_events > 2 * short_events,
            "{file}: the longer trial has more events"
        );
        // Growing vectors double: a handful more allocations each, whatever the events.
        assert!(
            extra_allocations < 200,
            "{file}: {extra_allocations} more allocations for {extra_events} more events"
        );
    }
}
