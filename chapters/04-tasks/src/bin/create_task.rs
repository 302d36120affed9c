//! `cargo run -p ch04-tasks --bin create_task`

fn main() -> std::process::ExitCode {
    match ch04_tasks::create_task::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("create_task failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
