//! `cargo run -p ch13-executors --bin thread_per_call`: the first cut, a new
//! thread per call (`first_cut.rs`).

fn main() -> std::process::ExitCode {
    ch13_executors::run_example(
        "thread_per_call",
        ch13_executors::first_cut::main,
    )
}
