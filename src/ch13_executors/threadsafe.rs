//! Chapter 13 (executors): `run_coroutine_threadsafe`, a coroutine handed to
//! a loop from another thread.
//!
//! The other direction from `run_in_executor`: a plain thread has work for a
//! loop. It sends a callback through the loop's one thread-safe door
//! (`call_soon_threadsafe`, chapter 2); on the loop, the callback spawns the
//! coroutine as a task, and a second, small task chains the two futures, as
//! asyncio's `_chain_future` does:
//!
//! - when the task ends, its outcome completes the [`ConcurrentFuture`],
//!   which wakes the thread blocked in `result`;
//! - when the thread cancels the `ConcurrentFuture`, the chain wakes on the
//!   loop and cancels the task.
//!
//! aio's futures are not `Send`: a `Sleep` holds an `Rc` of its loop's
//! timer. So the thread sends not a future but a function that makes one,
//! `|| async { ... }`. The function crosses threads (it must be `Send`), and
//! the future it makes is born on the loop's thread and stays there. A
//! Python coroutine object, created but not started, plays the same part.

use crate::ch01_coroutines::error::TaskError;
use crate::ch01_coroutines::remote::RemoteLoop;
use crate::ch01_coroutines::spawn::{spawn, spawn_machinery};
use crate::ch01_coroutines::task::Task;
use crate::ch13_executors::concurrent_future::{
    Completer, ConcurrentFuture, pair,
};
use crate::ch13_executors::executor_error::ExecutorError;
use std::future::{Future, poll_fn};
use std::pin::Pin;

// ANCHOR: run_coroutine_threadsafe
/// Calls `coroutine` on the loop behind `remote`, from any thread, runs
/// the future it returns as a task there, and returns a thread-safe handle
/// to its outcome (asyncio's `run_coroutine_threadsafe`). Cancelling the
/// handle cancels the task. If the loop is closed, or closes first, the
/// handle says [`ExecutorError::LoopClosed`].
pub fn run_coroutine_threadsafe<C, F>(
    coroutine: C,
    remote: &RemoteLoop,
) -> ConcurrentFuture<F::Output>
where
    C: FnOnce() -> F + Send + 'static,
    F: Future + 'static,
    F::Output: Send + 'static,
{
    let (mut completer, handle) =
        pair(Some(remote.shared.loop_id), || ExecutorError::LoopClosed);
    // If the loop refuses the callback, dropping it (and the completer in
    // it) settles the handle with `LoopClosed`.
    let _ = remote.call_soon_threadsafe(move || {
        let Ok(task) = spawn(coroutine()) else {
            return; // the loop is closing: `LoopClosed`
        };
        // From here on, a chain dropped unfinished means its task was
        // cancelled (aio::run's shutdown cancels every task).
        completer.if_dropped(|| ExecutorError::Cancelled);
        let _ = spawn_machinery(chain(task, completer));
    });
    handle
}
// ANCHOR_END: run_coroutine_threadsafe

// ANCHOR: chain
/// Waits for `task`, passing a cancel of the handle on to it, and completes
/// the handle with the task's outcome.
async fn chain<T: 'static>(mut task: Task<T>, completer: Completer<T>) {
    let mut cancel_passed_on = false;
    let outcome = poll_fn(|cx| {
        if !cancel_passed_on && completer.poll_cancelled(cx).is_ready() {
            cancel_passed_on = true;
            task.cancel();
        }
        Pin::new(&mut task).poll(cx)
    })
    .await;
    completer.complete(outcome.map_err(|error| match error {
        TaskError::Panicked { message } => ExecutorError::Panicked { message },
        TaskError::Cancelled | TaskError::ResultTaken => {
            ExecutorError::Cancelled
        }
    }));
}
// ANCHOR_END: chain
