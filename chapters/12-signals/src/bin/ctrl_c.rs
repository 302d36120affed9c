//! `cargo run -p ch12-signals --bin ctrl_c`

fn main() -> std::process::ExitCode {
    ch12_signals::run_example("ctrl_c", ch12_signals::ctrl_c::main)
}
