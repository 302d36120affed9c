//! Exercise 1: a signal as a future. [`next_signal`] waits for the next
//! delivery of a signal, as tokio's `Signal::recv` does once, on top of
//! the loop's callback API: a handler that sets an [`aio::Event`], and a
//! guard that removes the handler however the wait ends, so the signal gets
//! its default action back.

use aio::{Event, EventLoop, Signal, SignalError};

// ANCHOR: next_signal
/// Waits on the running loop for the next delivery of `signal`, then gives
/// the signal back: once this returns, or is dropped before it does (a
/// timeout, a cancelled task), `signal` has no handler on this loop.
pub async fn next_signal(signal: Signal) -> Result<(), SignalError> {
    let event_loop =
        aio::get_running_loop().map_err(|_| SignalError::NoRunningLoop)?;
    let arrived = Event::new();
    let set_on_delivery = arrived.clone();
    // The callback runs as a loop callback: it can't await, but it can
    // set an event that this future awaits.
    event_loop.add_signal_handler(signal, move || set_on_delivery.set())?;
    let _handler = RemoveOnDrop { event_loop, signal };
    arrived.wait().await;
    Ok(())
}
// ANCHOR_END: next_signal

// ANCHOR: remove_on_drop
/// Removes `signal`'s handler when dropped: at the end of the wait, or
/// when the waiting future itself is dropped.
struct RemoveOnDrop {
    event_loop: EventLoop,
    signal: Signal,
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        // Only fails on a closed loop, which has let the signal go already.
        let _ = self.event_loop.remove_signal_handler(self.signal);
    }
}
// ANCHOR_END: remove_on_drop
