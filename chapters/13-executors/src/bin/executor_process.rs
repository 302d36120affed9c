//! `cargo run -p ch13-executors --bin executor_process`

fn main() -> std::process::ExitCode {
    ch13_executors::run_example(
        "executor_process",
        ch13_executors::executor_process::main,
    )
}
