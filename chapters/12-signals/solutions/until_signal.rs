//! Exercise 2: run a future until a signal stops it. [`until_signal`] is
//! what a server's `stop_on_signals` does, as one function: the work runs
//! until it finishes or until one of the signals arrives, whichever comes
//! first; then the work is dropped (its clean-up runs) and every handler
//! added is removed again, so each signal has its default action back.

use aio::{Event, EventLoop, Signal, SignalError};
use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

/// How [`until_signal`]'s work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The work finished first, with this value.
    Finished(T),
    /// This signal came first, and the work was dropped.
    Stopped(Signal),
}

// ANCHOR: until_signal
/// Runs `work` on the running loop until it finishes or one of `signals`
/// arrives. Either way, when this returns the work has been dropped and
/// none of `signals` has a handler here. A signal that can't be handled
/// is an error, and then no handler is left behind and `work` never ran.
pub async fn until_signal<F: Future>(
    signals: &[Signal],
    work: F,
) -> Result<Outcome<F::Output>, SignalError> {
    let event_loop =
        aio::get_running_loop().map_err(|_| SignalError::NoRunningLoop)?;
    let first = Rc::new(Cell::new(None));
    let arrived = Event::new();
    let mut handlers = Handlers { event_loop, added: Vec::new() };
    for &signal in signals {
        let (first, arrived) = (Rc::clone(&first), arrived.clone());
        handlers.add(signal, move || {
            if first.get().is_none() {
                first.set(Some(signal));
            }
            arrived.set();
        })?; // `handlers` is dropped here too: the ones added go
    }
    let mut work = pin!(work);
    let mut stop = pin!(arrived.wait());
    let outcome = poll_fn(|cx| {
        if let Poll::Ready(value) = work.as_mut().poll(cx) {
            return Poll::Ready(Outcome::Finished(value));
        }
        match (stop.as_mut().poll(cx), first.get()) {
            (Poll::Ready(()), Some(signal)) => {
                Poll::Ready(Outcome::Stopped(signal))
            }
            _ => Poll::Pending,
        }
    })
    .await;
    Ok(outcome) // drops `work`, then `handlers`, before the caller goes on
}
// ANCHOR_END: until_signal

// ANCHOR: handlers
/// The handlers added so far, removed when this is dropped.
struct Handlers {
    event_loop: EventLoop,
    added: Vec<Signal>,
}

impl Handlers {
    fn add(
        &mut self,
        signal: Signal,
        callback: impl FnMut() + 'static,
    ) -> Result<(), SignalError> {
        self.event_loop.add_signal_handler(signal, callback)?;
        self.added.push(signal);
        Ok(())
    }
}

impl Drop for Handlers {
    fn drop(&mut self) {
        for &signal in &self.added {
            let _ = self.event_loop.remove_signal_handler(signal);
        }
    }
}
// ANCHOR_END: handlers
