//! `cargo run -p ch02-scheduling --bin call_soon`

fn main() -> std::process::ExitCode {
    match ch02_scheduling::call_soon::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("call_soon failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
