//! `cargo run -p ch13-executors --bin blocking_freezes`

fn main() -> std::process::ExitCode {
    ch13_executors::run_example(
        "blocking_freezes",
        ch13_executors::blocking_freezes::main,
    )
}
