//! Chapter 2 (scheduling): handles to scheduled callbacks.
//!
//! `call_soon` returns a [`Handle`] and `call_later`/`call_at` a
//! [`TimerHandle`], as in asyncio. Cancelling one marks the queued entry so the
//! loop skips it, and drops the callback (and everything it captured) at once.

use crate::ch01_coroutines::ready_queue::Callback;
use crate::ch01_coroutines::timers::CancelledTimers;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: handle
/// A callback scheduled with [`call_soon`](crate::EventLoop::call_soon).
#[derive(Clone)]
pub struct Handle {
    pub(crate) callback: Rc<dyn Callback>,
}

impl Handle {
    /// Cancels the callback if it has not run yet. Cancelling twice does
    /// nothing.
    pub fn cancel(&self) {
        self.callback.cancel();
    }

    /// Whether [`cancel`](Handle::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.callback.cancelled()
    }
}
// ANCHOR_END: handle

/// A callback scheduled for a time with
/// [`call_later`](crate::EventLoop::call_later) or
/// [`call_at`](crate::EventLoop::call_at).
#[derive(Clone)]
pub struct TimerHandle {
    pub(crate) handle: Handle,
    pub(crate) when: Duration,
    /// Tells the loop's timer queue that one more of its entries is dead.
    pub(crate) cancelled_timers: CancelledTimers,
}

impl TimerHandle {
    /// Cancels the callback if it has not run yet.
    pub fn cancel(&self) {
        self.cancelled_timers.cancel(&*self.handle.callback);
    }

    /// Whether [`cancel`](TimerHandle::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.handle.cancelled()
    }

    /// The loop time at which the callback is due.
    pub fn when(&self) -> Duration {
        self.when
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("cancelled", &self.cancelled()).finish()
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("when", &self.when)
            .field("cancelled", &self.cancelled())
            .finish()
    }
}
