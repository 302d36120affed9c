//! `cargo run -p ch06-sync`: every example of chapter 6, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch06_sync::EXAMPLES.iter().enumerate() {
        if index > 0 {
            println!();
        }
        println!("== {name} ==");
        if let Err(error) = example() {
            eprintln!("{name} failed: {error}");
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}
