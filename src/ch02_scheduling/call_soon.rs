//! Chapter 2 (scheduling): scheduling calls to regular functions.
//!
//! `call_soon` puts a callback at the back of the ready queue, `call_later` and
//! `call_at` put it in the timer queue, and `call_soon_threadsafe` is the one
//! way in from another thread. In Python, extra arguments ride along
//! (`call_soon(callback, 1)`); in Rust a closure captures them.

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop::EventLoop;
use crate::ch01_coroutines::ready_queue::CallbackCell;
use crate::ch01_coroutines::remote::{RemoteItem, RemoteLoop};
use crate::ch02_scheduling::handle::{Handle, TimerHandle};
use std::time::Duration;

// ANCHOR: call_soon
impl EventLoop {
    /// Schedules `callback` to run on the next tick, after everything already
    /// queued.
    pub fn call_soon(
        &self,
        callback: impl FnOnce() + 'static,
    ) -> Result<Handle, Error> {
        let callback = CallbackCell::new_shared(callback);
        self.push_callback(callback.clone())?;
        Ok(Handle { callback })
    }

    /// Schedules `callback` to run `delay` from now (loop time).
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + 'static,
    ) -> Result<TimerHandle, Error> {
        self.call_at(self.time().saturating_add(delay), callback)
    }

    /// Schedules `callback` to run when the loop time reaches `when`. A time in
    /// the past runs on the next tick. Equal times run in the order they were
    /// scheduled.
    pub fn call_at(
        &self,
        when: Duration,
        callback: impl FnOnce() + 'static,
    ) -> Result<TimerHandle, Error> {
        let callback = CallbackCell::new_shared(callback);
        let cancelled_timers = self.push_timer(when, callback.clone())?;
        Ok(TimerHandle { handle: Handle { callback }, when, cancelled_timers })
    }

    /// `call_soon_threadsafe` on the loop's own thread (an `EventLoop` never
    /// leaves it): the same as [`call_soon`](EventLoop::call_soon), as in
    /// asyncio, where it appends to the same ready queue. Other threads use
    /// [`RemoteLoop::call_soon_threadsafe`].
    pub fn call_soon_threadsafe(
        &self,
        callback: impl FnOnce() + Send + 'static,
    ) -> Result<Handle, Error> {
        self.call_soon(callback)
    }
}
// ANCHOR_END: call_soon

// ANCHOR: call_soon_threadsafe
impl RemoteLoop {
    /// Schedules `callback` on the loop from any thread, and wakes the loop if
    /// it is sleeping. The callback runs on the loop's thread. Fails once the
    /// loop is closed.
    pub fn call_soon_threadsafe(
        &self,
        callback: impl FnOnce() + Send + 'static,
    ) -> Result<(), Error> {
        self.shared.push(RemoteItem::Callback(Box::new(callback)))
    }
}
// ANCHOR_END: call_soon_threadsafe
