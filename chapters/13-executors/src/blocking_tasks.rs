//! What PyMOTW's two executor examples share: `blocks`, the blocking call,
//! and `run_blocking_tasks`, which hands six of them to an executor and
//! waits for them all. Only the executor differs, and the log's format.

use crate::logging::{Format, Logger};
use aio::Executor;
use std::error::Error;
use std::thread;
use std::time::Duration;

// ANCHOR: blocks
/// PyMOTW's `blocks(n)`: a call that blocks its thread for a tenth of a
/// second, then returns `n` squared.
pub fn blocks(format: Format, n: u64) -> u64 {
    let log = Logger::new(format, format!("blocks({n})"));
    log.info("running");
    thread::sleep(Duration::from_millis(100));
    log.info("done");
    n.pow(2)
}
// ANCHOR_END: blocks

// ANCHOR: run_blocking_tasks
/// PyMOTW's `run_blocking_tasks`: six calls on `executor`, each the job
/// that `job(i)` makes, then their results in order.
pub async fn run_blocking_tasks<E, J>(
    format: Format,
    executor: E,
    job: impl Fn(u64) -> J,
) -> Result<(), Box<dyn Error>>
where
    E: Executor<J, Output = u64>,
{
    let log = Logger::new(format, "run_blocking_tasks");
    log.info("starting");

    log.info("creating executor tasks");
    // Each job is submitted here, at the call: the pool may start on it
    // before the loop gets to the next line.
    let blocking_tasks: Vec<_> =
        (0..6).map(|i| aio::run_in_executor(&executor, job(i))).collect();
    log.info("waiting for executor tasks");
    let outcomes = aio::gather(blocking_tasks).await?;
    let results = outcomes.into_iter().collect::<Result<Vec<u64>, _>>()?;
    log.info(format!("results: {results:?}"));

    log.info("exiting");
    Ok(())
}
// ANCHOR_END: run_blocking_tasks
