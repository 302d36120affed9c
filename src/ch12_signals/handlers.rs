//! Chapter 12 (signals): `add_signal_handler` and `remove_signal_handler`,
//! a loop's signal handlers, run as ordinary loop callbacks.
//!
//! Each loop that handles a signal keeps a [`LoopSignals`]: its self-pipe,
//! and a callback per signal. When the pipe is readable, the loop queues one
//! drain callback (asyncio's `_read_from_self`), which reads every byte and,
//! for each signal whose slot is marked, queues that signal's callback. So
//! the callback runs a tick after the loop noticed the signal, on the loop's
//! thread, and may do anything a callback may.
//!
//! The coalescing rule: any number of deliveries of one signal before a
//! drain make one callback; a delivery after the drain has taken the mark
//! makes another. So a burst gives at least one callback, and never more
//! than it had deliveries, and the last delivery is always followed by a
//! callback. Different signals run in the order their bytes arrived.

use crate::ch01_coroutines::event_loop::{EventLoop, get_running_loop};
use crate::ch01_coroutines::logging;
use crate::ch12_signals::process_signals::{claim, release, slot};
use crate::ch12_signals::signal::Signal;
use crate::ch12_signals::signal_error::SignalError;
use crate::ch12_signals::wakeup_pipe::WakeupPipe;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// One signal's callback, and which `add` put it there.
struct Handler {
    id: u64,
    callback: RefCell<Box<dyn FnMut()>>,
}

// ANCHOR: loop_signals
/// What one loop knows of its signals (a loop-local, made by the first
/// `add_signal_handler`, dropped when the loop closes).
pub(crate) struct LoopSignals {
    loop_id: u64,
    pipe: WakeupPipe,
    handlers: RefCell<BTreeMap<Signal, Rc<Handler>>>,
    /// Whether a drain callback is queued and has not run yet.
    drain_queued: Rc<Cell<bool>>,
    next_id: Cell<u64>,
}
// ANCHOR_END: loop_signals

/// How a handler takes deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deliveries {
    /// Every delivery runs the callback.
    Every,
    /// Only the first does; another ends the process at once (Ctrl-C in
    /// `aio::run`).
    FirstOnly,
}

impl LoopSignals {
    /// The loop's signals, made on first use.
    pub(crate) fn of(
        event_loop: &EventLoop,
    ) -> Result<Rc<LoopSignals>, SignalError> {
        if event_loop.is_closed() {
            return Err(SignalError::LoopClosed);
        }
        if let Some(signals) = event_loop.local::<LoopSignals>() {
            return Ok(signals);
        }
        let drain_queued = Rc::new(Cell::new(false));
        let pipe = WakeupPipe::new(event_loop, {
            let (event_loop, drain_queued) =
                (event_loop.downgrade(), drain_queued.clone());
            move || {
                if let Some(event_loop) = event_loop.upgrade()
                    && !drain_queued.replace(true)
                {
                    let _ = event_loop.call_soon(drain);
                }
            }
        })
        .map_err(SignalError::Os)?;
        event_loop.set_local(LoopSignals {
            loop_id: event_loop.id(),
            pipe,
            handlers: RefCell::default(),
            drain_queued,
            next_id: Cell::new(1),
        });
        event_loop.local::<LoopSignals>().ok_or(SignalError::LoopClosed)
    }

    // ANCHOR: add
    /// Adds (or replaces) `signal`'s callback, and returns its id.
    pub(crate) fn add(
        &self,
        signal: Signal,
        callback: Box<dyn FnMut()>,
        deliveries: Deliveries,
    ) -> Result<u64, SignalError> {
        let id = self.next_id.replace(self.next_id.get() + 1);
        let handler = Rc::new(Handler { id, callback: RefCell::new(callback) });
        let first_only = deliveries == Deliveries::FirstOnly;
        let replaced = self.handlers.borrow_mut().insert(signal, handler);
        if replaced.is_some() {
            if !first_only {
                slot(signal.as_raw()).handle_every_delivery();
            }
            return Ok(id);
        }
        if let Err(error) = claim(signal, self.loop_id) {
            self.handlers.borrow_mut().remove(&signal);
            return Err(error);
        }
        slot(signal.as_raw()).route_to(self.pipe.write_fd(), first_only);
        Ok(id)
    }
    // ANCHOR_END: add

    /// Removes `signal`'s callback, if it is the one `add` gave `id` (any
    /// callback, with `None`). Returns whether it removed one.
    pub(crate) fn remove(&self, signal: Signal, id: Option<u64>) -> bool {
        let removed = {
            let mut handlers = self.handlers.borrow_mut();
            match handlers.get(&signal) {
                Some(handler) if id.is_none_or(|id| id == handler.id) => {
                    handlers.remove(&signal)
                }
                _ => None,
            }
        };
        let Some(removed) = removed else { return false };
        give_up(signal, self.loop_id);
        drop(removed); // outside the borrow: it may own anything
        true
    }

    // ANCHOR: drain
    /// The drain callback's work: read the pipe, then queue the callback of
    /// every signal whose mark it takes, in the order the bytes came, and
    /// then of any whose byte a full pipe dropped.
    fn drain(&self, event_loop: &EventLoop) {
        self.drain_queued.set(false);
        let queue_if_marked = |signal: Signal| {
            let ours = self.handlers.borrow().contains_key(&signal);
            if ours && slot(signal.as_raw()).take_pending() {
                let _ = event_loop.call_soon(move || run_callback(signal));
            }
        };
        self.pipe
            .read_bytes(|byte| queue_if_marked(Signal::from_raw(byte.into())));
        let ours: Vec<Signal> =
            self.handlers.borrow().keys().copied().collect();
        ours.into_iter().for_each(queue_if_marked);
    }
    // ANCHOR_END: drain
}

/// Stops the signal's wake-ups and gives it back to the process: its
/// default action (or whatever it had before aio) applies again.
fn give_up(signal: Signal, loop_id: u64) {
    slot(signal.as_raw()).stop_routing();
    release(signal, loop_id);
}

impl Drop for LoopSignals {
    fn drop(&mut self) {
        let handlers = std::mem::take(self.handlers.get_mut());
        for signal in handlers.keys() {
            give_up(*signal, self.loop_id);
        }
        // Then the pipe closes, with no handler left writing to it.
    }
}

/// The drain callback, queued when the pipe is readable.
fn drain() {
    if let Ok(event_loop) = get_running_loop()
        && let Some(signals) = event_loop.local::<LoopSignals>()
    {
        signals.drain(&event_loop);
    }
}

// ANCHOR: run_callback
/// Runs `signal`'s callback: the one in place when it runs, if any (a
/// callback removed meanwhile does not run).
fn run_callback(signal: Signal) {
    let handler = get_running_loop().ok().and_then(|event_loop| {
        let signals = event_loop.local::<LoopSignals>()?;
        signals.handlers.borrow().get(&signal).cloned()
    });
    let Some(handler) = handler else { return };
    match handler.callback.try_borrow_mut() {
        Ok(mut callback) => callback(),
        Err(_) => logging::warn!(
            "aio.signals",
            "the {signal} handler is still running; this delivery is merged \
             into it"
        ),
    }
}
// ANCHOR_END: run_callback

// ANCHOR: api
impl EventLoop {
    /// Runs `callback` as a loop callback whenever `signal` arrives
    /// (asyncio's `loop.add_signal_handler`); adding again replaces it. It
    /// never runs inside the signal handler: the handler only wakes the
    /// loop, and the callback runs on a later tick, on the loop's thread.
    /// Deliveries that arrive before the loop gets to them are merged into
    /// one call.
    ///
    /// A signal goes to one loop in a process: another loop's signal is
    /// refused with [`SignalError::HandledByAnotherLoop`]. The loop need not
    /// be running yet.
    pub fn add_signal_handler(
        &self,
        signal: Signal,
        callback: impl FnMut() + 'static,
    ) -> Result<(), SignalError> {
        signal.check_can_be_handled()?;
        let signals = LoopSignals::of(self)?;
        signals.add(signal, Box::new(callback), Deliveries::Every)?;
        Ok(())
    }

    /// Removes `signal`'s handler, and gives the signal its default action
    /// back (or what it had before aio). Returns false if this loop had no
    /// handler for it.
    pub fn remove_signal_handler(
        &self,
        signal: Signal,
    ) -> Result<bool, SignalError> {
        signal.check_can_be_handled()?;
        Ok(self
            .local::<LoopSignals>()
            .is_some_and(|signals| signals.remove(signal, None)))
    }
}

/// [`EventLoop::add_signal_handler`] on the running loop.
pub fn add_signal_handler(
    signal: Signal,
    callback: impl FnMut() + 'static,
) -> Result<(), SignalError> {
    running_loop()?.add_signal_handler(signal, callback)
}

/// [`EventLoop::remove_signal_handler`] on the running loop.
pub fn remove_signal_handler(signal: Signal) -> Result<bool, SignalError> {
    running_loop()?.remove_signal_handler(signal)
}
// ANCHOR_END: api

fn running_loop() -> Result<EventLoop, SignalError> {
    get_running_loop().map_err(|_| SignalError::NoRunningLoop)
}
