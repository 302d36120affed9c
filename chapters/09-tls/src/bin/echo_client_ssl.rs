//! `cargo run -p ch09-tls --bin echo_client_ssl`

fn main() -> std::process::ExitCode {
    match ch09_tls::echo_client_ssl::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_client_ssl failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
