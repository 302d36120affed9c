//! Exercise 5: a loop of your own. Write [`TinyLoop`], the first cut grown
//! by four of the things the real loop adds: ticks, one queue entry per
//! task, futures that need not be `Send`, and handles that give back
//! results. The book's chapter 1 page (`book/ch01-coroutines.md`,
//! "Exercises") says more; grade it with
//! `cargo test -p ch01-coroutines --test exercises tiny_loop`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A loop for futures that need not be `Send`: see [`TinyLoop::block_on`].
/// Clones are handles to the same loop, for tasks that spawn tasks.
#[derive(Clone, Debug, Default)]
pub struct TinyLoop {
    // Your fields here: the tasks, the queue of woken tasks, the tick
    // count. Wakers must be `Send + Sync`, futures need not be: keep the
    // futures in the loop, and give each waker only what it needs to queue
    // its task again.
}

impl TinyLoop {
    /// A loop with no tasks.
    pub fn new() -> Self {
        TinyLoop::default()
    }

    /// Queues `future` as a new task, behind every task already queued, and
    /// returns a handle that gives its output. It first runs in the tick
    /// after this one (or in the first, from outside the loop). Dropping the
    /// handle lets the task run on.
    pub fn spawn<T: 'static>(
        &self,
        future: impl Future<Output = T> + 'static,
    ) -> JoinHandle<T> {
        // Your code here.
        JoinHandle { output: None }
    }

    /// Runs `main`, and the tasks spawned meanwhile, tick by tick, until
    /// `main` returns; its output, or `None` if the queue ran dry first
    /// (nothing is left that could wake `main`). It returns at the end of
    /// the tick in which `main` finished.
    pub fn block_on<T: 'static>(
        &self,
        main: impl Future<Output = T> + 'static,
    ) -> Option<T> {
        // Your code here: a tick polls exactly the tasks that were queued
        // when it began; a task woken several times before it runs is
        // queued once.
        None
    }

    /// How many ticks this loop has run.
    pub fn ticks(&self) -> u64 {
        // Your code here.
        0
    }
}

/// A handle to a task of a [`TinyLoop`]; awaiting it gives the task's
/// output.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct JoinHandle<T> {
    // Your fields here: what the task and its handle share.
    output: Option<T>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Your code here: the output if the task has finished, or keep
        // `cx.waker()` for the task to wake when it does.
        Poll::Pending
    }
}
