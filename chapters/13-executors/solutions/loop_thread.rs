//! Exercise 4: a loop on a thread of its own, reached from plain threads.
//! [`LoopThread`] starts a thread that runs an event loop until it is
//! stopped; any thread may hand it coroutines with
//! `run_coroutine_threadsafe` and block on their handles. Stopping it (or
//! dropping it) stops the loop, drops the tasks still pending, closes the
//! loop and joins its thread.

use aio::{ConcurrentFuture, EventLoop, ExecutorError, RemoteLoop, TaskRef};
use std::io;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

// ANCHOR: loop_thread
/// An event loop running on a thread of its own.
#[derive(Debug)]
pub struct LoopThread {
    remote: RemoteLoop,
    /// The loop's thread, until it has been stopped and joined.
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl LoopThread {
    /// Starts a thread named `name` that runs a new loop
    /// (`EventLoop::new()`), and returns once the loop is there.
    pub fn start(name: &str) -> io::Result<LoopThread> {
        let (started, remote) = mpsc::channel();
        let thread = thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || run_loop(started))?;
        match remote.recv() {
            Ok(Ok(remote)) => {
                Ok(LoopThread { remote, thread: Mutex::new(Some(thread)) })
            }
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(io::Error::other(error))
            }
            Err(_) => Err(io::Error::other("the loop's thread ended early")),
        }
    }
    // ANCHOR_END: loop_thread

    // ANCHOR: submit
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
        if self.lock_thread().is_none() {
            return Err(ExecutorError::LoopClosed);
        }
        Ok(aio::run_coroutine_threadsafe(coroutine, &self.remote))
    }
    // ANCHOR_END: submit

    // ANCHOR: stop
    /// Stops the loop, which drops its pending tasks (their handles say
    /// so) and closes, and waits for its thread to end. Stopping again
    /// does nothing.
    pub fn stop(&self) {
        let Some(thread) = self.lock_thread().take() else {
            return;
        };
        // `stop` must run on the loop's own thread: send it there.
        let _ = self.remote.call_soon_threadsafe(|| {
            if let Ok(event_loop) = aio::get_running_loop() {
                event_loop.stop();
            }
        });
        // A coroutine on the loop may stop it, but can't wait for itself.
        if thread.thread().id() != thread::current().id() {
            let _ = thread.join();
        }
    }

    fn lock_thread(&self) -> std::sync::MutexGuard<'_, Option<JoinHandle<()>>> {
        self.thread.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Dropping a `LoopThread` stops it: no loop thread outlives its owner.
impl Drop for LoopThread {
    fn drop(&mut self) {
        self.stop();
    }
}
// ANCHOR_END: stop

// ANCHOR: run_loop
/// The loop's thread: makes the loop, sends its remote back through
/// `started`, runs until stopped, then cancels the tasks still pending
/// and closes it.
fn run_loop(started: mpsc::Sender<Result<RemoteLoop, aio::Error>>) {
    let event_loop = match EventLoop::new() {
        Ok(event_loop) => event_loop,
        Err(error) => {
            let _ = started.send(Err(error));
            return;
        }
    };
    if started.send(Ok(event_loop.remote())).is_err() {
        return; // `start` gave up on us
    }
    let _ = event_loop.run_forever();
    let _ = event_loop.run_until_complete(cancel_the_rest());
    let _ = event_loop.close();
}
// ANCHOR_END: run_loop

// ANCHOR: cancel_the_rest
/// Cancels every other task of the running loop, and waits until they are
/// gone, as `asyncio.run` does before it closes its loop.
async fn cancel_the_rest() {
    let this = aio::current_task();
    let is_this =
        |task: &TaskRef| this.as_ref().is_some_and(|this| this.same_task(task));
    loop {
        let rest: Vec<TaskRef> =
            aio::all_tasks().into_iter().filter(|t| !is_this(t)).collect();
        if rest.is_empty() {
            return;
        }
        rest.iter().for_each(|task| _ = task.cancel());
        aio::sleep(Duration::ZERO).await; // a tick for them to go
    }
}
// ANCHOR_END: cancel_the_rest
