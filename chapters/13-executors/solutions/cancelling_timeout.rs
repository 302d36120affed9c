//! Exercise 2: a timeout that says what it did to the job.
//! [`run_with_timeout`] gives a job on an executor a time limit. When the
//! limit passes, the job is cancelled if it has not started, and never
//! runs; a job that has started can't be stopped, so it runs on, and its
//! value is dropped when it comes. The error says which of the two it was.

use aio::{Executor, ExecutorError};
use std::time::Duration;

/// Why [`run_with_timeout`] gave no value.
#[derive(Debug)]
pub enum Overdue {
    /// The limit passed before the job started: it is cancelled, and will
    /// never run.
    NeverStarted,
    /// The limit passed while the job ran: it runs on, and its value will
    /// be dropped.
    LeftRunning,
    /// The job ended within the limit without a value (it panicked, say).
    Failed(ExecutorError),
}

// ANCHOR: run_with_timeout
/// Runs `job` on `executor` and waits for at most `limit` (loop time) for
/// its value.
pub async fn run_with_timeout<E, J>(
    executor: &E,
    job: J,
    limit: Duration,
) -> Result<E::Output, Overdue>
where
    E: Executor<J> + ?Sized,
{
    let mut job = aio::run_in_executor(executor, job);
    // Awaited by reference, so the job's future outlives the timeout.
    match aio::wait_for(&mut job, limit).await {
        Ok(outcome) => outcome.map_err(Overdue::Failed),
        // Cancelling says which side of `start` the job was on: `true`
        // only if no worker had taken it yet.
        Err(_) => match job.concurrent_future().map(|job| job.cancel()) {
            Some(false) => Err(Overdue::LeftRunning),
            Some(true) | None => Err(Overdue::NeverStarted),
        },
    }
}
// ANCHOR_END: run_with_timeout
