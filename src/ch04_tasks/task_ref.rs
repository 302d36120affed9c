//! Chapter 4 (tasks): looking at tasks: names, states, `current_task` and
//! `all_tasks`.
//!
//! asyncio can hand you any task as a `Task` object. aio's typed [`Task<T>`]
//! handle is unique (it owns the right to the result), so introspection hands
//! out a [`TaskRef`] instead: a shared, untyped view of a task that can name
//! it, show its state, cancel it and register done-callbacks, but not take its
//! result.

use crate::ch01_coroutines::error::TaskError;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::seam::{Runnable, TaskState};
use crate::ch01_coroutines::task::Task;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// An untyped, shareable view of a task (what `asyncio.current_task()`
/// returns).
#[derive(Clone)]
pub struct TaskRef {
    task: TaskArc<dyn Runnable>,
    _loop_thread_only: PhantomData<*const ()>,
}

/// Identifies a done-callback, to remove it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneCallbackId(u64);

// ANCHOR: current_task
/// The task being polled right now, like `asyncio.current_task()`. `None`
/// outside a task (in a plain callback, or with no loop running).
pub fn current_task() -> Option<TaskRef> {
    event_loop::with_running(event_loop::EventLoop::current_task)
        .flatten()
        .map(TaskRef::new)
}

/// Every task of the running loop that has not finished, oldest first, like
/// `asyncio.all_tasks()`. Empty with no loop running.
pub fn all_tasks() -> Vec<TaskRef> {
    let mut tasks: Vec<TaskArc<dyn Runnable>> =
        event_loop::with_running(event_loop::EventLoop::live_tasks)
            .unwrap_or_default();
    tasks.sort_by_key(|task| task.header().id);
    tasks.into_iter().map(TaskRef::new).collect()
}
// ANCHOR_END: current_task

impl TaskRef {
    fn new(task: TaskArc<dyn Runnable>) -> TaskRef {
        TaskRef { task, _loop_thread_only: PhantomData }
    }

    /// The task's name (`Task-N` unless renamed).
    pub fn name(&self) -> String {
        self.task.name()
    }

    /// Renames the task.
    pub fn set_name(&self, name: impl Into<String>) {
        self.task.set_name(name.into());
    }

    /// Requests cancellation; see [`Task::cancel`].
    pub fn cancel(&self) -> bool {
        TaskArc::clone(&self.task).request_cancel()
    }

    /// Whether the task has finished (returned, panicked or was cancelled).
    pub fn done(&self) -> bool {
        self.task.state().is_final()
    }

    /// Whether the task ended by cancellation.
    pub fn cancelled(&self) -> bool {
        self.task.state() == TaskState::Cancelled
    }

    /// Whether cancellation was requested and not yet carried out.
    pub fn cancelling(&self) -> bool {
        self.task.state() == TaskState::Cancelling
    }

    /// Whether `self` and `other` are views of the same task.
    pub fn same_task(&self, other: &TaskRef) -> bool {
        self.task.header().id == other.task.header().id
    }
}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name())
            .field("state", &format_args!("{}", self.task.state().word()))
            .finish()
    }
}

// ANCHOR: done_callbacks
impl<T: 'static> Task<T> {
    /// An untyped view of this task, to share or to compare with
    /// [`current_task`].
    pub fn as_task_ref(&self) -> TaskRef {
        TaskRef::new(self.runnable())
    }

    /// Schedules `callback` with `call_soon` once the task is final, after the
    /// callbacks registered before it (asyncio's `add_done_callback`). If the
    /// task is already final, the callback is scheduled at once.
    pub fn add_done_callback(
        &self,
        callback: impl FnOnce(&TaskRef) + 'static,
    ) -> Option<DoneCallbackId> {
        let task = self.as_task_ref();
        self.runnable()
            .add_done_callback(Box::new(move || callback(&task)))
            .map(DoneCallbackId)
    }

    /// Unregisters a done-callback that has not been scheduled yet. Returns
    /// whether it was registered.
    pub fn remove_done_callback(&self, id: DoneCallbackId) -> bool {
        self.runnable().remove_done_callback(id.0)
    }
}
// ANCHOR_END: done_callbacks

impl<T: Clone + 'static> Task<T> {
    /// The outcome, if the task is final (asyncio's `task.result()`), cloned so
    /// that the task keeps it. `None` while the task is pending.
    pub fn result(&self) -> Option<Result<T, TaskError>> {
        if !self.done() {
            return None;
        }
        let mut outcome = None;
        self.target().retrieve_result(&mut |result| outcome = result.cloned());
        outcome
    }
}

// ANCHOR: watch
/// Awaiting `&task` leaves the result in the task, like awaiting an asyncio
/// task, which can be awaited again and still show its result. It needs `T:
/// Clone`.
impl<'a, T: Clone + 'static> IntoFuture for &'a Task<T> {
    type Output = Result<T, TaskError>;
    type IntoFuture = Watch<'a, T>;

    fn into_future(self) -> Watch<'a, T> {
        Watch { task: self }
    }
}

/// The future of `(&task).await`: completes with a clone of the task's outcome.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Watch<'a, T> {
    task: &'a Task<T>,
}

impl<T: Clone + 'static> Future for Watch<'_, T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.task.target().poll_final(cx).is_pending() {
            return Poll::Pending;
        }
        // A final task with no stored result had it moved out by a by-value
        // await.
        Poll::Ready(self.task.result().unwrap_or(Err(TaskError::ResultTaken)))
    }
}
// ANCHOR_END: watch
