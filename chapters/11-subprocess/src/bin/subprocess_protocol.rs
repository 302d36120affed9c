//! `cargo run -p ch11-subprocess --bin subprocess_protocol`

fn main() -> std::process::ExitCode {
    ch11_subprocess::run_example(
        "subprocess_protocol",
        ch11_subprocess::subprocess_protocol::main,
    )
}
