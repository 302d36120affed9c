//! `cargo run -p ch08-streams --bin echo_server_coroutine`

fn main() -> std::process::ExitCode {
    match ch08_streams::echo_server_coroutine::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_server_coroutine failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
