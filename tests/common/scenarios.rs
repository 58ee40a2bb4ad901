//! The small scenarios several test files run: the two-person desk (and variants of it
//! with other numbers), and the shipped M/M/3 quote desk shortened.

/// A two-person desk over four weeks: milliseconds per trial. Tests quote line numbers
/// of this text in expected messages (`headcount` is on line 10), so edit it only
/// together with them.
pub const DESK: &str = r#"name = "desk"
horizon_weeks = 4
warmup_weeks = 1

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.desk]
headcount = 2
annual_cost = 100000

[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.5
"#;

/// The desk with other numbers: same lines, same order, so messages point at the same
/// places. `Desk::default()` is [`DESK`].
#[derive(Debug, Clone, Copy)]
pub struct Desk {
    pub name: &'static str,
    pub horizon_weeks: u32,
    pub rate_per_week: f64,
    pub headcount: u32,
}

impl Default for Desk {
    fn default() -> Desk {
        Desk {
            name: "desk",
            horizon_weeks: 4,
            rate_per_week: 20.0,
            headcount: 2,
        }
    }
}

impl Desk {
    /// The scenario text.
    pub fn toml(&self) -> String {
        let edits = [
            ("name = \"desk\"", format!("name = \"{}\"", self.name)),
            (
                "horizon_weeks = 4",
                format!("horizon_weeks = {}", self.horizon_weeks),
            ),
            (
                "rate_per_week = 20.0",
                format!("rate_per_week = {:?}", self.rate_per_week),
            ),
            ("headcount = 2", format!("headcount = {}", self.headcount)),
        ];
        edits.iter().fold(DESK.to_string(), |text, (old, new)| {
            assert_eq!(
                DESK.matches(old).count(),
                1,
                "`{old}` is not unique in DESK"
            );
            text.replacen(old, new, 1)
        })
    }
}

/// The M/M/3 quote desk of DESIGN §5 (`scenarios/validation/mm3.toml`: 30 requests a
/// week, exponential 3-hour quotes, role `engineering`), shortened to `horizon_weeks`
/// with `warmup_weeks` of warm-up.
pub fn quote_desk(horizon_weeks: u32, warmup_weeks: u32) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/validation/mm3.toml");
    std::fs::read_to_string(path)
        .expect("the shipped M/M/3 desk")
        .replace(
            "horizon_weeks = 520",
            &format!("horizon_weeks = {horizon_weeks}"),
        )
        .replace(
            "warmup_weeks = 20",
            &format!("warmup_weeks = {warmup_weeks}"),
        )
}
