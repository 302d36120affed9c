//! `cargo run -p ch01-coroutines --bin coroutine_return`

fn main() -> std::process::ExitCode {
    match ch01_coroutines::coroutine_return::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("coroutine_return failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
