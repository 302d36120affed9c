//! `cargo run -p ch05-control --bin as_completed`

fn main() -> std::process::ExitCode {
    match ch05_control::as_completed::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("as_completed failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
