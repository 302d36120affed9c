//! aio behind the book's [`Runtime`] trait: a loop on the virtual clock.
//!
//! Every method is one call into aio, so whatever a program logs on
//! [`AioRuntime`] is what aio itself does; the grader compares the reader's
//! runtime with it, and `tests/programs_on_aio.rs` pins its logs.

use crate::Runtime;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

/// An [`aio::EventLoop`] on the virtual clock.
#[derive(Debug)]
pub struct AioRuntime {
    event_loop: aio::EventLoop,
}

/// An [`aio::Task`] whose output is the task's own: a task that panicked or
/// was cancelled is a bug in the program, and panics here.
#[derive(Debug)]
pub struct AioJoinHandle<T>(aio::Task<T>);

impl<T> Future for AioJoinHandle<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0).poll(cx).map(|outcome| {
            outcome.unwrap_or_else(|error| panic!("a task failed: {error}"))
        })
    }
}

/// The running loop: the trait's functions without `self` are called only
/// inside `block_on`.
fn running() -> aio::EventLoop {
    aio::get_running_loop()
        .unwrap_or_else(|error| panic!("outside block_on: {error}"))
}

impl Runtime for AioRuntime {
    type JoinHandle<T: 'static> = AioJoinHandle<T>;

    fn new() -> Self {
        let event_loop = aio::EventLoop::builder()
            .virtual_clock()
            .build()
            .unwrap_or_else(|error| panic!("no aio loop: {error}"));
        AioRuntime { event_loop }
    }

    // ANCHOR: aio_block_on
    fn block_on<F>(&mut self, main: F) -> F::Output
    where
        F: Future<Output: 'static> + 'static,
    {
        // `main` stops the loop itself, so the tick it finishes in is the
        // last (`run_until_complete` would stop one tick later, from a
        // done-callback, as asyncio's does).
        let output = Rc::new(Cell::new(None));
        let slot = Rc::clone(&output);
        let stopper = self.event_loop.clone();
        let main = self.event_loop.create_task(async move {
            slot.set(Some(main.await));
            stopper.stop();
        });
        drop(main.unwrap_or_else(|error| panic!("no main task: {error}")));
        if let Err(error) = self.event_loop.run_forever() {
            panic!("the loop failed: {error}");
        }
        output.take().unwrap_or_else(|| panic!("main did not finish"))
    }
    // ANCHOR_END: aio_block_on

    fn spawn<F>(task: F) -> AioJoinHandle<F::Output>
    where
        F: Future<Output: 'static> + 'static,
    {
        let task = running().create_task(task);
        AioJoinHandle(task.unwrap_or_else(|error| panic!("{error}")))
    }

    fn sleep(delay: Duration) -> impl Future<Output = ()> + 'static {
        aio::sleep(delay)
    }

    fn call_soon(callback: impl FnOnce() + 'static) {
        let queued = running().call_soon(callback);
        queued.unwrap_or_else(|error| panic!("{error}"));
    }

    fn call_later(delay: Duration, callback: impl FnOnce() + 'static) {
        let set = running().call_later(delay, callback);
        set.unwrap_or_else(|error| panic!("{error}"));
    }

    fn now() -> Duration {
        running().time()
    }
}

impl Drop for AioRuntime {
    fn drop(&mut self) {
        // What is left (a detached task, a timer) is dropped here, as the
        // trait says; a loop cannot be closed while it runs, which it never
        // is outside `block_on`.
        let _ = self.event_loop.close();
    }
}
