//! Moving one input: the scenarios with its fields scaled down and up (whole numbers
//! rounded, shares and probabilities held at 1), loaded through the same checks as a
//! file, and the settings described as `--set` would write them.

use super::{Plan2, Source};
use crate::scenario::{LoadedScenario, Override, numeric_inputs};

/// The moved scenarios of one input, both sides; an error when neither side loads.
pub(super) fn plan_input(
    sources: &[Source],
    base: &[LoadedScenario],
    key: &str,
    by: f64,
) -> Result<Plan2, String> {
    let fields: Vec<Option<Vec<(String, f64, bool)>>> = base
        .iter()
        .map(|l| {
            numeric_inputs(&l.raw)
                .into_iter()
                .find(|i| i.key == key)
                .map(|i| i.fields)
        })
        .collect();
    let first = fields.iter().flatten().next().ok_or("no such input")?;
    if first.iter().all(|(_, v, _)| *v == 0.0) {
        return Err("it is 0, and a fraction of 0 is 0".into());
    }
    let of =
        |f: &Vec<(String, f64, bool)>| describe(key, f.iter().map(|(k, v, _)| (k.as_str(), *v)));
    let base_text = per_design(fields.iter().flatten().map(of).collect());
    let mut sides: [Option<(String, Vec<Option<LoadedScenario>>)>; 2] = [None, None];
    let mut notes = Vec::new();
    for (s, factor) in [(0, 1.0 - by), (1, 1.0 + by)] {
        let mut moved = Vec::new();
        let mut settings = Vec::new();
        let mut failed = None;
        for ((source, l), f) in sources.iter().zip(base).zip(&fields) {
            let Some(f) = f else {
                moved.push(None);
                continue;
            };
            match load_moved(source, l, f, factor) {
                Ok((loaded, text)) => {
                    settings.push(describe(key, parse_setting(&text).into_iter()));
                    moved.push(Some(loaded));
                }
                Err(e) => failed = Some(e),
            }
        }
        let word = if s == 0 { "down" } else { "up" };
        match failed {
            Some(e) => notes.push(format!("not moved {word}: {e}")),
            None => sides[s] = Some((per_design(settings), moved)),
        }
    }
    if sides.iter().all(Option::is_none) {
        return Err(notes.join("; "));
    }
    Ok(Plan2 {
        key: key.to_string(),
        base: base_text,
        sides,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The value of an input in the designs that have it: once when they agree, else each
/// design's in order ("3 -> 5"), so that a comparison does not show the first design's
/// value as if it were both.
fn per_design(texts: Vec<String>) -> String {
    if texts.windows(2).all(|w| w[0] == w[1]) {
        texts.into_iter().next().unwrap_or_default()
    } else {
        texts.join(" -> ")
    }
}

fn parse_setting(text: &str) -> Vec<(&str, f64)> {
    text.split(';')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((k, v.parse().ok()?))
        })
        .collect()
}

/// "12" for a plain input, "mean 25000, sd 12000" for a distribution.
fn describe<'a>(key: &str, fields: impl Iterator<Item = (&'a str, f64)>) -> String {
    let parts: Vec<String> = fields
        .map(
            |(k, v)| match k.strip_prefix(key).and_then(|r| r.strip_prefix('.')) {
                Some(name) => format!("{name} {}", shown(v)),
                None => shown(v),
            },
        )
        .collect();
    parts.join(", ")
}

/// A number for reading: at most six significant digits, so a move of 28 by 20% reads
/// 22.4, not the 22.400000000000002 the arithmetic gives (the setting used is exact).
fn shown(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return number(v);
    }
    let digits = 6 - 1 - v.abs().log10().floor() as i32;
    let rounded = if digits > 0 {
        let scale = 10f64.powi(digits.min(15));
        (v * scale).round() / scale
    } else {
        v.round()
    };
    number(rounded)
}

/// A number in its shortest exact form, for settings.
fn number(v: f64) -> String {
    let text = format!("{v}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// The scenario with every field scaled by `factor` (whole numbers rounded, and moved
/// by one when rounding would leave them; a share or probability that would pass 1 is
/// held at 1), its warm-up that of the unmoved one.
fn load_moved(
    source: &Source,
    base: &LoadedScenario,
    fields: &[(String, f64, bool)],
    factor: f64,
) -> Result<(LoadedScenario, String), String> {
    let moved = |cap: bool| -> Vec<(String, f64)> {
        fields
            .iter()
            .map(|(k, v, whole)| {
                let mut x = v * factor;
                if *whole {
                    x = x.round();
                    if x == *v {
                        x = if factor > 1.0 { v + 1.0 } else { v - 1.0 };
                    }
                }
                if cap && *v <= 1.0 && x > 1.0 {
                    x = 1.0;
                }
                (k.clone(), x)
            })
            .collect()
    };
    let attempt = |values: &[(String, f64)]| {
        let overrides: Vec<Override> = values
            .iter()
            .map(|(k, v)| Override {
                path: k.clone(),
                value: number(*v),
            })
            .collect();
        source.load(&overrides).map_err(|e| {
            e.problems
                .first()
                .map_or_else(|| e.to_string(), |p| format!("{}: {}", p.key, p.message))
        })
    };
    let mut values = moved(false);
    let loaded = match attempt(&values) {
        Ok(l) => l,
        Err(first) => {
            values = moved(true);
            if values.iter().zip(fields).all(|((_, x), (_, v, _))| x == v) {
                return Err(first);
            }
            attempt(&values).map_err(|_| first)?
        }
    };
    let mut loaded = loaded;
    loaded.scenario.warmup = base.scenario.warmup;
    loaded.scenario.warmup_hours = base.scenario.warmup_hours;
    loaded.scenario.warmup_found = base.scenario.warmup_found;
    let text: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{k}={}", number(*v)))
        .collect();
    Ok((loaded, text.join(";")))
}

#[cfg(test)]
mod tests {
    use super::{plan_input, shown};
    use crate::experiment::sensitivity::Source;
    use crate::scenario::Override;

    /// The M/M/3 quote desk with `headcount` engineers, as a design of a comparison.
    fn desk(headcount: u32) -> Source {
        let text = include_str!("../../../scenarios/validation/mm3.toml").to_string();
        let overrides = vec![Override {
            path: "roles.engineering.headcount".into(),
            value: headcount.to_string(),
        }];
        Source {
            text,
            origin: format!("desk{headcount}.toml"),
            default_name: "desk".into(),
            overrides,
        }
    }

    #[test]
    fn an_input_that_differs_between_designs_shows_each_designs_value() {
        let key = "roles.engineering.headcount";
        let sources = [desk(3), desk(5)];
        let base: Vec<_> = sources.iter().map(|s| s.load(&[]).unwrap()).collect();
        let plan = plan_input(&sources, &base, key, 0.2).unwrap();
        assert_eq!(plan.base, "3 -> 5");
        // 3 and 5 moved down by 20% and rounded: 2 and 4; up: 4 and 6.
        let setting = |s: usize| plan.sides[s].as_ref().map(|(t, _)| t.clone());
        assert_eq!(setting(0).as_deref(), Some("2 -> 4"));
        assert_eq!(setting(1).as_deref(), Some("4 -> 6"));
        // Designs that agree show the value once.
        let same = [desk(4), desk(4)];
        let base: Vec<_> = same.iter().map(|s| s.load(&[]).unwrap()).collect();
        assert_eq!(plan_input(&same, &base, key, 0.2).unwrap().base, "4");
    }

    #[test]
    fn moved_numbers_read_without_float_noise() {
        assert_eq!(shown(28.0 * 0.8), "22.4");
        assert_eq!(shown(25.7 * 1.2), "30.84");
        assert_eq!(shown(0.3 * 1.2), "0.36");
        assert_eq!(shown(120000.0 * 0.8), "96000");
        assert_eq!(shown(12.0), "12");
        assert_eq!(shown(-1.5), "-1.5");
    }
}
