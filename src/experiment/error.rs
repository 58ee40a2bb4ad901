//! What can go wrong in an experiment, each saying where and what to do, and whether
//! it is the user's input (fix it and run again) or something else.

use std::path::PathBuf;

/// An experiment that could not run or be put together.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    #[error(
        "{first} and {other} cannot be compared trial by trial: horizon_weeks/warmup_weeks differ ({}/{} against {}/{} weeks); give both the same horizon and warm-up",
        first_weeks.0, first_weeks.1, other_weeks.0, other_weeks.1
    )]
    NotComparable {
        first: String,
        other: String,
        /// (horizon, warm-up) in weeks.
        first_weeks: (f64, f64),
        other_weeks: (f64, f64),
    },
    /// A file that cannot be read at all.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A part file or manifest that is not what it should be; `at` is `FILE` or
    /// `FILE:LINE`.
    #[error("{at}: {problem}")]
    BadFile { at: String, problem: String },
    /// Parts that do not add up to one run.
    #[error("{0}")]
    PartsDisagree(String),
    /// Stopped on request (a signal) between chunks of trials.
    #[error("cancelled")]
    Cancelled,
}

impl ExperimentError {
    /// Whether the error lies in what the user gave (exit code 2), rather than in the
    /// machine or a cancellation.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ExperimentError::NotComparable { .. }
            | ExperimentError::Read { .. }
            | ExperimentError::BadFile { .. }
            | ExperimentError::PartsDisagree(_) => true,
            ExperimentError::Cancelled => false,
        }
    }

    pub(crate) fn bad_file(at: impl std::fmt::Display, problem: impl Into<String>) -> Self {
        ExperimentError::BadFile {
            at: at.to_string(),
            problem: problem.into(),
        }
    }
}
