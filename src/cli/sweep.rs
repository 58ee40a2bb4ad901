//! `salesim sweep`: a grid over scenario parameters.

use super::args::SweepArgs;
use super::error::CliError;

pub fn sweep(_args: SweepArgs) -> Result<(), CliError> {
    Err(CliError::Other(
        "sweep is not available in this build yet".into(),
    ))
}
