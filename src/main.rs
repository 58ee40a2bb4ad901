fn main() {
    std::process::exit(salesim::cli::main_exit_code());
}
