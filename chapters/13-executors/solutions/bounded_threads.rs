//! Exercise 3: the first cut, bounded. [`BoundedThreads`] runs each job on
//! a new thread of its own, as the chapter's first cut does, but never
//! more than a limit of them at once: a job takes a permit of chapter 6's
//! [`Semaphore`] before its thread starts, and gives it back when its
//! answer has come.

use aio::{ExecutorError, Semaphore};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::thread;

// ANCHOR: bounded_threads
/// Runs jobs on threads of their own, at most `limit` at once. Clones
/// share the limit.
#[derive(Debug, Clone)]
pub struct BoundedThreads {
    permits: Semaphore,
}

impl BoundedThreads {
    /// At most `limit` threads at once.
    pub fn new(limit: usize) -> BoundedThreads {
        BoundedThreads { permits: Semaphore::new(limit) }
    }

    /// Runs `job` on a new thread once fewer than the limit are running,
    /// and awaits its value. A job that panics gives
    /// [`ExecutorError::Panicked`]. Dropped while it waits for a permit,
    /// the job never starts.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ExecutorError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // The permit first: until it is ours there is no thread, so a job
        // that waits costs nothing and can still be dropped unrun.
        let _permit = self.permits.permit().await;
        let (sender, answer) = aio::oneshot::channel();
        thread::Builder::new()
            .spawn(move || {
                let outcome = panic::catch_unwind(AssertUnwindSafe(job));
                let _ = sender.send(outcome.map_err(panicked));
            })
            .map_err(ExecutorError::Spawn)?;
        // The sender is sent or dropped only once the job is over.
        answer.await.unwrap_or(Err(ExecutorError::Cancelled))
    } // the permit goes back here, when the thread has answered
}
// ANCHOR_END: bounded_threads

// ANCHOR: panicked
/// The error of a job that panicked with `payload`.
fn panicked(payload: Box<dyn Any + Send>) -> ExecutorError {
    let message = match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&str>() {
            Ok(message) => (*message).to_owned(),
            Err(_) => "a panic without a message".to_owned(),
        },
    };
    ExecutorError::Panicked { message }
}
// ANCHOR_END: panicked
