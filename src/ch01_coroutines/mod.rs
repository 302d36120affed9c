//! Chapter 1 (coroutines): the event loop, tasks, wakers and timers.
//!
//! The modules are declared in reading order, each after the modules it uses
//! (`tests/architecture.rs` checks it). First the helpers every module uses:
//! errors, logging, the loom shim, clocks, the owner-thread cell, and the
//! notes futures leave of what they wait on (read by chapter 14). The story
//! starts with the seam, what a loop needs from a task and what a task needs
//! from its loop; then the loop's door for other threads, the task (its pinned
//! future, its waker, its cell and its handle), the queues and the poller a
//! tick works through, the tick, and the loop that owns them.

// Helpers every module uses.
pub(crate) mod error;
pub(crate) mod logging;
pub(crate) mod loom;
pub(crate) mod clock;
pub(crate) mod owner_thread;
pub(crate) mod awaiting;

// The story starts here: the seam between a task and its loop.
pub(crate) mod seam;
pub(crate) mod remote;
pub(crate) mod future_slot;
pub(crate) mod waker;
pub(crate) mod task_cell;
pub(crate) mod task_registry;
pub(crate) mod task;
pub(crate) mod ready_queue;
pub(crate) mod timers;
pub mod trace;
pub(crate) mod poller;
pub(crate) mod tick;
pub(crate) mod loop_locals;
pub(crate) mod event_loop;
pub(crate) mod spawn;
pub(crate) mod run;
