//! Random number streams: one portable generator per source of randomness, derived
//! from (seed, source name, trial) alone.
//!
//! Because a stream is named by what it drives (lead arrivals of source 0, durations of
//! the step "quote"), trial `i` of two scenarios that share those names faces the same
//! draws: common random numbers. Because it depends on nothing else, results do not
//! change with the thread count or the order in which trials run.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

#[cfg(test)]
const PINNED_FIRST_DRAW: u64 = 9_652_758_974_543_467_418;

/// The generator behind every stream. ChaCha8 is portable across platforms and versions.
pub type Stream = ChaCha8Rng;

/// FNV-1a: a fixed, documented hash, so stream identities never change between builds.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// SplitMix64 finaliser: spreads the seed so nearby seeds give unrelated keys.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce5_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The stream named `name` for trial `trial` of a run seeded with `seed`.
pub fn stream(seed: u64, trial: u64, name: &str) -> Stream {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed) ^ fnv1a(name));
    rng.set_stream(trial);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_depend_only_on_seed_trial_and_name() {
        let a: u64 = stream(1, 5, "leads/0").random();
        let b: u64 = stream(1, 5, "leads/0").random();
        let c: u64 = stream(1, 6, "leads/0").random();
        let d: u64 = stream(1, 5, "leads/1").random();
        let e: u64 = stream(2, 5, "leads/0").random();
        assert_eq!(a, b);
        assert!(a != c && a != d && a != e);
    }

    #[test]
    fn values_are_stable_across_versions() {
        // Pins the hash and the generator: if either changes, every published result
        // changes too, which must be a deliberate, announced decision.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        let first: u64 = stream(42, 0, "deals").random();
        assert_eq!(first, PINNED_FIRST_DRAW);
    }
}
