//! `cargo run -p ch08-streams --bin echo_client_coroutine`

fn main() -> std::process::ExitCode {
    match ch08_streams::echo_client_coroutine::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_client_coroutine failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
