//! `cargo run -p ch05-control`: every example of chapter 5, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch05_control::EXAMPLES.iter().enumerate() {
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
