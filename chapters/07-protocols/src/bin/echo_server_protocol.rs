//! `cargo run -p ch07-protocols --bin echo_server_protocol`

fn main() -> std::process::ExitCode {
    match ch07_protocols::echo_server_protocol::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_server_protocol failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
