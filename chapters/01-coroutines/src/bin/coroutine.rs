//! `cargo run -p ch01-coroutines --bin coroutine`

fn main() -> std::process::ExitCode {
    match ch01_coroutines::coroutine::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("coroutine failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
