//! `cargo run -p ch01-coroutines --bin coroutine_chain`

fn main() -> std::process::ExitCode {
    match ch01_coroutines::coroutine_chain::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("coroutine_chain failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
