//! Chapter 1 (coroutines): the event loop, tasks, wakers and timers.
//!
//! The modules are declared in reading order. First the seam: what a loop
//! needs from a task and what a task needs from its loop. Then the task (its
//! pinned future, its waker, its cell and its handle), the queues and the
//! poller a tick works through, the tick, and the loop that owns them. Last
//! the helpers every chapter uses: errors, logging, clocks, the owner-thread
//! cell, the cross-thread queue and the loom shim.

// The seam.
pub(crate) mod seam;

// The task.
pub(crate) mod future_slot;
pub(crate) mod waker;
pub(crate) mod task_cell;
pub(crate) mod task;

// What a tick works through.
pub(crate) mod ready_queue;
pub(crate) mod timers;
pub(crate) mod poller;
pub(crate) mod remote;

// The tick, and the loop.
pub(crate) mod tick;
pub(crate) mod event_loop;
pub(crate) mod spawn;
pub(crate) mod run;

// Helpers.
pub(crate) mod clock;
pub(crate) mod error;
pub(crate) mod logging;
pub(crate) mod loom;
pub(crate) mod owner_thread;
