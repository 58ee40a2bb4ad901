//! The outputs of the data commands (`calibrate`, `backtest`, `forecast`): accepted
//! before the CRM file is read (a refused one is exit 2 before any work), then staged
//! and committed together, so either all are written or none.

use std::path::{Path, PathBuf};

use super::error::CliError;
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::Signals;
use salesim::files::OutputPlan;
use salesim::report::Batch;

/// Where a data command writes: its main output (`--out`, standard output when none),
/// its HTML page (`--report`) and, for `calibrate`, a summary on standard output.
pub struct DataOutputs {
    main: PathBuf,
    report: Option<PathBuf>,
    summary: bool,
}

impl DataOutputs {
    /// Accepts the outputs of a command reading `inputs`; `summary` when standard
    /// output carries a summary beside a `--out` file.
    pub fn accept(
        inputs: [&Path; 2],
        out: Option<&Path>,
        report: Option<&Path>,
        summary: bool,
    ) -> Result<DataOutputs, CliError> {
        let mut plan = OutputPlan::new(inputs);
        if summary {
            plan.stdout_taken("the summary on standard output");
        }
        match out {
            Some(path) => accept(&mut plan, "--out", path)?,
            None => ensure_stdout_open()?,
        }
        if let Some(path) = report {
            accept(&mut plan, "--report", path)?;
        }
        if summary {
            ensure_stdout_open()?;
        }
        Ok(DataOutputs {
            main: out.map_or_else(|| PathBuf::from("-"), Path::to_path_buf),
            report: report.map(Path::to_path_buf),
            summary,
        })
    }

    /// Writes `main`, the report page (rendered only when asked for) and the summary.
    pub fn write(
        &self,
        main: Vec<u8>,
        report: impl FnOnce() -> Vec<u8>,
        summary: Option<Vec<u8>>,
        signals: &Signals,
    ) -> Result<(), CliError> {
        let mut batch = Batch::new();
        stage(&mut batch, &self.main, main)?;
        if let Some(path) = &self.report {
            stage(&mut batch, path, report())?;
        }
        if let (true, Some(bytes)) = (self.summary, summary) {
            stage(&mut batch, Path::new("-"), bytes)?;
        }
        commit(batch, signals)
    }
}
