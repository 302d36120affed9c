//! Exercise 4 (project): the tick, written again.
//!
//! Write [`MiniLoop`], an event loop of your own with nothing but callbacks,
//! timers and a virtual clock, whose ticks follow aio's rules exactly. The
//! grader runs the same programs, hundreds of them generated at random, on
//! your loop and on aio's (with the virtual clock), and compares what runs,
//! in what order, at what loop time. See the book's chapter 2 page
//! (`book/ch02-scheduling.md`, "Exercises") for the rules.

use std::time::Duration;

/// A scheduled callback; cancel it through this.
#[derive(Debug, Clone)]
pub struct MiniHandle {
    // Your code here: what `cancel` needs to reach the queued callback.
}

impl MiniHandle {
    /// Cancels the callback if it has not run, dropping it at once.
    pub fn cancel(&self) {
        // Your code here.
    }

    /// Whether [`cancel`](MiniHandle::cancel) was called.
    pub fn cancelled(&self) -> bool {
        // Your code here.
        false
    }
}

/// A loop of callbacks and timers on a virtual clock. Cloning it gives
/// another handle to the same loop.
#[derive(Debug, Clone, Default)]
pub struct MiniLoop {
    // Your code here: the clock, the ready queue, the timer heap, the stop
    // flag, shared by every clone.
}

impl MiniLoop {
    /// A new loop, at loop time zero.
    pub fn new() -> MiniLoop {
        MiniLoop::default()
    }

    /// The loop time: it moves only when the loop has nothing ready.
    pub fn time(&self) -> Duration {
        // Your code here.
        Duration::ZERO
    }

    /// Runs `callback` on the next tick, after everything already queued.
    pub fn call_soon(&self, callback: impl FnOnce() + 'static) -> MiniHandle {
        // Your code here: queue the callback.
        MiniHandle {}
    }

    /// Runs `callback` once the loop time reaches `when` (a time in the past
    /// is due at once). Equal times run in the order they were scheduled.
    pub fn call_at(
        &self,
        when: Duration,
        callback: impl FnOnce() + 'static,
    ) -> MiniHandle {
        // Your code here: put the callback in the timer heap.
        MiniHandle {}
    }

    /// Runs `callback` once `delay` of loop time has passed.
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + 'static,
    ) -> MiniHandle {
        // Your code here.
        MiniHandle {}
    }

    /// Makes `run_forever` return after the current tick (or, called while
    /// the loop is not running, after the next one).
    pub fn stop(&self) {
        // Your code here.
    }

    /// Runs ticks until a tick in which [`stop`](MiniLoop::stop) was called,
    /// or until there is nothing left to run, ever (aio's loop would wait
    /// for I/O then; this one has none).
    pub fn run_forever(&self) {
        // Your code here: tick until stopped or idle for good.
    }
}
