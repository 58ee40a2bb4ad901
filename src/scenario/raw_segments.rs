//! The raw form of customer segments and of contact attempts (DESIGN section 8): serde
//! mirrors of `[segments.NAME]` and a task step's `attempts = { ... }`, before any check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::raw::RawDist;

/// `[segments.NAME]`: a share of every source's leads with its own deal size, margin,
/// conversion, work and roles. Every map is keyed by funnel step name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub share: f64,
    pub deal_value: Option<RawDist>,
    pub gross_margin: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub advance_scale: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub duration_scale: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role: BTreeMap<String, String>,
}

/// `attempts = { max, reach_probability, spacing_days, minutes }` on a task step.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttempts {
    pub max: u32,
    pub reach_probability: f64,
    #[serde(default = "default_spacing_days")]
    pub spacing_days: f64,
    #[serde(default = "default_attempt_minutes")]
    pub minutes: f64,
}

fn default_spacing_days() -> f64 {
    1.0
}

fn default_attempt_minutes() -> f64 {
    5.0
}
