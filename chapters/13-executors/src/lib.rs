//! Chapter 13: combining coroutines with threads and processes.
//!
//! [`executor_thread`] and [`executor_process`] are the ports of PyMOTW-3's
//! `asyncio_executor_thread.py` and `asyncio_executor_process.py`: six
//! blocking calls ([`blocking_tasks::blocks`]) handed to a pool of three
//! threads, then of three worker processes, with `aio::run_in_executor`,
//! and their results gathered on the loop. Each log line (on standard
//! error, as PyMOTW logs) names the thread or the process that wrote it.
//! `cargo run -p ch13-executors` runs the thread pool's.
//!
//! [`blocking_freezes`] shows why: a blocking call made in a task stops the
//! whole loop. [`first_cut`] is the smallest way around it, a new thread
//! per call, and no limit on how many.

pub mod blocking_freezes;
pub mod blocking_tasks;
pub mod executor_process;
pub mod executor_thread;
pub mod first_cut;
pub mod logging;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// How an example binary runs its example (chapter 7's).
pub use ch07_protocols::{Example, run_example};
