//! `cargo run -p ch05-control --bin wait`

fn main() -> std::process::ExitCode {
    match ch05_control::wait::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wait failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
