//! Chapter 6 (synchronization): `Event`, a flag that tasks can wait for.
//!
//! A port of asyncio's `Event`: `set` wakes every waiter, in the order they
//! started waiting, and a waiter that was woken returns even if the event is
//! cleared again before it runs.

use crate::ch06_sync::waiter::{OnCancel, Waiter, remove_waiter};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
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
    waiters: RefCell<VecDeque<Waiter>>,
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
        if self.inner.value.replace(true) {
            return;
        }
        let waiters: Vec<Waiter> =
            self.inner.waiters.borrow().iter().cloned().collect();
        for waiter in waiters {
            waiter.wake();
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
        let waiter = Waiter::default();
        self.inner.waiters.borrow_mut().push_back(waiter.clone());
        let on_cancel = OnCancel::new(|| {
            waiter.cancel();
            remove_waiter(&self.inner.waiters, &waiter);
        });
        waiter.woken_up().await;
        on_cancel.disarm();
        remove_waiter(&self.inner.waiters, &waiter);
    }
}
// ANCHOR_END: event

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .field("waiters", &self.inner.waiters.borrow().len())
            .finish()
    }
}
