//! Chapter 6 (synchronization): `Event`, a flag that tasks can wait for.
//!
//! A port of asyncio's `Event`: `set` wakes every waiter, in the order they
//! started waiting, and a waiter that was woken returns even if the event is
//! cleared again before it runs.

use crate::ch06_sync::wait_queue::WaitQueue;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style event. Cloning gives another handle to the same event.
#[derive(Clone, Default)]
pub struct Event {
    inner: Rc<EventState>,
}

#[derive(Default)]
struct EventState {
    value: Cell<bool>,
    waiters: WaitQueue,
}

// ANCHOR: event
impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        Event::default()
    }

    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        self.inner.value.get()
    }

    /// Sets the event and wakes every waiter, first come first woken.
    pub fn set(&self) {
        if !self.inner.value.replace(true) {
            self.inner.waiters.wake_all(());
        }
    }

    /// Clears the event: later waits block again.
    pub fn clear(&self) {
        self.inner.value.set(false);
    }

    /// Waits until the event is set (returns at once if it is).
    pub async fn wait(&self) {
        if self.is_set() {
            return;
        }
        // Cancelled after `set` chose us: nothing to pass on, since `set`
        // wakes every waiter.
        self.inner.waiters.wait("Event", || {}).await.take();
    }
}
// ANCHOR_END: event

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .field("waiters", &self.inner.waiters.len())
            .finish()
    }
}
