//! A first cut at running blocking calls without blocking the loop: each
//! call on a new thread of its own, with chapter 10's `off_the_loop`, and
//! its answer back through `aio::oneshot`. The same six calls as
//! `executor_thread`, and the same log.
//!
//! It works, and the loop stays free; what it lacks is a limit. All six
//! calls run at once, on six threads, each started for one call and gone
//! after it: a thousand calls would be a thousand threads. A pool keeps a
//! few threads and hands each call to one that is free.

use crate::blocking_tasks::blocks;
use crate::logging::{Format, Logger};
use ch10_dns::first_cut::off_the_loop;
use std::error::Error;

/// Each line names its thread (these have none, so their ids stand in).
const FORMAT: Format = Format::ThreadName;

// ANCHOR: run_blocking_tasks
/// `run_blocking_tasks` with a new thread per call and no pool.
async fn run_blocking_tasks() -> Result<(), Box<dyn Error>> {
    let log = Logger::new(FORMAT, "run_blocking_tasks");
    log.info("starting");

    log.info("creating executor tasks");
    let answers: Vec<_> =
        (0..6).map(|i| off_the_loop(move || blocks(FORMAT, i))).collect();
    log.info("waiting for executor tasks");
    let outcomes = aio::gather(answers).await?;
    // A sender is dropped unsent only if its call panicked.
    let results = outcomes.into_iter().collect::<Result<Vec<u64>, _>>()?;
    log.info(format!("results: {results:?}"));

    log.info("exiting");
    Ok(())
}
// ANCHOR_END: run_blocking_tasks

/// The `thread_per_call` binary: the first cut on a new loop.
pub fn main() -> Result<(), Box<dyn Error>> {
    aio::run(run_blocking_tasks())?
}
