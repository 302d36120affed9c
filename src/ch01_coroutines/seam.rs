//! Chapter 1 (coroutines): the seam between a task and its loop.
//!
//! Read this file first. A loop and its tasks meet at two traits, and neither
//! side knows the other's type:
//!
//! - [`Runnable`] is what the loop needs from a task: poll it, cancel it, drop
//!   it at close, and ask its state and name, whatever its future's type.
//! - [`Schedule`] is what a task needs from its loop: a way back into the
//!   loop's ready queue (from the loop's thread or any other), a way to say
//!   "I am finished, forget me", and a way to run a done-callback on the
//!   loop's next tick. The loop implements it; a task only holds an
//!   `Arc<dyn Schedule>` in its [`Header`].
//!
//! This is the inversion tokio makes with its `Schedule` trait and async-task
//! with `Runnable`: the task never reaches into the loop's fields or looks the
//! loop up in a thread-local, so it can be tested with a scheduler of its own
//! (the loom models do), and the loop is free to change how it queues work.

use crate::ch01_coroutines::loom::{AtomicBool, TaskArc};
use std::panic::Location;

// ANCHOR: task_state
/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskState {
    /// Not finished; it may be running, ready, or waiting.
    Pending,
    /// `cancel()` was called; the loop drops the future the next time it runs
    /// the task (at its place in the ready queue, so within the same tick or
    /// the next).
    Cancelling,
    /// The future returned, or panicked.
    Finished,
    /// The future was dropped by a cancellation.
    Cancelled,
}

impl TaskState {
    /// Whether the task has reached a final state.
    pub(crate) fn is_final(self) -> bool {
        matches!(self, TaskState::Finished | TaskState::Cancelled)
    }

    /// The word used in `Debug` output.
    pub(crate) fn word(self) -> &'static str {
        match self {
            TaskState::Pending => "pending",
            TaskState::Cancelling => "cancelling",
            TaskState::Finished => "finished",
            TaskState::Cancelled => "cancelled",
        }
    }
}
// ANCHOR_END: task_state

// ANCHOR: runnable
/// What the loop needs from a task, whatever its future type.
pub(crate) trait Runnable: Send + Sync {
    /// The part any thread may touch.
    fn header(&self) -> &Header;
    /// Polls the future once, or carries out a requested cancellation (loop
    /// thread).
    fn run(self: TaskArc<Self>);
    /// Drops the future without polling it again: the loop is closing (loop
    /// thread).
    fn abandon(&self);
    /// Requests cancellation: the loop drops the future when it next runs the
    /// task (the task is queued for that now). Returns false if the task is
    /// already final.
    fn request_cancel(self: TaskArc<Self>) -> bool;
    /// The current state.
    fn state(&self) -> TaskState;
    /// The task's name (`Task-N` unless set).
    fn name(&self) -> String;
    /// Renames the task.
    fn set_name(&self, name: String);
    /// Where the task was spawned.
    fn spawned_at(&self) -> &'static Location<'static>;
    /// Registers a callback to run once the task is final; returns its id.
    /// On a task that is already final, the callback is scheduled on the
    /// loop's next tick instead, and there is no id.
    fn add_done_callback(&self, callback: Box<dyn FnOnce()>) -> Option<u64>;
    /// Unregisters a done-callback. Returns whether it was registered.
    fn remove_done_callback(&self, id: u64) -> bool;
    /// Marks the task as part of the runtime's machinery (see
    /// `spawn_machinery`).
    fn mark_machinery(&self);
    /// Whether the task is part of the runtime's machinery.
    fn is_machinery(&self) -> bool;
    /// The task in a report, as asyncio writes one:
    /// `<Task pending name='Task-2' created at src/main.rs:7:5>`.
    fn describe(&self) -> String {
        format!(
            "<Task {} name='{}' created at {}>",
            self.state().word(),
            self.name(),
            self.spawned_at()
        )
    }
}
// ANCHOR_END: runnable

// ANCHOR: schedule_trait
/// What a task needs from its loop. The loop implements it.
pub(crate) trait Schedule: Send + Sync {
    /// Queues a woken task on the loop's thread. Hands the task back when
    /// called on any other thread, or when the loop is closed.
    fn schedule_local(
        &self,
        task: TaskArc<dyn Runnable>,
    ) -> Result<(), TaskArc<dyn Runnable>>;
    /// Queues a woken task from any thread, waking the loop if it sleeps. A
    /// closed loop drops the task: it can never run again.
    fn schedule_remote(&self, task: TaskArc<dyn Runnable>);
    /// The task is final: the loop forgets it (loop thread).
    fn release(&self, task: &Header);
    /// Runs `callback` on the loop's next tick (loop thread): how a task's
    /// done-callbacks are called.
    fn call_soon(&self, callback: Box<dyn FnOnce()>);
}
// ANCHOR_END: schedule_trait

/// A task's place in its loop's table of unfinished tasks (chapter 1's
/// `task_registry`): given at the spawn, kept for the task's life.
pub(crate) type TaskSlot = usize;

// ANCHOR: header
/// The thread-safe part of a task.
pub(crate) struct Header {
    /// A number that identifies the task for the life of the process.
    pub(crate) id: u64,
    /// Where the task sits in its loop's table of unfinished tasks.
    pub(crate) slot: TaskSlot,
    /// True while the task sits in a ready queue, so that many wakes queue it
    /// once.
    pub(crate) scheduled: AtomicBool,
    /// The way back to the task's loop, from any thread.
    pub(crate) scheduler: TaskArc<dyn Schedule>,
}
// ANCHOR_END: header
