//! Exercise 1: a signal as a future (small). Write [`next_signal`], which
//! waits on the running loop for the next delivery of a signal and then
//! gives the signal back (its handler removed, so its default action
//! returns), also when the future is dropped before the signal came. See
//! the Exercises section of `book/ch12-signals.md`; grade it with
//! `cargo test -p ch12-signals --test exercises next_signal`.

use aio::{Signal, SignalError};

/// Waits on the running loop for the next delivery of `signal`, then gives
/// the signal back: once this returns, or is dropped before it does (a
/// timeout, a cancelled task), `signal` has no handler on this loop.
///
/// Errors: [`SignalError::NoRunningLoop`] outside a loop, and whatever
/// [`aio::EventLoop::add_signal_handler`] refuses (`SIGKILL`, say).
pub async fn next_signal(signal: Signal) -> Result<(), SignalError> {
    // Your code here: add a handler whose callback sets an `aio::Event`,
    // await the event, and remove the handler however the wait ends (a
    // guard whose `Drop` removes it). This placeholder returns at once,
    // without waiting for anything.
    Ok(())
}
