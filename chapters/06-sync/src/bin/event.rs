//! `cargo run -p ch06-sync --bin event`

fn main() -> std::process::ExitCode {
    match ch06_sync::event::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("event failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
