//! `cargo run -p ch06-sync --bin lock`

fn main() -> std::process::ExitCode {
    match ch06_sync::lock::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lock failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
