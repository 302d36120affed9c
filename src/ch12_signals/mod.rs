//! Chapter 12 (signals): Unix signals, as loop callbacks.
//!
//! A signal interrupts whatever a thread was doing, so its handler may do
//! almost nothing. aio's handler marks the signal's slot and writes a byte
//! to the owning loop's self-pipe (`delivery.rs`, `process_signals.rs`); the
//! pipe wakes the loop (`wakeup_pipe.rs`), which runs the signal's callback
//! as an ordinary loop callback (`handlers.rs`). `aio::run` uses the same
//! path for Ctrl-C (`ctrl_c.rs`).

pub(crate) mod signal;
pub(crate) mod signal_error;
pub(crate) mod delivery;
pub(crate) mod process_signals;
pub(crate) mod wakeup_pipe;
pub(crate) mod handlers;
pub(crate) mod ctrl_c;
