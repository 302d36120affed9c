//! `cargo run -p ch02-scheduling`: every example of chapter 2, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch02_scheduling::EXAMPLES.iter().enumerate()
    {
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
