//! Exercise 2 (medium): a repeating timer that does not drift.
//!
//! Write [`call_every`]: it calls `f` every `period` of loop time, starting
//! one period from now, until the returned [`Repeating`] is cancelled. Each
//! call receives the loop time it was due at. The due times must stay on the
//! grid `start + k * period` even when the loop runs late (the real clock
//! always does a little), so schedule each call from the previous due time,
//! not from "now". See the book's chapter 2 page (`book/ch02-scheduling.md`,
//! "Exercises").

use aio::EventLoop;
use std::time::Duration;

/// A repeating call made by [`call_every`]; cancel it to stop the calls.
#[derive(Debug, Clone)]
pub struct Repeating {
    // Your code here: whatever `cancel` needs to reach the next call.
}

impl Repeating {
    /// Stops the calls: `f` is not called again, even if this is called from
    /// inside `f`. Cancelling twice does nothing.
    pub fn cancel(&self) {
        // Your code here: stop the next call, and every one after it.
    }

    /// Whether [`cancel`](Repeating::cancel) was called.
    pub fn cancelled(&self) -> bool {
        // Your code here.
        false
    }
}

/// Calls `f(due)` at loop times `start + period`, `start + 2 * period`, and
/// so on, where `start` is `event_loop.time()` now and `due` is the time the
/// call was due at. `period` must not be zero. Fails with
/// [`aio::Error::LoopClosed`] on a closed loop.
pub fn call_every(
    event_loop: &EventLoop,
    period: Duration,
    f: impl FnMut(Duration) + 'static,
) -> Result<Repeating, aio::Error> {
    // Your code here: schedule the first call, and have each call schedule
    // the next.
    Ok(Repeating {})
}
