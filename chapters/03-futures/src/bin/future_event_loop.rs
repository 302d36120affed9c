//! `cargo run -p ch03-futures --bin future_event_loop`

fn main() -> std::process::ExitCode {
    match ch03_futures::future_event_loop::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("future_event_loop failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
