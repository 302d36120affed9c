//! Exercise 2: a waker fired from another thread. [`on_thread`] runs its
//! work on a new `std::thread`; the thread stores the result and wakes the
//! waiting task, whose waker takes the loop's remote path back in.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;

/// The work to run, boxed so that [`OnThread`] names no closure type.
type Work<T> = Box<dyn FnOnce() -> T + Send>;

// ANCHOR: shared
/// What the thread and the future share: the result once there is one, and
/// the waker of the task that waits for it. One lock guards both, so the
/// thread can never store the result between a poll's look at it and that
/// poll's storing of its waker.
struct Slot<T> {
    result: Option<T>,
    waker: Option<Waker>,
}

/// A future that runs its work on another thread: see [`on_thread`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct OnThread<T> {
    /// The work, until the first poll hands it to a thread.
    work: Option<Work<T>>,
    slot: Arc<Mutex<Slot<T>>>,
}
// ANCHOR_END: shared

/// A future that, when first polled, runs `work` on a new thread, and
/// finishes with what `work` returns. It never blocks the loop's thread:
/// until the result is there, a poll returns `Pending`, and the thread
/// wakes the task once it has stored the result. (If `work` panics, the
/// future never finishes: chapter 13's executors report that instead.)
pub fn on_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> OnThread<T> {
    let slot = Slot { result: None, waker: None };
    OnThread { work: Some(Box::new(work)), slot: Arc::new(Mutex::new(slot)) }
}

// ANCHOR: poll
impl<T: Send + 'static> Future for OnThread<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if let Some(work) = self.work.take() {
            let slot = Arc::clone(&self.slot);
            thread::spawn(move || {
                let result = work();
                let waker = {
                    let mut slot = slot.lock().unwrap();
                    slot.result = Some(result);
                    slot.waker.take()
                };
                // Woken outside the lock: waking runs the loop's code.
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
        }
        let mut slot = self.slot.lock().unwrap();
        if let Some(result) = slot.result.take() {
            return Poll::Ready(result);
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: poll
