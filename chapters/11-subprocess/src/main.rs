//! `cargo run -p ch11-subprocess`: every example of chapter 11, in book
//! order, each under a heading.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for (index, &(name, example)) in
        ch11_subprocess::EXAMPLES.iter().enumerate()
    {
        if index > 0 {
            println!();
        }
        println!("== {name} ==");
        if ch11_subprocess::run_example(name, example) != ExitCode::SUCCESS {
            status = ExitCode::FAILURE;
        }
    }
    status
}
