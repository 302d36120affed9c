//! `cargo run -p ch14-debugging --bin aio_ps -- PID`: prints the task tree
//! of the aio program running as process `PID`, as Python 3.14's
//! `python -m asyncio pstree PID` does. That program must run with debug
//! mode on (`AIO_DEBUG=1`, or `set_debug(true)`): its loop then answers on
//! `aio::tree_socket_path(PID)`.
//!
//! Exits 1, saying why on standard error, if the program does not answer;
//! 2 on a bad argument.

use std::io::Write;
use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pid] = args.as_slice() else { return usage() };
    let Ok(pid) = pid.parse::<u32>() else { return usage() };
    let printed = aio::request_task_tree(pid)
        .and_then(|tree| std::io::stdout().write_all(tree.as_bytes()));
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("aio_ps: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

fn usage() -> ExitCode {
    eprintln!(
        "usage: aio_ps PID  (the process id of an aio program running with \
         AIO_DEBUG=1)"
    );
    ExitCode::from(2)
}
