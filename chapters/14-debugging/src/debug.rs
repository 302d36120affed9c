//! PyMOTW-3's `asyncio_debug.py`: a task that blocks the loop's thread,
//! and debug mode catching it.
//!
//! `outer` creates the task `inner` and awaits it. `inner` calls
//! `std::thread::sleep` for 0.1 s, standing for work done inside a task
//! without ever awaiting: while it sleeps, the loop's one thread runs
//! nothing else. Run plainly, the log shows nothing wrong. With `-v`, the
//! loop is in debug mode with a slow-step threshold of 1 ms, and after
//! `inner`'s step the loop logs a warning that names the task, where it was
//! created, and how long its step took.

use crate::log::{info, route_runtime_log};
use std::time::Duration;

/// How long `inner` blocks the thread: PyMOTW's `time.sleep(0.1)`.
pub const BLOCKING: Duration = Duration::from_millis(100);

/// The slow-step threshold with `-v`: PyMOTW's `0.001`, very small for
/// the illustration (the default is 100 ms, asyncio's 0.1 s).
pub const SLOW: Duration = Duration::from_millis(1);

// ANCHOR: tasks
/// Does its work in one step, blocking the thread: nothing else runs
/// meanwhile.
async fn inner() {
    info("inner starting");
    // A blocking sleep stands for work done inside the task.
    std::thread::sleep(BLOCKING);
    info("inner completed");
}

/// Creates the task `inner` and awaits it.
async fn outer(event_loop: aio::EventLoop) -> Result<(), aio::Error> {
    info("outer starting");
    let task = event_loop.create_task(inner())?;
    task.set_name("inner");
    task.await?;
    info("outer completed");
    Ok(())
}
// ANCHOR_END: tasks

// ANCHOR: main
/// The `debug` binary: `-v` turns debug mode on. The runtime's log goes
/// where the example's goes, in the same format.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verbose = std::env::args().skip(1).any(|arg| arg == "-v");
    route_runtime_log();
    run(verbose)?;
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: run
/// Runs `outer` on a new loop, in debug mode if `verbose`, then closes the
/// loop.
pub fn run(verbose: bool) -> Result<(), aio::Error> {
    let event_loop = aio::EventLoop::new()?;
    if verbose {
        info("enabling debugging");
        event_loop.set_debug(true);
        // Very small, for the illustration.
        event_loop.set_slow_callback_duration(SLOW);
    }
    info("entering event loop");
    let outcome = event_loop.run_until_complete(outer(event_loop.clone()));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: run
