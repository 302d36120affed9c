//! `cargo run -p ch03-futures`: every example of chapter 3, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch03_futures::EXAMPLES.iter().enumerate() {
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
