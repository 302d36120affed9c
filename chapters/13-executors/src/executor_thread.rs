//! `asyncio_executor_thread.py`: six blocking calls on a pool of three
//! threads. At most three run at once, and the pool's threads are reused;
//! each log line names the thread that wrote it.

use crate::blocking_tasks::{blocks, run_blocking_tasks};
use crate::logging::Format;

/// Each line names its thread.
const FORMAT: Format = Format::ThreadName;

// ANCHOR: main
/// The `executor_thread` binary: a pool of three threads, and the calls
/// run on it from a new loop.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Create a limited thread pool.
    let executor = aio::ThreadPoolExecutor::new(3)?;

    let event_loop = aio::EventLoop::new()?;
    let job = |i| move || blocks(FORMAT, i);
    let outcome = event_loop
        .run_until_complete(run_blocking_tasks(FORMAT, executor, job));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: main
