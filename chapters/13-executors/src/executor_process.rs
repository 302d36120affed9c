//! `asyncio_executor_process.py`: the same six calls on a pool of three
//! worker processes. Each log line names its process: the workers' PIDs are
//! not the main one's.
//!
//! A worker is this program, started again with an argument that makes
//! `serve_if_worker` serve jobs instead of running the example. A job
//! crosses to it as a registered function's name and its argument, not as
//! a closure: a closure's code and captures cannot leave the process.

use crate::blocking_tasks::{blocks, run_blocking_tasks};
use crate::logging::Format;

/// Each line names its process.
const FORMAT: Format = Format::Process;

// ANCHOR: blocks_in_a_worker
/// `blocks`, in the form a worker process can run: a plain function of
/// one argument, logging its process id.
fn blocks_in_a_worker(n: u64) -> u64 {
    blocks(FORMAT, n)
}
// ANCHOR_END: blocks_in_a_worker

// ANCHOR: main
/// The `executor_process` binary: a worker serves jobs; the main process
/// runs the calls on a pool of three workers from a new loop.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The functions the workers can run, by name, the same in every
    // process; a worker serves here and never returns.
    let mut functions = aio::PoolFunctions::new();
    let pooled = functions.register("blocks", blocks_in_a_worker)?;
    functions.serve_if_worker();

    // Create a limited process pool.
    let executor = aio::ProcessPoolExecutor::new(3)?;

    let event_loop = aio::EventLoop::new()?;
    let job = move |i| pooled.call(i);
    let outcome = event_loop
        .run_until_complete(run_blocking_tasks(FORMAT, executor, job));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: main
