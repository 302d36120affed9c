//! `cargo run -p ch12-signals --bin first_cut`

fn main() -> std::process::ExitCode {
    ch12_signals::run_example("first_cut", ch12_signals::first_cut::main)
}
