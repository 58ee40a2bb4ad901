//! Sweep grids: `--vary PATH=SPEC` parsed into values, and their cartesian product.
//! A SPEC is a list (`1,2,3`, `push,pull`) or an inclusive range (`2..=8`, `2..=8:2`).

/// One varied parameter and its values, as text to feed `--set`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    pub path: String,
    pub values: Vec<String>,
    /// `PATH=SPEC` as given, for the manifest.
    pub spec: String,
}

impl Vary {
    pub fn parse(text: &str) -> Result<Vary, String> {
        let (path, spec) = text.split_once('=').ok_or_else(|| {
            format!("`{text}` is not PATH=SPEC (e.g. roles.engineering.headcount=1..=5)")
        })?;
        let (path, spec) = (path.trim(), spec.trim());
        if path.is_empty() || path.split('.').any(|s| s.is_empty()) {
            return Err(format!("`{text}`: the path before `=` must be dotted keys"));
        }
        if spec.is_empty() {
            return Err(format!(
                "`{text}`: no values after `=`; give a list (1,2,3) or a range (2..=8)"
            ));
        }
        let values = if let Some((from, rest)) = spec.split_once("..=") {
            range(from, rest).map_err(|m| format!("`{text}`: {m}"))?
        } else if spec.contains("..") {
            return Err(format!(
                "`{text}`: ranges are inclusive and written `A..=B` or `A..=B:STEP`"
            ));
        } else {
            let values: Vec<String> = spec.split(',').map(|v| v.trim().to_string()).collect();
            if values.iter().any(String::is_empty) {
                return Err(format!("`{text}`: an empty value in the list"));
            }
            values
        };
        Ok(Vary {
            path: path.to_string(),
            values,
            spec: text.to_string(),
        })
    }
}

fn range(from: &str, rest: &str) -> Result<Vec<String>, String> {
    let (to, step) = match rest.split_once(':') {
        Some((to, step)) => (to, Some(step)),
        None => (rest, None),
    };
    let number = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("`{}` is not a number", s.trim()))
    };
    let (a, b) = (number(from)?, number(to)?);
    let step = step.map(number).transpose()?.unwrap_or(1.0);
    if !(a.is_finite() && b.is_finite() && step.is_finite()) {
        return Err("range bounds and step must be finite".into());
    }
    if step <= 0.0 {
        return Err(format!("the step must be positive (got {step})"));
    }
    if a > b {
        return Err(format!(
            "the range is inverted ({a} > {b}); write the smaller bound first"
        ));
    }
    let count = ((b - a) / step + 1e-9).floor() as u64 + 1;
    if count > 10_000 {
        return Err(format!("the range has {count} values; at most 10000"));
    }
    let integers = [from, to].iter().all(|s| !s.contains('.')) && step.fract() == 0.0;
    Ok((0..count)
        .map(|i| {
            let v = a + step * i as f64;
            if integers {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        })
        .collect())
}

/// Every combination of values, the first parameter varying slowest.
pub fn expand(varies: &[Vary]) -> Vec<Vec<String>> {
    varies.iter().fold(vec![Vec::new()], |points, vary| {
        points
            .iter()
            .flat_map(|point| {
                vary.values.iter().map(move |v| {
                    let mut next = point.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_ranges() {
        assert_eq!(Vary::parse("a.b=1,2,3").unwrap().values, ["1", "2", "3"]);
        assert_eq!(
            Vary::parse("a=2..=8:2").unwrap().values,
            ["2", "4", "6", "8"]
        );
        assert_eq!(Vary::parse("a=1..=3").unwrap().values, ["1", "2", "3"]);
        assert_eq!(
            Vary::parse("a=0.5..=1.5:0.5").unwrap().values,
            ["0.5", "1", "1.5"]
        );
        assert_eq!(
            Vary::parse("lead_sources.0.release=push,pull")
                .unwrap()
                .values,
            ["push", "pull"]
        );
    }

    #[test]
    fn rejects_empty_and_inverted_specs() {
        assert!(Vary::parse("a=").is_err());
        assert!(Vary::parse("a=5..=2").unwrap_err().contains("inverted"));
        assert!(Vary::parse("a=1..=5:0").is_err());
        assert!(Vary::parse("a=1..5").is_err());
        assert!(Vary::parse("a=1,,2").is_err());
        assert!(Vary::parse("nopath").is_err());
    }

    #[test]
    fn expands_the_cartesian_product_first_slowest() {
        let grid = expand(&[
            Vary::parse("a=1,2").unwrap(),
            Vary::parse("b=x,y,z").unwrap(),
        ]);
        assert_eq!(grid.len(), 6);
        assert_eq!(grid[0], ["1", "x"]);
        assert_eq!(grid[1], ["1", "y"]);
        assert_eq!(grid[5], ["2", "z"]);
    }
}
