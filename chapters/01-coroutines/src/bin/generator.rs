//! `cargo run -p ch01-coroutines --bin generator`

fn main() -> std::process::ExitCode {
    match ch01_coroutines::generator::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("generator failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
