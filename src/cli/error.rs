//! Errors at the command-line edge and their exit codes.

use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// Bad flags or scenario files: exit 2.
    BadInput(String),
    /// Stopped by a signal: exit 128 + the signal number.
    Interrupted { signal: i32 },
    /// Anything else (an unwritable disk, say): exit 1.
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Interrupted { signal } => 128 + signal,
            CliError::Other(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::BadInput(m) => write!(f, "error: {m}"),
            CliError::Interrupted { signal } => {
                write!(
                    f,
                    "interrupted by signal {signal}: stopped cleanly, no output file written"
                )
            }
            CliError::Other(m) => write!(f, "error: {m}"),
        }
    }
}

impl From<salesim::scenario::ScenarioError> for CliError {
    fn from(e: salesim::scenario::ScenarioError) -> Self {
        CliError::BadInput(e.to_string())
    }
}
