//! `cargo run -p ch04-tasks`: every example of chapter 4, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch04_tasks::EXAMPLES.iter().enumerate() {
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
