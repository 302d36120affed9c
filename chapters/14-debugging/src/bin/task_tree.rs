//! `cargo run -p ch14-debugging --bin task_tree`

fn main() -> std::process::ExitCode {
    ch14_debugging::run_example("task_tree", ch14_debugging::task_tree::main)
}
