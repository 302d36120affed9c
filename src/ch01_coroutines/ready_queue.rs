//! Chapter 1 (coroutines): the ready queue and the callbacks that sit in it.
//!
//! asyncio keeps one deque, `_ready`, of handles to run on the next tick. aio's
//! is the same, holding two kinds of work: a plain callback, or a task to poll
//! once. Both are reference-counted so that a callback's
//! [`Handle`](crate::Handle) and a task's wakers can point at the very entry
//! that is queued.

use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::seam::Runnable;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

/// A callback that can be run once or cancelled.
pub(crate) trait Callback {
    /// Runs the callback, unless it was cancelled or already ran.
    fn run(&self);
    /// Cancels the callback and drops it (and what it captured) at once.
    /// Returns whether it was still pending: neither run nor cancelled.
    fn cancel(&self) -> bool;
    /// Whether `cancel` was called.
    fn cancelled(&self) -> bool;
    /// The type name of the function it calls, for the loop's trace.
    fn label(&self) -> &'static str;
}

/// A callback stored inline: one allocation per scheduled call.
pub(crate) struct CallbackCell<F> {
    cancelled: Cell<bool>,
    function: Cell<Option<F>>,
}

impl<F: FnOnce() + 'static> CallbackCell<F> {
    /// Wraps `function` as a shareable, cancellable callback.
    pub(crate) fn new_shared(function: F) -> Rc<dyn Callback> {
        Rc::new(CallbackCell::new(function))
    }

    fn new(function: F) -> CallbackCell<F> {
        CallbackCell {
            cancelled: Cell::new(false),
            function: Cell::new(Some(function)),
        }
    }
}

impl<F: FnOnce()> Callback for CallbackCell<F> {
    fn run(&self) {
        if !self.cancelled.get()
            && let Some(function) = self.function.take()
        {
            function();
        }
    }

    fn cancel(&self) -> bool {
        let function = self.function.take();
        let was_pending = !self.cancelled.replace(true) && function.is_some();
        drop(function);
        was_pending
    }

    fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    fn label(&self) -> &'static str {
        std::any::type_name::<F>()
    }
}

/// A callback that the runtime boxed on someone's behalf (a task's done
/// callback, a callback sent from another thread), with the name the loop's
/// trace shows for it: a box's type says nothing of what is inside.
pub(crate) struct NamedCallback<F> {
    callback: CallbackCell<F>,
    name: &'static str,
}

impl<F: FnOnce() + 'static> NamedCallback<F> {
    /// Wraps `function` as a shareable, cancellable callback called `name`.
    pub(crate) fn new_shared(
        name: &'static str,
        function: F,
    ) -> Rc<dyn Callback> {
        Rc::new(NamedCallback { callback: CallbackCell::new(function), name })
    }
}

impl<F: FnOnce()> Callback for NamedCallback<F> {
    fn run(&self) {
        self.callback.run();
    }

    fn cancel(&self) -> bool {
        self.callback.cancel()
    }

    fn cancelled(&self) -> bool {
        self.callback.cancelled()
    }

    fn label(&self) -> &'static str {
        self.name
    }
}

/// One unit of work waiting for the next tick.
pub(crate) enum Ready {
    /// A task to poll once.
    Task(TaskArc<dyn Runnable>),
    /// A callback to call.
    Callback(Rc<dyn Callback>),
}

// ANCHOR: ready_queue
/// The FIFO of work for the coming ticks.
#[derive(Default)]
pub(crate) struct ReadyQueue {
    items: RefCell<VecDeque<Ready>>,
}

impl ReadyQueue {
    /// Appends work; it runs after everything already queued.
    pub(crate) fn push(&self, item: Ready) {
        self.items.borrow_mut().push_back(item);
    }

    /// Takes the oldest item.
    pub(crate) fn pop(&self) -> Option<Ready> {
        self.items.borrow_mut().pop_front()
    }

    /// How many items are queued: a tick runs exactly this many.
    pub(crate) fn len(&self) -> usize {
        self.items.borrow().len()
    }

    /// Whether nothing is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.borrow().is_empty()
    }

    /// Drops every queued item. Items are dropped after the queue is released,
    /// because dropping one can schedule more work.
    pub(crate) fn clear(&self) {
        let items = std::mem::take(&mut *self.items.borrow_mut());
        drop(items);
    }
}
// ANCHOR_END: ready_queue
