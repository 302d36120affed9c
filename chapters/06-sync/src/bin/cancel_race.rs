//! `cargo run -p ch06-sync --bin cancel_race`

fn main() -> std::process::ExitCode {
    match ch06_sync::cancel_race::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cancel_race failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
