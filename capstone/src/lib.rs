//! The capstone: your own runtime, behind the book's `Runtime` trait.
//!
//! This crate holds the book's side of the capstone (`book/capstone.md`):
//! the [`Runtime`] trait, the example programs of chapters 1, 2, 4 and 5
//! written once for any runtime ([`programs`]), the combinators they use
//! ([`control`]), and aio behind the trait ([`aio_runtime`]), whose logs are
//! the expected ones. The reader's side is [`exercises`]: `MyRuntime`, which
//! the grader (`cargo test -p capstone --test exercises`) runs every program
//! on, comparing its log with aio's.

use std::future::Future;
use std::time::Duration;

pub mod aio_runtime;
pub mod control;
pub mod programs;

// The exercise: the reader's starter, or with the `solutions` feature the
// reference runtime, which lives outside src/ to keep it out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

// ANCHOR: rules
/// A small single-threaded runtime on a virtual clock: a loop, a ready
/// queue, timers, tasks. The rules below are aio's, which are asyncio's; the
/// grader runs the book's programs on your runtime and on aio, and compares
/// what they log.
///
/// - **The ready queue.** One FIFO queue holds both callbacks and task
///   steps. [`call_soon`](Runtime::call_soon) appends a callback;
///   [`spawn`](Runtime::spawn) appends the new task's first step, exactly
///   as `call_soon` would; waking a task appends its next step. A task
///   already in the queue is not queued again: many wakes, one poll. A task
///   woken while it is being polled is queued again, for the next tick.
/// - **The tick.** A tick first moves every due timer to the back of the
///   ready queue, behind what is already there, and then runs exactly the
///   items that were in the queue at that moment. Whatever they queue waits
///   for the next tick.
/// - **Timers.** A timer is due when the clock has reached its deadline,
///   never before. Due timers move to the ready queue by deadline, and in
///   the order they were set among equal deadlines.
/// - **The virtual clock.** The clock starts at zero in
///   [`new`](Runtime::new) and stands still while anything is ready. A tick
///   that begins with nothing ready first sets the clock to the earliest
///   deadline, at once and exactly: no real time passes. (With no timer
///   either, `main` can never finish: panic and say so.)
/// - **Sleeping.** [`sleep`](Runtime::sleep) counts its delay from its first
///   poll, and ends when a timer set for then wakes it. A zero delay sets no
///   timer: the task wakes itself and goes to the back of the queue (a
///   yield), and the next poll ends the sleep.
/// - **Tasks.** A task finishes when its future does; that wakes the task
///   that awaits its handle (to the back of the queue, like any wake).
///   Awaiting a finished task's handle gives its output at once. Dropping a
///   handle does not cancel the task: it runs on, detached.
/// - **`block_on`.** `main` runs as the first task. The tick in which it
///   finishes runs to its end, and then `block_on` returns its output; what
///   is still queued or timed stays there, and is dropped with the runtime.
///
/// The functions without `self` reach the runtime that is inside
/// [`block_on`](Runtime::block_on) on this thread (through a thread-local,
/// as `aio::spawn` and `aio::sleep` reach the running loop). The programs
/// call them only from tasks and callbacks, never outside `block_on`, and
/// use one runtime per thread at a time. Nothing here is `Send`: tasks and
/// callbacks stay on the runtime's thread. Only wakers must be `Send + Sync`,
/// because `std::task::Waker` requires it.
// ANCHOR_END: rules
// ANCHOR: runtime
pub trait Runtime: Sized + 'static {
    /// What [`spawn`](Runtime::spawn) returns: await it for the task's
    /// output. A handle is awaited at most once.
    type JoinHandle<T: 'static>: Future<Output = T> + Unpin + 'static;

    /// A fresh runtime: nothing queued, no timers, the clock at zero.
    fn new() -> Self;

    /// Runs `main` as the first task, and every task and callback, until
    /// `main` has finished and the tick it finished in has ended. Returns
    /// `main`'s output.
    fn block_on<F>(&mut self, main: F) -> F::Output
    where
        F: Future<Output: 'static> + 'static;

    /// Queues `task`'s first step at the back of the ready queue, and
    /// returns the handle to await it by.
    fn spawn<F>(task: F) -> Self::JoinHandle<F::Output>
    where
        F: Future<Output: 'static> + 'static;

    /// A future that ends `delay` after its first poll; a zero delay yields
    /// once.
    fn sleep(delay: Duration) -> impl Future<Output = ()> + 'static;

    /// Queues `callback` at the back of the ready queue.
    fn call_soon(callback: impl FnOnce() + 'static);

    /// Sets a timer that runs `callback` once the clock reaches now +
    /// `delay`.
    fn call_later(delay: Duration, callback: impl FnOnce() + 'static);

    /// The virtual time since [`new`](Runtime::new).
    fn now() -> Duration;
}
// ANCHOR_END: runtime
