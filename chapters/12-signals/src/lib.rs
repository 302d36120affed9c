//! Chapter 12: receiving Unix signals.
//!
//! [`signal`] is the port of PyMOTW-3's `asyncio_signal.py`: handlers for
//! SIGHUP, SIGUSR1 and SIGINT on an event loop, and a task that sends the
//! program those signals. A handler runs as an ordinary loop callback, once
//! the sender has yielded, never inside the signal itself; and SIGINT, which
//! has a handler, does not end the program. `cargo run -p ch12-signals`
//! runs it.
//!
//! [`first_cut`] is the smallest way to the same output: a raw handler that
//! only sets a flag, and a task that polls the flags. [`ctrl_c`] shows what
//! `aio::run` does with Ctrl-C, as `asyncio.run` does: the main task is
//! cancelled, its clean-up runs, and the program ends as SIGINT would have
//! ended it.

pub mod ctrl_c;
pub mod first_cut;
pub mod signal;

use std::process::ExitCode;

/// An example's entry point.
pub type Example = fn() -> Result<(), Box<dyn std::error::Error>>;

/// Runs the example `name`: exit status 0 if it succeeded, or a line on
/// standard error that says why not and status 1.
pub fn run_example(name: &str, example: Example) -> ExitCode {
    match example() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{name} failed: {error}");
            ExitCode::FAILURE
        }
    }
}
