//! `cargo run -p ch01-coroutines`: every example of chapter 1, in book order.

fn main() -> std::process::ExitCode {
    for (index, (name, example)) in ch01_coroutines::EXAMPLES.iter().enumerate()
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
