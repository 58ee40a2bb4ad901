//! The command-line face, part of the binary only: clap definitions, the commands,
//! the progress bar and signals. Everything here calls the library; nothing here
//! simulates.

mod args;
mod backtest;
mod calibrate;
mod commands;
mod data_out;
mod error;
mod forecast;
mod init;
mod merge;
mod output;
mod progress;
mod sensitivity;
mod sweep;
mod transition;
mod transition_sweep;

use args::Cli;

use clap::Parser;

/// Runs the command line and returns the process exit code: 0 success, 2 bad input,
/// 1 anything else, 130/143 when interrupted by SIGINT/SIGTERM.
pub fn main_exit_code() -> i32 {
    output::note_closed_stdout();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match commands::execute(cli) {
        Ok(()) | Err(error::CliError::Quiet) => 0,
        Err(e) => {
            error::note(&e.to_string());
            e.exit_code()
        }
    }
}
