//! The capstone (project): write a runtime of your own behind the book's
//! [`Runtime`] trait: a loop, a ready queue, timers on a virtual clock,
//! `spawn`, `sleep` and `call_soon`. The trait's documentation (in
//! `capstone/src/lib.rs`) states the rules; `book/capstone.md` suggests the
//! steps. The grader runs the book's programs on `MyRuntime` and on aio, and
//! compares their logs: `cargo test -p capstone --test exercises`.
//!
//! Everything below compiles and does nothing useful yet: `block_on` only
//! panics, so every graded program fails until you write it.

use crate::Runtime;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Your runtime. Give it what a runtime holds: a ready queue of callbacks
/// and task steps, timers ordered by deadline, the virtual clock, the tasks.
/// The functions without `self` reach it through a thread-local that
/// `block_on` sets.
#[derive(Debug, Default)]
pub struct MyRuntime {
    // Your code here: the runtime's state (or an `Rc` of it, shared with the
    // thread-local).
}

/// The handle that [`MyRuntime::spawn`] returns: awaiting it gives the
/// task's output, once the task has finished.
#[derive(Debug)]
pub struct JoinHandle<T> {
    // Your code here: where the task leaves its output, and the waker of
    // whoever awaits it.
    output: PhantomData<fn() -> T>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Your code here: the output if the task has finished; otherwise
        // remember `cx.waker()`, to be woken when it does.
        Poll::Pending
    }
}

impl Runtime for MyRuntime {
    type JoinHandle<T: 'static> = JoinHandle<T>;

    fn new() -> Self {
        MyRuntime::default()
    }

    fn block_on<F>(&mut self, main: F) -> F::Output
    where
        F: Future<Output: 'static> + 'static,
    {
        // Your code here: make this runtime the thread's current one, spawn
        // `main` as the first task, and run ticks until it has finished.
        panic!(
            "MyRuntime::block_on is not written yet: spawn `main`, then run \
             ticks (due timers to the back of the ready queue, then exactly \
             what was ready) until it finishes"
        )
    }

    fn spawn<F>(task: F) -> JoinHandle<F::Output>
    where
        F: Future<Output: 'static> + 'static,
    {
        // Your code here: store the task, queue its first step, and return a
        // handle that its output will reach.
        JoinHandle { output: PhantomData }
    }

    fn sleep(delay: Duration) -> impl Future<Output = ()> + 'static {
        // Your code here: on the first poll, set a timer that wakes the task
        // (or, for a zero delay, yield once).
        std::future::ready(())
    }

    fn call_soon(callback: impl FnOnce() + 'static) {
        // Your code here: append `callback` to the ready queue.
    }

    fn call_later(delay: Duration, callback: impl FnOnce() + 'static) {
        // Your code here: set a timer for now + `delay`.
    }

    fn now() -> Duration {
        // Your code here: the virtual clock.
        Duration::ZERO
    }
}
