//! Crediting the time an open opportunity has already spent in its stage: its task's
//! remaining work is the step's work time conditioned on exceeding the time spent.

/// Draws before an opportunity whose time in stage no draw exceeds is given no work.
pub const CREDIT_TRIES: u32 = 1000;

/// The remaining work of a task whose work has already run `spent` hours: a fresh draw
/// (`draw`) minus `spent`, redrawn while not positive. That is rejection sampling of
/// the work time T given T > spent, so the remainder is distributed as T - spent given
/// T > spent (an exponential T gives T again: memorylessness). When `CREDIT_TRIES`
/// draws all fall at or below `spent` (the time spent is far in the tail), no work is
/// left. With nothing spent, one plain draw: a lead that is not an open opportunity
/// uses its random stream exactly as before.
pub fn remaining_work(spent: f64, mut draw: impl FnMut() -> f64) -> f64 {
    if spent <= 0.0 {
        return draw();
    }
    for _ in 0..CREDIT_TRIES {
        let left = draw() - spent;
        if left > 0.0 {
            return left;
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;
    use rand_distr::{Distribution, Exp, Uniform};

    const N: usize = 200_000;

    fn sorted(mut xs: Vec<f64>) -> Vec<f64> {
        xs.sort_by(f64::total_cmp);
        xs
    }

    /// Two-sample Kolmogorov-Smirnov statistic of sorted samples.
    fn ks(a: &[f64], b: &[f64]) -> f64 {
        let (mut i, mut j, mut d) = (0, 0, 0.0f64);
        while i < a.len() && j < b.len() {
            if a[i] <= b[j] {
                i += 1;
            } else {
                j += 1;
            }
            d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
        }
        d
    }

    #[test]
    fn an_exponential_work_time_is_memoryless_the_remainder_has_the_same_law() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let exp = Exp::new(1.0 / 8.0).unwrap();
        let fresh = sorted((0..N).map(|_| exp.sample(&mut rng)).collect());
        let credited = sorted(
            (0..N)
                .map(|_| remaining_work(12.0, || exp.sample(&mut rng)))
                .collect(),
        );
        // KS critical value at alpha = 0.001 for two samples of N: 1.95 sqrt(2/N).
        let critical = 1.95 * (2.0 / N as f64).sqrt();
        assert!(
            ks(&fresh, &credited) < critical,
            "KS {}",
            ks(&fresh, &credited)
        );
        let mean = credited.iter().sum::<f64>() / N as f64;
        // Exp(mean 8): sd 8, so the mean of N is within 4 standard errors of 8.
        assert!(
            (mean - 8.0).abs() < 4.0 * 8.0 / (N as f64).sqrt(),
            "mean {mean}"
        );
    }

    #[test]
    fn a_uniform_work_time_long_in_stage_has_less_left_by_hand() {
        // T ~ U(2, 10). Given T > 6, T - 6 ~ U(0, 4): mean 2, against 6 fresh; given
        // T > 1 (below the minimum), T - 1 ~ U(1, 9): mean 5.
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let u = Uniform::new(2.0, 10.0).unwrap();
        for (spent, lo, hi, mean) in [(6.0, 0.0, 4.0, 2.0), (1.0, 1.0, 9.0, 5.0)] {
            let xs: Vec<f64> = (0..N)
                .map(|_| remaining_work(spent, || u.sample(&mut rng)))
                .collect();
            let m = xs.iter().sum::<f64>() / N as f64;
            let sd = (hi - lo) / 12f64.sqrt();
            assert!(
                (m - mean).abs() < 4.0 * sd / (N as f64).sqrt(),
                "spent {spent}: mean {m}"
            );
            assert!(
                xs.iter().all(|&x| x > lo && x <= hi),
                "spent {spent}: out of range"
            );
        }
    }

    #[test]
    fn a_time_spent_beyond_every_draw_leaves_no_work_and_none_spent_draws_once() {
        let mut draws = 0;
        assert_eq!(
            remaining_work(20.0, || {
                draws += 1;
                5.0
            }),
            0.0
        );
        assert_eq!(draws, CREDIT_TRIES);
        let mut draws = 0;
        assert_eq!(
            remaining_work(0.0, || {
                draws += 1;
                5.0
            }),
            5.0
        );
        assert_eq!(draws, 1);
    }
}
