//! `salesim init TEMPLATE [--out FILE]`: writes a commented starting scenario to
//! standard output or to a new file; an existing file is never overwritten.

use super::args::InitArgs;
use super::error::CliError;
use super::output::{accept, commit, ensure_stdout_open, stage};
use super::progress::Signals;
use salesim::files::OutputPlan;
use salesim::report::Batch;
use salesim::scenario::templates::{starting_file, template, template_names};

pub fn init(args: InitArgs) -> Result<(), CliError> {
    let signals = Signals::install();
    let Some(t) = template(&args.template) else {
        return Err(CliError::BadInput(format!(
            "unknown template `{}`; the templates are: {}",
            salesim::report::printable(&args.template),
            template_names()
        )));
    };
    let mut outputs = OutputPlan::new(std::iter::empty());
    match &args.out {
        Some(out) => {
            if std::fs::symlink_metadata(out).is_ok() {
                return Err(CliError::BadInput(format!(
                    "--out {}: the file already exists; salesim init never overwrites a file: choose another name, or delete it first",
                    out.display()
                )));
            }
            accept(&mut outputs, "--out", out)?;
        }
        None => ensure_stdout_open()?,
    }
    let mut batch = Batch::new();
    let path = args.out.as_deref().unwrap_or(std::path::Path::new("-"));
    stage(&mut batch, path, starting_file(t).into_bytes())?;
    commit(batch, &signals)
}
