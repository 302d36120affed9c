//! `cargo run -p ch13-executors --bin executor_thread`

fn main() -> std::process::ExitCode {
    ch13_executors::run_example(
        "executor_thread",
        ch13_executors::executor_thread::main,
    )
}
