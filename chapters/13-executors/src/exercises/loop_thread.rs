//! Exercise 4: a loop on a thread of its own (project). Write
//! [`LoopThread`]: a thread that runs an event loop until it is stopped,
//! to which any plain thread hands coroutines (`run_coroutine_threadsafe`)
//! and blocks on their handles; stopping or dropping it drops the tasks
//! still pending, closes the loop and joins the thread. See the Exercises
//! section of `book/ch13-executors.md`; grade it with
//! `cargo test -p ch13-executors --test exercises loop_thread`.

use aio::{ConcurrentFuture, ExecutorError};
use std::io;

/// An event loop running on a thread of its own.
#[derive(Debug)]
pub struct LoopThread {
    // Your fields here: the loop's `aio::RemoteLoop`, and the thread's
    // `JoinHandle` (in a `Mutex<Option<..>>`, so `stop(&self)` can take
    // it, and any thread can share the `LoopThread`).
}

impl LoopThread {
    /// Starts a thread named `name` that runs a new loop
    /// (`EventLoop::new()`), and returns once the loop is there.
    pub fn start(name: &str) -> io::Result<LoopThread> {
        // Your code here: spawn the thread (`std::thread::Builder`); on it,
        // make the loop, send its `remote()` back through a
        // `std::sync::mpsc` channel, `run_forever`, then `close`. This
        // placeholder starts nothing.
        Err(io::Error::other("LoopThread::start is not written yet"))
    }

    /// Hands `coroutine` to the loop (`run_coroutine_threadsafe`): it is
    /// called on the loop's thread, and the future it makes runs there as
    /// a task. The handle gives the outcome to any thread. Once the loop is
    /// stopped, [`ExecutorError::LoopClosed`].
    pub fn submit<C, F>(
        &self,
        coroutine: C,
    ) -> Result<ConcurrentFuture<F::Output>, ExecutorError>
    where
        C: FnOnce() -> F + Send + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        // Your code here.
        Err(ExecutorError::LoopClosed)
    }

    /// Stops the loop, which drops its pending tasks (their handles say
    /// so) and closes, and waits for its thread to end. Stopping again
    /// does nothing.
    pub fn stop(&self) {
        // Your code here: `stop` the loop from its own thread
        // (`call_soon_threadsafe`), then join the thread.
    }
}

// Your code here: dropping a `LoopThread` should stop it too (`Drop`).
