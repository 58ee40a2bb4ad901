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
    /// Standard output's reader went away (`| head`): stop quietly, exit 0, as the
    /// reader chose to stop reading.
    Quiet,
}

/// Writes a message line to standard error; a closed or full standard error loses the
/// message but never stops the command (nor panics, as `eprintln!` would).
pub fn note(message: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    // Messages quote what the user wrote; control characters stay out.
    for line in message.lines() {
        let _ = writeln!(err, "{}", salesim::report::printable(line));
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Interrupted { signal } => 128 + signal,
            CliError::Other(_) => 1,
            CliError::Quiet => 0,
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
            CliError::Quiet => Ok(()),
        }
    }
}

impl From<salesim::scenario::ScenarioError> for CliError {
    fn from(e: salesim::scenario::ScenarioError) -> Self {
        CliError::BadInput(e.to_string())
    }
}
