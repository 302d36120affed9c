//! `cargo run -p ch06-sync --bin queue`

fn main() -> std::process::ExitCode {
    match ch06_sync::queue::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("queue failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
