//! `cargo run -p ch02-scheduling --bin stop`

fn main() -> std::process::ExitCode {
    match ch02_scheduling::stop::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stop failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
