//! Exercise 4 (project): the tick, written again.
//!
//! [`MiniLoop`] is a loop with nothing but callbacks, timers and a virtual
//! clock, and a tick with aio's rules: run what was ready when the tick
//! began; before that, move every due timer to the back of the ready queue,
//! earliest first, FIFO among equal deadlines; when nothing is ready, jump
//! the clock to the earliest live deadline; after a tick in which `stop` was
//! called, return.

use std::cell::{Cell, RefCell};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: handle
/// A scheduled callback; cancel it through this.
#[derive(Clone)]
pub struct MiniHandle {
    entry: Rc<Entry>,
}

/// One scheduled callback, shared by the queue that holds it and its
/// handles.
struct Entry {
    cancelled: Cell<bool>,
    callback: Cell<Option<Box<dyn FnOnce()>>>,
}

impl MiniHandle {
    fn new(callback: impl FnOnce() + 'static) -> MiniHandle {
        let callback: Box<dyn FnOnce()> = Box::new(callback);
        let entry = Entry {
            cancelled: Cell::new(false),
            callback: Cell::new(Some(callback)),
        };
        MiniHandle { entry: Rc::new(entry) }
    }

    /// Cancels the callback if it has not run, dropping it at once.
    pub fn cancel(&self) {
        self.entry.cancelled.set(true);
        drop(self.entry.callback.take());
    }

    /// Whether [`cancel`](MiniHandle::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.entry.cancelled.get()
    }

    /// Runs the callback, unless it was cancelled or has run already.
    fn run(&self) {
        if let Some(callback) = self.entry.callback.take() {
            callback();
        }
    }
}
// ANCHOR_END: handle

// ANCHOR: timer
/// A timer in the heap: ordered by deadline, then by the order it was set.
struct Timer {
    when: Duration,
    sequence: u64,
    handle: MiniHandle,
}

impl Timer {
    fn key(&self) -> (Duration, u64) {
        (self.when, self.sequence)
    }
}

impl Ord for Timer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Timer {}
// ANCHOR_END: timer

// ANCHOR: mini_loop
/// A loop of callbacks and timers on a virtual clock. Cloning it gives
/// another handle to the same loop.
#[derive(Clone, Default)]
pub struct MiniLoop {
    inner: Rc<Inner>,
}

#[derive(Default)]
struct Inner {
    now: Cell<Duration>,
    ready: RefCell<VecDeque<MiniHandle>>,
    /// A min-heap: `BinaryHeap` is a max-heap, so the entries are reversed.
    timers: RefCell<BinaryHeap<Reverse<Timer>>>,
    next_sequence: Cell<u64>,
    stopping: Cell<bool>,
}

impl MiniLoop {
    /// A new loop, at loop time zero.
    pub fn new() -> MiniLoop {
        MiniLoop::default()
    }

    /// The loop time: it moves only when the loop has nothing ready.
    pub fn time(&self) -> Duration {
        self.inner.now.get()
    }

    /// Runs `callback` on the next tick, after everything already queued.
    pub fn call_soon(&self, callback: impl FnOnce() + 'static) -> MiniHandle {
        let handle = MiniHandle::new(callback);
        self.inner.ready.borrow_mut().push_back(handle.clone());
        handle
    }

    /// Runs `callback` once the loop time reaches `when`.
    pub fn call_at(
        &self,
        when: Duration,
        callback: impl FnOnce() + 'static,
    ) -> MiniHandle {
        let handle = MiniHandle::new(callback);
        let sequence = self.inner.next_sequence.get();
        self.inner.next_sequence.set(sequence + 1);
        let timer = Timer { when, sequence, handle: handle.clone() };
        self.inner.timers.borrow_mut().push(Reverse(timer));
        handle
    }

    /// Runs `callback` once `delay` of loop time has passed.
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + 'static,
    ) -> MiniHandle {
        self.call_at(self.time() + delay, callback)
    }

    /// Makes `run_forever` return after the current tick (or, called while
    /// the loop is not running, after the next one).
    pub fn stop(&self) {
        self.inner.stopping.set(true);
    }

    /// Runs ticks until a tick in which [`stop`](MiniLoop::stop) was called,
    /// or until there is nothing left to run, ever.
    pub fn run_forever(&self) {
        while self.run_once() && !self.inner.stopping.get() {}
        self.inner.stopping.set(false);
    }
}
// ANCHOR_END: mini_loop

// ANCHOR: run_once
impl MiniLoop {
    /// One tick. Returns false if there was nothing to do.
    fn run_once(&self) -> bool {
        let nothing_ready = self.inner.ready.borrow().is_empty();
        if nothing_ready && !self.inner.stopping.get() {
            // The virtual clock's one move: to the next live deadline.
            let Some(deadline) = self.next_deadline() else { return false };
            self.inner.now.set(self.time().max(deadline));
        }
        while let Some(handle) = self.pop_due() {
            self.inner.ready.borrow_mut().push_back(handle);
        }
        // Only what is ready now: what these callbacks queue waits for the
        // next tick. No borrow is held while a callback runs.
        let ready_now = self.inner.ready.borrow().len();
        for _ in 0..ready_now {
            let next = self.inner.ready.borrow_mut().pop_front();
            if let Some(handle) = next {
                handle.run();
            }
        }
        true
    }

    /// The earliest deadline of a timer not cancelled, throwing away the
    /// cancelled ones on top of the heap.
    fn next_deadline(&self) -> Option<Duration> {
        let mut timers = self.inner.timers.borrow_mut();
        while let Some(Reverse(top)) = timers.peek() {
            if !top.handle.cancelled() {
                return Some(top.when);
            }
            timers.pop();
        }
        None
    }

    /// The earliest live timer, if it is due.
    fn pop_due(&self) -> Option<MiniHandle> {
        let deadline = self.next_deadline()?;
        if deadline > self.time() {
            return None;
        }
        let top = self.inner.timers.borrow_mut().pop()?;
        Some(top.0.handle)
    }
}
// ANCHOR_END: run_once

impl fmt::Debug for MiniLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiniLoop")
            .field("time", &self.time())
            .field("ready", &self.inner.ready.borrow().len())
            .field("timers", &self.inner.timers.borrow().len())
            .finish()
    }
}

impl fmt::Debug for MiniHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiniHandle")
            .field("cancelled", &self.cancelled())
            .finish()
    }
}
