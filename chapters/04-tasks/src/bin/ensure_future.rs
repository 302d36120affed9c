//! `cargo run -p ch04-tasks --bin ensure_future`

fn main() -> std::process::ExitCode {
    match ch04_tasks::ensure_future::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ensure_future failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
