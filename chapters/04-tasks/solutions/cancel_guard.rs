//! Exercise 1: a cancel guard that says when (small).
//!
//! A cancelled aio task is dropped, not resumed with an error, so the only
//! code that runs is destructors. [`OnCancel`] is a guard whose destructor
//! runs its closure unless it was disarmed, and [`nap`] uses one to record how
//! long it slept before it was cancelled.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: guard
/// Runs its closure when dropped, unless [`disarm`](OnCancel::disarm) was
/// called first. Held across an `.await`, it runs exactly when the task is
/// cancelled there, because cancelling drops the task's future.
#[derive(Debug)]
pub struct OnCancel<F: FnOnce()> {
    on_cancel: Option<F>,
}

impl<F: FnOnce()> OnCancel<F> {
    /// A guard that will run `on_cancel` when dropped.
    pub fn new(on_cancel: F) -> Self {
        OnCancel { on_cancel: Some(on_cancel) }
    }

    /// Consumes the guard without running its closure: the work it guarded
    /// finished.
    pub fn disarm(mut self) {
        self.on_cancel = None;
    }
}

impl<F: FnOnce()> Drop for OnCancel<F> {
    fn drop(&mut self) {
        if let Some(on_cancel) = self.on_cancel.take() {
            on_cancel();
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: nap
/// Sleeps for `delay` and returns `"rested"`. If the task is cancelled during
/// the sleep, stores in `slept` how long it had slept, in loop time.
pub async fn nap(
    delay: Duration,
    slept: Rc<Cell<Option<Duration>>>,
) -> &'static str {
    let started = loop_time();
    let guard = OnCancel::new(move || {
        slept.set(Some(loop_time().saturating_sub(started)));
    });
    aio::sleep(delay).await;
    guard.disarm();
    "rested"
}

/// The running loop's time. A task cancelled with `cancel()` is dropped by
/// its loop while the loop runs, so the guard can read the clock too (a task
/// dropped by `close()` finds no running loop, and records zero).
fn loop_time() -> Duration {
    aio::get_running_loop()
        .map_or(Duration::ZERO, |event_loop| event_loop.time())
}
// ANCHOR_END: nap
