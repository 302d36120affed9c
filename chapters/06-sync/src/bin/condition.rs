//! `cargo run -p ch06-sync --bin condition`

fn main() -> std::process::ExitCode {
    match ch06_sync::condition::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("condition failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
