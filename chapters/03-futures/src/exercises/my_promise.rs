//! Exercise 3 (project): a promise of your own.
//!
//! Write [`MyPromise`], asyncio's `Future` again, on aio's public API only:
//! a slot set once, done-callbacks scheduled with `call_soon` (never run
//! inline) in the order they were added, awaiting tasks woken in the same
//! order as the callbacks around them, and an awaiter that takes its waker
//! back when it is dropped. The grader runs the same programs with
//! `aio::Promise` and with yours, and compares. See the book's chapter 3
//! page (`book/ch03-futures.md`, "Exercises").

use aio::EventLoop;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Why a [`MyPromise`] has no value to give, or refused one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyPromiseError {
    /// Read before it was done (asyncio's `InvalidStateError`).
    NotDone,
    /// Set when it was already done (asyncio's `InvalidStateError`).
    AlreadyDone,
    /// It was cancelled (asyncio's `CancelledError`).
    Cancelled,
}

/// A settable, awaitable result slot. Cloning gives another handle to the
/// same slot.
#[derive(Debug)]
pub struct MyPromise<T> {
    // Your code here: an `Rc` to the shared slot, and the waker this handle
    // registered. (This marker only keeps the starter compiling.)
    value: PhantomData<T>,
}

impl<T> Clone for MyPromise<T> {
    /// Another handle to the same slot.
    fn clone(&self) -> Self {
        // Your code here.
        MyPromise { value: PhantomData }
    }
}

impl<T: 'static> MyPromise<T> {
    /// A pending promise whose callbacks run on `event_loop`.
    pub fn new(event_loop: &EventLoop) -> MyPromise<T> {
        // Your code here.
        MyPromise { value: PhantomData }
    }

    /// Whether it has a result or was cancelled.
    pub fn done(&self) -> bool {
        // Your code here.
        false
    }

    /// Whether it was cancelled.
    pub fn cancelled(&self) -> bool {
        // Your code here.
        false
    }

    /// Stores the result, wakes the awaiters and schedules the callbacks.
    /// Fails with [`MyPromiseError::AlreadyDone`] if it was done already.
    pub fn set_result(&self, value: T) -> Result<(), MyPromiseError> {
        // Your code here.
        Ok(())
    }

    /// Cancels it, waking and scheduling as `set_result` does; false if it
    /// was already done.
    pub fn cancel(&self) -> bool {
        // Your code here.
        false
    }

    /// Calls `callback` once the promise is done, on a later tick: at once
    /// (scheduled with `call_soon`) if it is done already.
    pub fn add_done_callback(
        &self,
        callback: impl FnOnce(&MyPromise<T>) + 'static,
    ) {
        // Your code here.
    }
}

impl<T: Clone + 'static> MyPromise<T> {
    /// The value, or why there is none.
    pub fn result(&self) -> Result<T, MyPromiseError> {
        // Your code here.
        Err(MyPromiseError::NotDone)
    }
}

impl<T: Clone + 'static> Future for MyPromise<T> {
    type Output = Result<T, MyPromiseError>;

    /// Ready with the result once done; until then, registers the waker
    /// (once per task, replacing an older one of this handle) and returns
    /// `Pending`.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code here.
        Poll::Ready(Err(MyPromiseError::NotDone))
    }
}
