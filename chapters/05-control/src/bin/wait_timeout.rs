//! `cargo run -p ch05-control --bin wait_timeout`

fn main() -> std::process::ExitCode {
    match ch05_control::wait_timeout::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wait_timeout failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
