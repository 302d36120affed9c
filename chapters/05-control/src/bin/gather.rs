//! `cargo run -p ch05-control --bin gather`

fn main() -> std::process::ExitCode {
    match ch05_control::gather::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gather failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
