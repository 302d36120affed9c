//! `cargo run -p ch11-subprocess --bin first_cut`

fn main() -> std::process::ExitCode {
    ch11_subprocess::run_example("first_cut", ch11_subprocess::first_cut::main)
}
