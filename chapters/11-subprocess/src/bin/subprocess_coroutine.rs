//! `cargo run -p ch11-subprocess --bin subprocess_coroutine`

fn main() -> std::process::ExitCode {
    ch11_subprocess::run_example(
        "subprocess_coroutine",
        ch11_subprocess::subprocess_coroutine::main,
    )
}
