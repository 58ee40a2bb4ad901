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

/// Most points a sweep grid may have (the product of the value counts): each point is
/// loaded and run on every trial, so more is a typo, not a study.
pub const MAX_GRID_POINTS: u64 = 10_000;

/// Checks a grid before it is expanded: each path varied once, none also given to
/// `--set` (the point's value would silently replace it), and at most
/// [`MAX_GRID_POINTS`] points. Returns the number of points.
pub fn check(varies: &[Vary], set_paths: &[&str]) -> Result<u64, String> {
    for (i, vary) in varies.iter().enumerate() {
        if let Some(first) = varies[..i].iter().find(|v| v.path == vary.path) {
            return Err(format!(
                "`{}` is varied twice (`{}` and `{}`); give its values in one --vary",
                vary.path, first.spec, vary.spec
            ));
        }
        if set_paths.contains(&vary.path.as_str()) {
            return Err(format!(
                "`{}` is given to both --set and --vary; the grid's values would replace the --set one: drop one of them",
                vary.path
            ));
        }
    }
    let counts: Vec<u64> = varies.iter().map(|v| v.values.len() as u64).collect();
    let points = counts
        .iter()
        .try_fold(1u64, |product, count| product.checked_mul(*count));
    match points {
        Some(points) if points <= MAX_GRID_POINTS => Ok(points),
        _ => {
            let points = points.map_or("more than 2^64".to_string(), |p| p.to_string());
            let counts: Vec<String> = counts.iter().map(u64::to_string).collect();
            Err(format!(
                "the grid has {points} points ({}); at most {MAX_GRID_POINTS}: use fewer values or a coarser step",
                counts.join(" x ")
            ))
        }
    }
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
    fn a_path_varied_twice_or_also_set_is_refused() {
        let a = Vary::parse("a=1,2").unwrap();
        let again = Vary::parse("a=3").unwrap();
        let m = check(&[a.clone(), again], &[]).unwrap_err();
        assert!(m.contains("varied twice"), "{m}");
        let m = check(std::slice::from_ref(&a), &["a"]).unwrap_err();
        assert!(m.contains("both --set and --vary"), "{m}");
        assert_eq!(check(&[a], &["b"]), Ok(2));
    }

    #[test]
    fn a_grid_over_the_cap_is_refused_before_expanding() {
        let big = |p: &str| Vary::parse(&format!("{p}=1..=10000")).unwrap();
        assert_eq!(check(&[big("a")], &[]), Ok(MAX_GRID_POINTS));
        let m = check(&[big("a"), big("b"), big("c")], &[]).unwrap_err();
        assert!(
            m.contains("1000000000000 points (10000 x 10000 x 10000); at most 10000"),
            "{m}"
        );
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
