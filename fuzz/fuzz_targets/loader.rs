//! Fuzzes the scenario loader: any bytes, as a scenario file with `--set` overrides,
//! must give a scenario or an error, never a panic; a scenario that loads must then
//! simulate a short trial without panicking and conserve its leads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use salesim::scenario::{Override, load_str};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A last line `#set PATH=VALUE` doubles as an override, to fuzz --set as well.
    let overrides: Vec<Override> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#set "))
        .filter_map(|o| Override::parse(o).ok())
        .collect();
    let Ok(loaded) = load_str(text, "fuzz.toml", "fuzz", &overrides) else { return };
    let mut scenario = loaded.scenario;
    // Keep each run short: the loader, not the horizon, is under test.
    scenario.horizon_hours = scenario.horizon_hours.min(4.0 * scenario.calendar.hours_per_week());
    scenario.warmup_hours = scenario.warmup_hours.min(scenario.horizon_hours / 2.0);
    let out = salesim::model::simulate(&scenario, 1, 0);
    let c = out.conservation;
    assert_eq!(c.created, c.won + c.lost + c.cold + c.open, "leads must be conserved");
});
