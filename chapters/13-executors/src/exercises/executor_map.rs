//! Exercise 1: `Executor.map` (small). Write [`map`], which runs every job
//! on an executor at once and returns their values in the jobs' order, as
//! `concurrent.futures.Executor.map` does. See the Exercises section of
//! `book/ch13-executors.md`; grade it with
//! `cargo test -p ch13-executors --test exercises executor_map`.

use aio::{Executor, ExecutorError};

/// Runs every job of `jobs` on `executor` and returns their values in the
/// jobs' order, or the first error in that order. All the jobs are
/// submitted before any is awaited, so they run as the pool allows: at once
/// on a pool large enough.
pub async fn map<E, J>(
    executor: &E,
    jobs: impl IntoIterator<Item = J>,
) -> Result<Vec<E::Output>, ExecutorError>
where
    E: Executor<J> + ?Sized,
{
    // Your code here: `aio::run_in_executor` each job (it submits at the
    // call), then await the futures in order. This placeholder runs none.
    Ok(Vec::new())
}
