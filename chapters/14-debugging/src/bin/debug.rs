//! `cargo run -p ch14-debugging --bin debug` (add `-- -v` for debug mode)

fn main() -> std::process::ExitCode {
    ch14_debugging::run_example("debug", ch14_debugging::debug::main)
}
