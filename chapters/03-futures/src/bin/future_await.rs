//! `cargo run -p ch03-futures --bin future_await`

fn main() -> std::process::ExitCode {
    match ch03_futures::future_await::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("future_await failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
