//! Exercise 2 (medium): set a promise from another thread.
//!
//! The promise stays on the loop's thread, in a thread-local table, under a
//! number. The setter carries only the number and a `RemoteLoop`, both
//! `Send`; the closure it sends carries the number and the value, and looks
//! the promise up when it runs, on the loop's thread.

use aio::{EventLoop, Promise, RemoteLoop};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: table
/// Numbers the promises waiting for a remote result, process-wide.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's promises that a setter on another thread will fill.
    /// Their types differ, so they are kept as `dyn Any`.
    static WAITING: RefCell<HashMap<u64, Box<dyn Any>>> =
        RefCell::new(HashMap::new());
}

/// Takes promise `id` out of this thread's table, if it is there.
fn take_promise<T: 'static>(id: u64) -> Option<Promise<T>> {
    let entry = WAITING.with(|table| table.borrow_mut().remove(&id))?;
    entry.downcast::<Promise<T>>().ok().map(|promise| *promise)
}
// ANCHOR_END: table

// ANCHOR: setter
/// The sending half of [`remote_promise`]: moves to any thread, and fills
/// its promise on the loop's thread. Dropping it without setting a result
/// cancels the promise (as a dropped oneshot sender closes its channel).
#[derive(Debug)]
pub struct RemoteSetter<T: Send + 'static> {
    remote: RemoteLoop,
    id: u64,
    /// Set once a result was sent, so that `Drop` does not cancel.
    sent: bool,
    value: PhantomData<fn(T)>,
}

/// A pending promise on `event_loop`, and the setter that fills it from any
/// thread. Call it on the loop's thread.
pub fn remote_promise<T: Send + 'static>(
    event_loop: &EventLoop,
) -> (Promise<T>, RemoteSetter<T>) {
    let promise = event_loop.create_future::<T>();
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let entry: Box<dyn Any> = Box::new(promise.clone());
    WAITING.with(|table| table.borrow_mut().insert(id, entry));
    let setter = RemoteSetter {
        remote: event_loop.remote(),
        id,
        sent: false,
        value: PhantomData,
    };
    (promise, setter)
}

impl<T: Send + 'static> RemoteSetter<T> {
    /// Sends `value` to the loop's thread, where it becomes the promise's
    /// result. Fails with [`aio::Error::LoopClosed`] once the loop is
    /// closed.
    pub fn set_result(mut self, value: T) -> Result<(), aio::Error> {
        self.sent = true;
        let id = self.id;
        self.remote.call_soon_threadsafe(move || {
            if let Some(promise) = take_promise::<T>(id) {
                let _ = promise.set_result(value);
            }
        })
    }
}

impl<T: Send + 'static> Drop for RemoteSetter<T> {
    fn drop(&mut self) {
        if !self.sent {
            let id = self.id;
            // A closed loop has nothing left to cancel.
            let _ = self.remote.call_soon_threadsafe(move || {
                if let Some(promise) = take_promise::<T>(id) {
                    promise.cancel();
                }
            });
        }
    }
}
// ANCHOR_END: setter
