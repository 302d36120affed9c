//! Exercise 2 (medium): set a promise from another thread.
//!
//! A `Promise` is not `Send`: it lives on its loop's thread. Write
//! [`remote_promise`], which makes a promise together with a
//! [`RemoteSetter`] that *is* `Send`, so a worker thread can fill the
//! promise. The value must travel to the loop's thread and be set there.
//! See the book's chapter 3 page (`book/ch03-futures.md`, "Exercises").

use aio::{EventLoop, Promise};
use std::marker::PhantomData;

/// The sending half of [`remote_promise`]: moves to any thread, and fills
/// its promise on the loop's thread. Dropping it without setting a result
/// cancels the promise (as a dropped oneshot sender closes its channel).
#[derive(Debug)]
pub struct RemoteSetter<T: Send + 'static> {
    // Your code here: how to reach the loop, and the promise on it. (This
    // marker only keeps the starter compiling; your fields replace it.)
    value: PhantomData<fn(T)>,
}

/// A pending promise on `event_loop`, and the setter that fills it from any
/// thread. Call it on the loop's thread.
pub fn remote_promise<T: Send + 'static>(
    event_loop: &EventLoop,
) -> (Promise<T>, RemoteSetter<T>) {
    // Your code here: remember the promise where the loop's thread can find
    // it again.
    (event_loop.create_future(), RemoteSetter { value: PhantomData })
}

impl<T: Send + 'static> RemoteSetter<T> {
    /// Sends `value` to the loop's thread, where it becomes the promise's
    /// result. Fails with [`aio::Error::LoopClosed`] once the loop is
    /// closed.
    pub fn set_result(self, value: T) -> Result<(), aio::Error> {
        // Your code here: `RemoteLoop::call_soon_threadsafe`.
        Ok(())
    }
}
