//! Shards: splitting a run's trials (or a sweep's points) into N contiguous parts, so
//! parts run on different machines merge back into exactly the unsharded result.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (0-based index, as `K/N` on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The items of this shard among `total`: a contiguous block, sizes differing by at
    /// most one.
    pub fn trials(&self, total: u64) -> std::ops::Range<u64> {
        // In 128 bits, so that no shard count can overflow the products.
        let (total, index, count) = (
            u128::from(total),
            u128::from(self.index),
            u128::from(self.count),
        );
        let start = (total * index / count) as u64;
        let end = (total * (index + 1) / count) as u64;
        start..end
    }

    pub fn is_whole(&self) -> bool {
        self.count == 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (k, n) = text.split_once('/').ok_or_else(|| {
            format!("`{text}` is not K/N (e.g. 0/4 for the first of four shards)")
        })?;
        let index: u64 = k
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{k}` is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a whole number"))?;
        if count == 0 {
            return Err("the shard count N must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard index K must be below N (got {index}/{count}; shards are numbered 0 to {})",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_trial_once() {
        for total in [0, 1, 7, 100, 1001] {
            for count in 1..=6 {
                let covered: Vec<u64> = (0..count)
                    .flat_map(|index| Shard { index, count }.trials(total))
                    .collect();
                assert_eq!(covered, (0..total).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "1/4".parse::<Shard>().unwrap(),
            Shard { index: 1, count: 4 }
        );
        assert!("4/4".parse::<Shard>().is_err());
        assert!("a/4".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().is_err());
    }
}
