//! `cargo run -p ch04-tasks --bin cancel_task2`

fn main() -> std::process::ExitCode {
    match ch04_tasks::cancel_task2::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cancel_task2 failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
