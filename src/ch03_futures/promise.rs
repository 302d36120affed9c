//! Chapter 3 (futures): the one-shot future, asyncio's `Future`.
//!
//! A [`Promise`] is a slot for a result that does not exist yet. Someone sets
//! it once, with a value (`set_result`), an error (`set_exception`) or a
//! cancellation (`cancel`); everyone awaiting it then wakes, and its
//! done-callbacks are scheduled on the loop with `call_soon`, in the order they
//! were registered. It is named `Promise` so that it does not shadow
//! `std::future::Future`, the trait every awaitable implements.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::event_loop::{EventLoop, WeakLoop};
use crate::ch01_coroutines::logging;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::Location;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// An error stored in a promise by [`Promise::set_exception`]. Cloning shares
/// it, so every awaiter sees the same error.
#[derive(Clone)]
pub struct Exception(Rc<dyn std::error::Error>);

impl Exception {
    /// Wraps any error.
    pub fn new(error: impl std::error::Error + 'static) -> Exception {
        Exception(Rc::new(error))
    }

    /// An error that is just a message.
    pub fn msg(message: impl Into<String>) -> Exception {
        Exception::new(Message(message.into()))
    }

    /// The error inside.
    pub fn error(&self) -> &(dyn std::error::Error + 'static) {
        &*self.0
    }
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl fmt::Debug for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Exception({})", self.0)
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Why a promise has no value to give.
#[derive(Debug, Clone)]
pub enum PromiseError {
    /// The promise was cancelled (asyncio's `CancelledError`).
    Cancelled,
    /// The promise holds an error, set with `set_exception`.
    Exception(Exception),
    /// The result was read before the promise was done (asyncio's
    /// `InvalidStateError`).
    InvalidState(InvalidStateError),
}

impl fmt::Display for PromiseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PromiseError::Cancelled => write!(f, "the future was cancelled"),
            PromiseError::Exception(exception) => {
                write!(f, "the future failed: {exception}")
            }
            PromiseError::InvalidState(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for PromiseError {}

/// A promise was used in a state that does not allow it: set twice, or read too
/// early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidStateError {
    message: String,
}

impl fmt::Display for InvalidStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidStateError {}

/// Identifies a done-callback, to remove it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseCallbackId(u64);

// ANCHOR: promise_state
/// A settable, awaitable result slot: asyncio's `Future`. Cloning gives another
/// handle to the same slot.
pub struct Promise<T> {
    shared: Rc<Shared<T>>,
    /// The waker this handle registered while being awaited, removed again if
    /// the handle is dropped before the promise is done (an awaiter that gave
    /// up).
    waiting: Option<Waker>,
}

struct Shared<T> {
    event_loop: WeakLoop,
    /// Where the promise was made, for reports and the task tree.
    created_at: &'static Location<'static>,
    state: RefCell<State<T>>,
    /// Done-callbacks and awaiting tasks' wakers, in the order they arrived.
    listeners: RefCell<Vec<Listener<T>>>,
    next_callback_id: Cell<u64>,
    /// Whether anyone looked at a stored error (if not, dropping it is
    /// reported).
    error_retrieved: Cell<bool>,
}

enum State<T> {
    Pending,
    Finished(T),
    Failed(Exception),
    Cancelled,
}

type DoneCallback<T> = Box<dyn FnOnce(&Promise<T>)>;

enum Listener<T> {
    Callback(u64, DoneCallback<T>),
    Waker(Waker),
}
// ANCHOR_END: promise_state

impl EventLoop {
    /// Creates a pending promise bound to this loop (`loop.create_future()`).
    #[track_caller]
    pub fn create_future<T: 'static>(&self) -> Promise<T> {
        Promise {
            waiting: None,
            shared: Rc::new(Shared {
                event_loop: self.downgrade(),
                created_at: Location::caller(),
                state: RefCell::new(State::Pending),
                listeners: RefCell::new(Vec::new()),
                next_callback_id: Cell::new(0),
                error_retrieved: Cell::new(false),
            }),
        }
    }
}

impl<T: 'static> Promise<T> {
    /// Creates a pending promise on the running loop (`asyncio.Future()`).
    #[track_caller]
    pub fn new() -> Result<Promise<T>, Error> {
        Ok(event_loop::get_running_loop()?.create_future())
    }

    /// Whether the promise has a result, an error, or was cancelled.
    pub fn done(&self) -> bool {
        !matches!(*self.shared.state.borrow(), State::Pending)
    }

    /// Whether the promise was cancelled.
    pub fn cancelled(&self) -> bool {
        matches!(*self.shared.state.borrow(), State::Cancelled)
    }

    // ANCHOR: set_result
    /// Stores the result, wakes every awaiter and schedules the done-callbacks.
    /// Fails with an "invalid state" error if the promise is already done.
    pub fn set_result(&self, value: T) -> Result<(), InvalidStateError> {
        self.settle(State::Finished(value))
    }

    /// Stores an error, which awaiters receive as [`PromiseError::Exception`].
    pub fn set_exception(
        &self,
        exception: Exception,
    ) -> Result<(), InvalidStateError> {
        self.settle(State::Failed(exception))
    }

    /// Cancels the promise. Returns false if it was already done. Either way,
    /// an exception it holds is no longer reported as never retrieved: as in
    /// asyncio, whoever cancels a future has taken charge of it.
    pub fn cancel(&self) -> bool {
        self.shared.error_retrieved.set(true);
        self.settle(State::Cancelled).is_ok()
    }

    fn settle(&self, outcome: State<T>) -> Result<(), InvalidStateError> {
        {
            let mut state = self.shared.state.borrow_mut();
            if let State::Pending = *state {
                *state = outcome;
            } else {
                return Err(InvalidStateError {
                    message: format!(
                        "invalid state: the future is already {}",
                        state.word()
                    ),
                });
            }
        }
        let listeners =
            std::mem::take(&mut *self.shared.listeners.borrow_mut());
        for listener in listeners {
            match listener {
                Listener::Waker(waker) => waker.wake(),
                Listener::Callback(_, callback) => {
                    self.schedule_callback(callback)
                }
            }
        }
        Ok(())
    }
    // ANCHOR_END: set_result

    /// Schedules a done-callback with `call_soon`; never runs it inline.
    fn schedule_callback(&self, callback: DoneCallback<T>) {
        let promise = self.clone();
        let scheduled = match self.shared.event_loop.upgrade() {
            Some(event_loop) => {
                event_loop.call_soon(move || callback(&promise)).map(drop)
            }
            None => Err(Error::LoopClosed),
        };
        if let Err(error) = scheduled {
            logging::warn!(
                "aio.promise",
                "a done-callback was dropped without running: {error}"
            );
        }
    }

    /// Registers `callback` to be scheduled when the promise is done (asyncio's
    /// `add_done_callback`). If it is already done, the callback is scheduled
    /// now.
    pub fn add_done_callback(
        &self,
        callback: impl FnOnce(&Promise<T>) + 'static,
    ) -> PromiseCallbackId {
        let id = self.shared.next_callback_id.get();
        self.shared.next_callback_id.set(id + 1);
        if self.done() {
            self.schedule_callback(Box::new(callback));
        } else {
            self.shared
                .listeners
                .borrow_mut()
                .push(Listener::Callback(id, Box::new(callback)));
        }
        PromiseCallbackId(id)
    }

    /// Unregisters a done-callback that has not been scheduled yet. Returns
    /// whether it was registered.
    pub fn remove_done_callback(&self, id: PromiseCallbackId) -> bool {
        let mut listeners = self.shared.listeners.borrow_mut();
        let before = listeners.len();
        listeners.retain(
            |listener| !matches!(listener, Listener::Callback(callback_id, _) if *callback_id == id.0),
        );
        listeners.len() != before
    }

    /// The stored error, `Ok(None)` if the promise finished with a value. Fails
    /// if it was cancelled or is not done yet.
    pub fn exception(&self) -> Result<Option<Exception>, PromiseError> {
        match &*self.shared.state.borrow() {
            State::Pending => Err(not_done()),
            State::Finished(_) => Ok(None),
            State::Failed(exception) => {
                self.shared.error_retrieved.set(true);
                Ok(Some(exception.clone()))
            }
            State::Cancelled => Err(PromiseError::Cancelled),
        }
    }
}

impl<T> Promise<T> {
    /// Whether the promise holds an exception, without counting as retrieving
    /// it.
    pub(crate) fn holds_exception(&self) -> bool {
        matches!(*self.shared.state.borrow(), State::Failed(_))
    }
}

fn not_done() -> PromiseError {
    PromiseError::InvalidState(InvalidStateError {
        message: "invalid state: the result is not set yet; await the future, or check done() first".into(),
    })
}

impl<T: Clone + 'static> Promise<T> {
    /// The result (asyncio's `result()`): the value, or why there is none.
    /// Reading it before the promise is done is an "invalid state" error.
    pub fn result(&self) -> Result<T, PromiseError> {
        match &*self.shared.state.borrow() {
            State::Pending => Err(not_done()),
            State::Finished(value) => Ok(value.clone()),
            State::Failed(exception) => {
                self.shared.error_retrieved.set(true);
                Err(PromiseError::Exception(exception.clone()))
            }
            State::Cancelled => Err(PromiseError::Cancelled),
        }
    }
}

impl<T> Clone for Promise<T> {
    fn clone(&self) -> Self {
        Promise { shared: Rc::clone(&self.shared), waiting: None }
    }
}

impl<T> Promise<T> {
    /// Adds `waker` to the listeners unless one that wakes the same task is
    /// there.
    pub(crate) fn register_waker(&self, waker: &Waker) {
        let mut listeners = self.shared.listeners.borrow_mut();
        let known =
            listeners.iter().any(|listener| matches!(listener, Listener::Waker(w) if w.will_wake(waker)));
        if !known {
            listeners.push(Listener::Waker(waker.clone()));
        }
    }

    /// Forgets a waker that [`register_waker`](Self::register_waker) kept.
    pub(crate) fn unregister_waker(&self, waker: &Waker) {
        self.shared
            .listeners
            .borrow_mut()
            .retain(|listener| !matches!(listener, Listener::Waker(w) if w.will_wake(waker)));
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        if let Some(waker) = self.waiting.take()
            && matches!(*self.shared.state.borrow(), State::Pending)
        {
            self.unregister_waker(&waker);
        }
    }
}

// ANCHOR: promise_poll
impl<T: Clone + 'static> Future for Promise<T> {
    type Output = Result<T, PromiseError>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        if self.done() {
            self.waiting = None;
            return Poll::Ready(self.result());
        }
        if !self
            .waiting
            .as_ref()
            .is_some_and(|waiting| waiting.will_wake(cx.waker()))
        {
            if let Some(previous) = self.waiting.take() {
                self.unregister_waker(&previous);
            }
            self.register_waker(cx.waker());
            self.waiting = Some(cx.waker().clone());
        }
        awaiting::note(|| WaitingOn::Promise(self.shared.created_at));
        Poll::Pending
    }
}
// ANCHOR_END: promise_poll

impl<T> State<T> {
    fn word(&self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Finished(_) => "finished",
            State::Failed(_) => "finished with an exception",
            State::Cancelled => "cancelled",
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.borrow();
        let mut out = f.debug_struct("Promise");
        out.field("state", &format_args!("{}", state.word()));
        match &*state {
            State::Finished(value) => out.field("result", value),
            State::Failed(exception) => {
                out.field("exception", &format_args!("{exception}"))
            }
            State::Pending | State::Cancelled => &mut out,
        };
        out.finish()
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        if let State::Failed(exception) = self.state.get_mut()
            && !self.error_retrieved.get()
        {
            logging::warn!(
                "aio.promise",
                "future exception was never retrieved (the future was \
                 created at {}): {exception}",
                self.created_at
            );
        }
    }
}
