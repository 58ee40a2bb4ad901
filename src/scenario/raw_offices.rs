//! The raw form of the office keys: `[offices.NAME]` tables and a role's headcount
//! written as one number (a central role) or per office (`{ north = 4, south = 3 }`).

use std::collections::BTreeMap;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::raw::RawDist;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOffice {
    #[serde(default)]
    pub annual_cost: f64,
    /// Each leg to or from a meeting of this office's leads, overriding the role's.
    pub travel_hours: Option<RawDist>,
}

/// A role's headcount: a plain number (one pool, serving every office) or one number
/// per office.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawHeadcount {
    Central(u32),
    PerOffice(BTreeMap<String, u32>),
}

impl RawHeadcount {
    /// The people of the role in all offices together (saturating: validation bounds it).
    pub fn total(&self) -> u32 {
        match self {
            RawHeadcount::Central(n) => *n,
            RawHeadcount::PerOffice(map) => map.values().fold(0u32, |a, b| a.saturating_add(*b)),
        }
    }
}

impl From<u32> for RawHeadcount {
    fn from(n: u32) -> Self {
        RawHeadcount::Central(n)
    }
}

/// Lists an unwritten option as its default, so the parameter listing reads as it did
/// before the option could be left out.
pub(crate) fn zero_if_unset<T, S>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Default + Serialize + Clone,
    S: Serializer,
{
    value.clone().unwrap_or_default().serialize(serializer)
}

impl<'de> Deserialize<'de> for RawHeadcount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadcountVisitor;

        impl<'de> Visitor<'de> for HeadcountVisitor {
            type Value = RawHeadcount;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a whole number, 0 or more, or a whole number per office such as { north = 4, south = 3 }",
                )
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawHeadcount, E> {
                u32::try_from(v)
                    .map(RawHeadcount::Central)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawHeadcount, E> {
                u32::try_from(v)
                    .map(RawHeadcount::Central)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawHeadcount, A::Error> {
                BTreeMap::<String, u32>::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawHeadcount::PerOffice)
            }
        }

        deserializer.deserialize_any(HeadcountVisitor)
    }
}
