//! `cargo run -p ch10-dns`: both examples of chapter 10, in book order, each
//! with its default arguments.

fn main() -> std::process::ExitCode {
    let mut status = std::process::ExitCode::SUCCESS;
    for (index, (name, example)) in ch10_dns::EXAMPLES.iter().enumerate() {
        if index > 0 {
            println!();
        }
        println!("== {name} ==");
        if example(Vec::new()) != std::process::ExitCode::SUCCESS {
            status = std::process::ExitCode::FAILURE;
        }
    }
    status
}
