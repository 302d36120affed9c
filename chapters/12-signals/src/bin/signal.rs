//! `cargo run -p ch12-signals --bin signal`

fn main() -> std::process::ExitCode {
    ch12_signals::run_example("signal", ch12_signals::signal::main)
}
