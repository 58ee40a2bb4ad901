//! The problems a history can have that do not stop the reading: each is counted, with
//! the first few lines it was found on, and reported (never silently dropped).

use std::fmt;

/// A kind of problem in the data, with what the reader did about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// The same opportunity, stage and time twice: read once.
    Duplicate,
    /// An opportunity's stages, in time order, go back in the funnel (or start before
    /// it was created): its times across the backward step are not used.
    OutOfOrder,
    /// A stage row with no `entered_at`: the opportunity reached the stage, but the
    /// row gives no time.
    MissingDate,
    /// A stage the scenario's funnel does not have (nor `--map stage:VALUE=STEP`): the
    /// row is left out.
    UnknownStage,
}

impl Problem {
    pub const ALL: [Problem; 4] = [
        Problem::Duplicate,
        Problem::OutOfOrder,
        Problem::MissingDate,
        Problem::UnknownStage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Problem::Duplicate => "duplicates",
            Problem::OutOfOrder => "stages out of order",
            Problem::MissingDate => "missing dates",
            Problem::UnknownStage => "unknown stages",
        }
    }

    fn consequence(self) -> &'static str {
        match self {
            Problem::Duplicate => "rows read once",
            Problem::OutOfOrder => {
                "opportunities whose stage times across the backward step are not used"
            }
            Problem::MissingDate => "rows counted for conversion but not for times",
            Problem::UnknownStage => "rows left out",
        }
    }
}

/// How many examples of each problem are kept.
const EXAMPLES: usize = 5;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    counts: [u64; 4],
    examples: [Vec<String>; 4],
}

impl Problems {
    pub fn add(&mut self, problem: Problem, example: impl FnOnce() -> String) {
        let i = problem as usize;
        self.counts[i] += 1;
        if self.examples[i].len() < EXAMPLES {
            self.examples[i].push(example());
        }
    }

    pub fn count(&self, problem: Problem) -> u64 {
        self.counts[problem as usize]
    }

    pub fn examples(&self, problem: Problem) -> &[String] {
        &self.examples[problem as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&c| c == 0)
    }

    /// One line per kind of problem found, for standard error and the reports.
    pub fn lines(&self, file: &str) -> Vec<String> {
        Problem::ALL
            .into_iter()
            .filter(|&p| self.count(p) > 0)
            .map(|p| {
                let more = self.count(p) as usize > self.examples(p).len();
                format!(
                    "{file}: {} {} ({}): {}{}",
                    self.count(p),
                    p.name(),
                    p.consequence(),
                    self.examples(p).join("; "),
                    if more { "; ..." } else { "" }
                )
            })
            .collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts: Vec<String> = Problem::ALL
            .into_iter()
            .map(|p| format!("{} {}", self.count(p), p.name()))
            .collect();
        write!(f, "{}", counts.join(", "))
    }
}
