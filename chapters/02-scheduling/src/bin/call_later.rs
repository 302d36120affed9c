//! `cargo run -p ch02-scheduling --bin call_later`

fn main() -> std::process::ExitCode {
    match ch02_scheduling::call_later::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("call_later failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
