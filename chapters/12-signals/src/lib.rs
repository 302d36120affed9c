//! Chapter 12: receiving Unix signals.
//!
//! [`signal`] is the port of PyMOTW-3's `asyncio_signal.py`: handlers for
//! SIGHUP, SIGUSR1 and SIGINT on an event loop, and a task that sends the
//! program those signals. A handler runs as an ordinary loop callback, once
//! the sender has yielded, never inside the signal itself; and SIGINT, which
//! has a handler, does not end the program. `cargo run -p ch12-signals`
//! runs it.
//!
//! [`first_cut`] is the smallest way to the same output: a raw handler that
//! only sets a flag, and a task that polls the flags. [`ctrl_c`] shows what
//! `aio::run` does with Ctrl-C, as `asyncio.run` does: the main task is
//! cancelled, its clean-up runs, and the program ends as SIGINT would have
//! ended it.

pub mod ctrl_c;
pub mod first_cut;
pub mod signal;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// How an example binary runs its example (chapter 7's).
pub use ch07_protocols::{Example, run_example};
