//! Exercise 3 (project): a promise of your own.
//!
//! [`MyPromise`] is asyncio's `Future` written again on aio's public API: a
//! shared slot, one list of listeners (done-callbacks and the wakers of
//! awaiting tasks, in the order they came), callbacks scheduled with
//! `call_soon` and never run inline, and an awaiter that takes its waker
//! back when it gives up.

use aio::EventLoop;
use std::cell::RefCell;
use std::fmt;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: state
/// Why a [`MyPromise`] has no value to give, or refused one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyPromiseError {
    /// Read before it was done (asyncio's `InvalidStateError`).
    NotDone,
    /// Set when it was already done (asyncio's `InvalidStateError`).
    AlreadyDone,
    /// It was cancelled (asyncio's `CancelledError`).
    Cancelled,
}

/// A settable, awaitable result slot. Cloning gives another handle to the
/// same slot.
pub struct MyPromise<T> {
    shared: Rc<Shared<T>>,
    /// The waker this handle registered while awaited, taken back if the
    /// handle is dropped first.
    waiting: Option<Waker>,
}

struct Shared<T> {
    /// Where done-callbacks are scheduled. aio's own `Promise` holds a weak
    /// reference; the public API has none, and the strong one only lasts
    /// while the loop holds callbacks that hold the promise.
    event_loop: EventLoop,
    state: RefCell<State<T>>,
    listeners: RefCell<Vec<Listener<T>>>,
}

enum State<T> {
    Pending,
    Finished(T),
    Cancelled,
}

type DoneCallback<T> = Box<dyn FnOnce(&MyPromise<T>)>;

/// Someone to tell when the promise is done, in the order they came.
enum Listener<T> {
    Callback(DoneCallback<T>),
    Waker(Waker),
}
// ANCHOR_END: state

// ANCHOR: settle
impl<T: 'static> MyPromise<T> {
    /// A pending promise whose callbacks run on `event_loop`.
    pub fn new(event_loop: &EventLoop) -> MyPromise<T> {
        let shared = Shared {
            event_loop: event_loop.clone(),
            state: RefCell::new(State::Pending),
            listeners: RefCell::new(Vec::new()),
        };
        MyPromise { shared: Rc::new(shared), waiting: None }
    }

    /// Whether it has a result or was cancelled.
    pub fn done(&self) -> bool {
        !matches!(*self.shared.state.borrow(), State::Pending)
    }

    /// Whether it was cancelled.
    pub fn cancelled(&self) -> bool {
        matches!(*self.shared.state.borrow(), State::Cancelled)
    }

    /// Stores the result, wakes the awaiters and schedules the callbacks.
    pub fn set_result(&self, value: T) -> Result<(), MyPromiseError> {
        self.settle(State::Finished(value))
    }

    /// Cancels it; false if it was already done.
    pub fn cancel(&self) -> bool {
        self.settle(State::Cancelled).is_ok()
    }

    fn settle(&self, outcome: State<T>) -> Result<(), MyPromiseError> {
        {
            let mut state = self.shared.state.borrow_mut();
            if !matches!(*state, State::Pending) {
                return Err(MyPromiseError::AlreadyDone);
            }
            *state = outcome;
        }
        // Take the whole list first: no borrow is held while we wake.
        let listeners = self.shared.listeners.take();
        for listener in listeners {
            match listener {
                Listener::Waker(waker) => waker.wake(),
                Listener::Callback(callback) => self.schedule(callback),
            }
        }
        Ok(())
    }

    /// Calls `callback` with the promise on the next tick, never inline.
    fn schedule(&self, callback: DoneCallback<T>) {
        let promise = self.clone();
        // A closed loop runs nothing more, and drops the callback.
        let _ = self.shared.event_loop.call_soon(move || callback(&promise));
    }

    /// Calls `callback` once the promise is done, on a later tick: at once
    /// (scheduled) if it is done already.
    pub fn add_done_callback(
        &self,
        callback: impl FnOnce(&MyPromise<T>) + 'static,
    ) {
        let callback = Box::new(callback);
        if self.done() {
            self.schedule(callback);
        } else {
            let mut listeners = self.shared.listeners.borrow_mut();
            listeners.push(Listener::Callback(callback));
        }
    }
}
// ANCHOR_END: settle

// ANCHOR: poll
impl<T: Clone + 'static> MyPromise<T> {
    /// The value, or why there is none.
    pub fn result(&self) -> Result<T, MyPromiseError> {
        match &*self.shared.state.borrow() {
            State::Pending => Err(MyPromiseError::NotDone),
            State::Finished(value) => Ok(value.clone()),
            State::Cancelled => Err(MyPromiseError::Cancelled),
        }
    }
}

impl<T: Clone + 'static> Future for MyPromise<T> {
    type Output = Result<T, MyPromiseError>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        if self.done() {
            self.waiting = None;
            return Poll::Ready(self.result());
        }
        let known = self.waiting.as_ref();
        if !known.is_some_and(|waker| waker.will_wake(cx.waker())) {
            // A new task or combinator polls us: swap its waker in.
            if let Some(previous) = self.waiting.take() {
                self.shared.forget(&previous);
            }
            self.shared.listen(cx.waker());
            self.waiting = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl<T> Shared<T> {
    /// Adds `waker` unless one that wakes the same task is there already.
    fn listen(&self, waker: &Waker) {
        let mut listeners = self.listeners.borrow_mut();
        let known = listeners.iter().any(|listener| match listener {
            Listener::Waker(known) => known.will_wake(waker),
            Listener::Callback(_) => false,
        });
        if !known {
            listeners.push(Listener::Waker(waker.clone()));
        }
    }

    /// Removes the listener that wakes what `waker` wakes.
    fn forget(&self, waker: &Waker) {
        self.listeners.borrow_mut().retain(|listener| match listener {
            Listener::Waker(known) => !known.will_wake(waker),
            Listener::Callback(_) => true,
        });
    }
}

impl<T> Drop for MyPromise<T> {
    /// An awaiter that gives up (a timeout won) takes its waker back.
    fn drop(&mut self) {
        if let Some(waker) = self.waiting.take() {
            self.shared.forget(&waker);
        }
    }
}

impl<T> Clone for MyPromise<T> {
    /// Another handle to the same slot, not awaiting yet.
    fn clone(&self) -> Self {
        MyPromise { shared: Rc::clone(&self.shared), waiting: None }
    }
}
// ANCHOR_END: poll

impl<T> fmt::Debug for MyPromise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match *self.shared.state.borrow() {
            State::Pending => "pending",
            State::Finished(_) => "finished",
            State::Cancelled => "cancelled",
        };
        f.debug_struct("MyPromise").field("state", &state).finish()
    }
}
