//! Exercise 1: `Executor.map`. [`map`] runs every job on an executor at
//! once and gives their values back in the jobs' order, whatever order
//! they finish in, as `concurrent.futures.Executor.map` does.

use aio::{Executor, ExecutorError};

// ANCHOR: map
/// Runs every job of `jobs` on `executor` and returns their values in the
/// jobs' order, or the first error in that order. All the jobs are
/// submitted before any is awaited, so they run as the pool allows: at once
/// on a pool large enough. On an error, the jobs not yet started are
/// cancelled.
pub async fn map<E, J>(
    executor: &E,
    jobs: impl IntoIterator<Item = J>,
) -> Result<Vec<E::Output>, ExecutorError>
where
    E: Executor<J> + ?Sized,
{
    // `run_in_executor` submits at the call, so this starts them all.
    let running: Vec<_> = jobs
        .into_iter()
        .map(|job| aio::run_in_executor(executor, job))
        .collect();
    let mut values = Vec::with_capacity(running.len());
    for job in running {
        // An early return drops the rest, which cancels those not started.
        values.push(job.await?);
    }
    Ok(values)
}
// ANCHOR_END: map
