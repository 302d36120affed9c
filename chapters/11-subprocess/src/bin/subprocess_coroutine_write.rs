//! `cargo run -p ch11-subprocess --bin subprocess_coroutine_write`

fn main() -> std::process::ExitCode {
    ch11_subprocess::run_example(
        "subprocess_coroutine_write",
        ch11_subprocess::subprocess_coroutine_write::main,
    )
}
