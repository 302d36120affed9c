//! `cargo run -p ch12-signals --bin polled_flag`: the first cut, a flag the
//! loop polls (`first_cut.rs`).

fn main() -> std::process::ExitCode {
    ch12_signals::run_example("polled_flag", ch12_signals::first_cut::main)
}
