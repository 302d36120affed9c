//! Exercise 3: the first cut, bounded (medium). Write [`BoundedThreads`]:
//! each job on a new thread of its own, as the chapter's first cut does,
//! but never more than a limit at once, with a permit of chapter 6's
//! `aio::Semaphore` taken before the thread starts. See the Exercises
//! section of `book/ch13-executors.md`; grade it with
//! `cargo test -p ch13-executors --test exercises bounded_threads`.

use aio::{ExecutorError, Semaphore};

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
    /// [`ExecutorError::Panicked`] with the panic's message. Dropped while
    /// it waits for a permit, the job never starts.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ExecutorError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // Your code here: take a permit (`Semaphore::permit`), start a
        // thread that runs the job under `std::panic::catch_unwind` and
        // sends the outcome through `aio::oneshot`, await the answer, and
        // only then let the permit go. This placeholder runs nothing.
        Err(ExecutorError::Cancelled)
    }
}
