//! Exercise 2: a timeout that says what it did to the job (small). Write
//! [`run_with_timeout`]: a job on an executor, given a time limit. When the
//! limit passes, a job that has not started is cancelled and never runs;
//! one that has started runs on, and its value is dropped. The error says
//! which. See the Exercises section of `book/ch13-executors.md`; grade it
//! with `cargo test -p ch13-executors --test exercises cancelling_timeout`.

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
    // Your code here: `aio::run_in_executor`, then `aio::wait_for` on a
    // `&mut` to it; on a timeout, the job's `ConcurrentFuture::cancel`
    // says whether it had started. This placeholder runs nothing.
    Err(Overdue::Failed(ExecutorError::Cancelled))
}
