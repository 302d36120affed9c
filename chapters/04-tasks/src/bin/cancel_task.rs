//! `cargo run -p ch04-tasks --bin cancel_task`

fn main() -> std::process::ExitCode {
    match ch04_tasks::cancel_task::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cancel_task failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
