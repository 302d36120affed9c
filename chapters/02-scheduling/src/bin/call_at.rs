//! `cargo run -p ch02-scheduling --bin call_at`

fn main() -> std::process::ExitCode {
    match ch02_scheduling::call_at::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("call_at failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
