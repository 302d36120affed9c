//! `cargo run -p ch07-protocols --bin echo_client_protocol`

fn main() -> std::process::ExitCode {
    match ch07_protocols::echo_client_protocol::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_client_protocol failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
