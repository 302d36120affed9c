//! `cargo run -p ch03-futures --bin future_callback`

fn main() -> std::process::ExitCode {
    match ch03_futures::future_callback::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("future_callback failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
