//! Chapter 1 (coroutines): the event loop, tasks, wakers and timers.
//!
//! Read this chapter's modules in this order. The seam first: what a loop needs from a
//! task and what a task needs from its loop. Then the task itself, its waker, the queues
//! a tick works through, the tick, and the loop that owns them.

pub(crate) mod clock;
pub(crate) mod error;
pub(crate) mod event_loop;
pub(crate) mod logging;
pub(crate) mod loom;
pub(crate) mod owner_thread;
pub(crate) mod ready_queue;
pub(crate) mod remote;
pub(crate) mod run;
pub(crate) mod task;
pub(crate) mod task_cell;
pub(crate) mod timers;
pub(crate) mod waker;
