//! The `salesim` binary: parses the command line, calls the library, maps errors to
//! exit codes. Everything it does is in the `cli` module; the work is in the library.

mod cli;

fn main() {
    std::process::exit(cli::main_exit_code());
}
