//! Chapter 13 (executors): awaiting a job that runs elsewhere.
//!
//! [`Executor`] is what a pool offers: take a job, give back its
//! [`ConcurrentFuture`]. [`run_in_executor`] submits a job to one, at once,
//! as asyncio's `loop.run_in_executor` does, and [`wrap_future`] turns the
//! `ConcurrentFuture` into something a task can await: the task sleeps, and
//! the worker's completion wakes it through its waker, which is `Send`
//! (chapter 1's cross-thread door). While it waits, the loop knows that an
//! answer is owed, so the virtual clock does not jump past it. Dropping the
//! awaitable (a cancelled task, a timeout) cancels a job that has not
//! started; one that is running runs on, and its result is dropped, as in
//! `concurrent.futures`.

use crate::ch01_coroutines::event_loop::get_running_loop;
use crate::ch01_coroutines::tick::AnswerOwed;
use crate::ch13_executors::concurrent_future::ConcurrentFuture;
use crate::ch13_executors::executor_error::ExecutorError;
use crate::ch13_executors::thread_pool::ThreadPoolExecutor;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: executor
/// Something that runs jobs of kind `J` somewhere else: closures for a
/// [`ThreadPoolExecutor`], registered calls for a process pool.
pub trait Executor<J> {
    /// What a job gives back.
    type Output: Send + 'static;

    /// Queues `job`; its future settles when it has run.
    fn submit_job(
        &self,
        job: J,
    ) -> Result<ConcurrentFuture<Self::Output>, ExecutorError>;
}

impl<F, T> Executor<F> for ThreadPoolExecutor
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    type Output = T;

    fn submit_job(&self, job: F) -> Result<ConcurrentFuture<T>, ExecutorError> {
        self.submit(job)
    }
}
// ANCHOR_END: executor

// ANCHOR: run_in_executor
/// Runs `job` on `executor` and returns the awaitable (asyncio's
/// `loop.run_in_executor`). The job is submitted now, not when the
/// awaitable is first polled; pass [`DefaultExecutor`](crate::DefaultExecutor)
/// for the loop's own pool (Python's `None`).
pub fn run_in_executor<E, J>(executor: &E, job: J) -> WrappedFuture<E::Output>
where
    E: Executor<J> + ?Sized,
{
    match executor.submit_job(job) {
        Ok(future) => wrap_future(future),
        Err(error) => {
            WrappedFuture { future: None, refused: Some(error), _owed: None }
        }
    }
}

/// A task's way to await a [`ConcurrentFuture`] (asyncio's `wrap_future`).
pub fn wrap_future<T: Send + 'static>(
    future: ConcurrentFuture<T>,
) -> WrappedFuture<T> {
    let owed =
        get_running_loop().ok().map(|event_loop| event_loop.owe_answer());
    WrappedFuture { future: Some(future), refused: None, _owed: owed }
}
// ANCHOR_END: run_in_executor

/// A job running elsewhere, as a future: completes with the job's value, or
/// with the [`ExecutorError`] that stopped it. Dropping it cancels the job
/// if the job has not started.
#[must_use = "the job's value is lost unless you .await it"]
pub struct WrappedFuture<T> {
    future: Option<ConcurrentFuture<T>>,
    /// The executor refused the job: the first poll says why.
    refused: Option<ExecutorError>,
    /// Tells the loop an answer is owed, until this is dropped.
    _owed: Option<AnswerOwed>,
}

impl<T> WrappedFuture<T> {
    /// The job's future, for `cancel`, `running` and the rest (`None` if the
    /// executor refused the job).
    pub fn concurrent_future(&self) -> Option<&ConcurrentFuture<T>> {
        self.future.as_ref()
    }
}

impl<T> Future for WrappedFuture<T> {
    type Output = Result<T, ExecutorError>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        match &self.future {
            Some(future) => future.poll_result(cx),
            None => Poll::Ready(Err(self
                .refused
                .take()
                .unwrap_or(ExecutorError::ResultTaken))),
        }
    }
}

impl<T> Drop for WrappedFuture<T> {
    fn drop(&mut self) {
        if let Some(future) = &self.future {
            future.cancel(); // does nothing to a job that has started
        }
    }
}

impl<T> fmt::Debug for WrappedFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedFuture")
            .field("future", &self.future)
            .field("refused", &self.refused)
            .finish()
    }
}
