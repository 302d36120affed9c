//! Exercise 2: run a future until a signal stops it (medium). Write
//! [`until_signal`]: the work runs until it finishes or until one of the
//! signals arrives; either way the work is dropped and every handler added
//! is removed before it returns. See the Exercises section of
//! `book/ch12-signals.md`; grade it with
//! `cargo test -p ch12-signals --test exercises until_signal`.

use aio::{Signal, SignalError};
use std::future::Future;

/// How [`until_signal`]'s work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The work finished first, with this value.
    Finished(T),
    /// This signal came first, and the work was dropped.
    Stopped(Signal),
}

/// Runs `work` on the running loop until it finishes or one of `signals`
/// arrives (the first to arrive is the one named). Either way, when this
/// returns the work has been dropped and none of `signals` has a handler
/// here. A signal that can't be handled is an error, and then no handler
/// is left behind and `work` never ran.
pub async fn until_signal<F: Future>(
    signals: &[Signal],
    work: F,
) -> Result<Outcome<F::Output>, SignalError> {
    // Your code here: add a handler per signal that notes which came and
    // sets an `aio::Event`; poll `work` and the event's `wait()` together
    // (`std::future::poll_fn`); remove the handlers however this ends,
    // even when adding one of them fails. This placeholder runs nothing.
    Err(SignalError::NoRunningLoop)
}
