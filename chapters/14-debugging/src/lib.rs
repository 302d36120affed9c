//! Chapter 14: debugging with asyncio.
//!
//! [`debug`] is the port of PyMOTW-3's `asyncio_debug.py`: a task `outer`
//! awaits a task `inner`, which blocks the loop's thread for 0.1 s. Run
//! plainly, nothing looks wrong. With `-v`, debug mode is on with a 1 ms
//! slow-step threshold, and the loop's warning names the task that held
//! the thread, where it was created, and for how long. Its log lines, the
//! example's and the runtime's, go to standard error in PyMOTW's format
//! ([`log`]). `cargo run -p ch14-debugging` runs it.
//!
//! [`task_tree`] is not in PyMOTW: it prints the loop's tasks as a tree,
//! who awaits whom and what each waits on, while a task gathers three
//! sleeps. `aio_ps PID` (`src/bin/aio_ps.rs`) prints the same tree for
//! another aio program running with debug mode on, as Python 3.14's
//! `python -m asyncio pstree PID` does; `tree_target` is the live program
//! its test reads.
//!
//! [`first_cut`] times every poll of two futures by wrapping them: the
//! smallest thing that finds the slow step, and why the loop should do it.

pub mod debug;
pub mod first_cut;
pub mod log;
pub mod task_tree;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// How an example binary runs its example (chapter 7's).
pub use ch07_protocols::{Example, run_example};
