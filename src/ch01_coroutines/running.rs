//! Chapter 1 (coroutines): the running loop of this thread.
//!
//! asyncio finds the running loop through a thread-local
//! (`asyncio.get_running_loop()`), and so does aio. The loop puts itself here
//! for the length of `run_forever` and takes itself out afterwards. Wakers use
//! it for their fast path, tasks use it to report that they finished, and
//! `spawn` and `sleep` use it to find their loop.

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop::EventLoop;
use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::ready_queue::{CallbackCell, Ready};
use crate::ch01_coroutines::task_cell::Runnable;
use std::cell::{Cell, RefCell};

thread_local! {
    static RUNNING: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
    static CURRENT_TASK: Cell<Option<u64>> = const { Cell::new(None) };
}

// ANCHOR: get_running_loop
/// The loop running on this thread, like `asyncio.get_running_loop()`.
///
/// Fails with [`Error::NoRunningLoop`] outside a task or callback.
pub fn get_running_loop() -> Result<EventLoop, Error> {
    with_running(EventLoop::clone).ok_or(Error::NoRunningLoop)
}
// ANCHOR_END: get_running_loop

/// Calls `action` with the running loop, if there is one.
pub(crate) fn with_running<R>(
    action: impl FnOnce(&EventLoop) -> R,
) -> Option<R> {
    RUNNING
        .try_with(|running| running.borrow().as_ref().map(action))
        .ok()
        .flatten()
}

/// Whether a loop is running on this thread.
pub(crate) fn is_any_running() -> bool {
    with_running(|_| ()).is_some()
}

/// Marks `event_loop` as this thread's running loop until the guard is dropped.
pub(crate) fn enter_loop(event_loop: &EventLoop) -> RunningGuard {
    RUNNING.with(|running| *running.borrow_mut() = Some(event_loop.clone()));
    RunningGuard(())
}

/// Clears the running loop when dropped.
pub(crate) struct RunningGuard(());

impl Drop for RunningGuard {
    fn drop(&mut self) {
        let previous = RUNNING
            .try_with(|running| running.borrow_mut().take())
            .ok()
            .flatten();
        drop(previous);
    }
}

/// Pushes a woken task onto the ready queue of loop `loop_id`, if that loop is
/// the one running on this thread. Otherwise hands the task back.
pub(crate) fn push_ready_if_running(
    loop_id: u64,
    task: TaskArc<dyn Runnable>,
) -> Result<(), TaskArc<dyn Runnable>> {
    let mut task = Some(task);
    let _ = RUNNING.try_with(|running| {
        if let Some(event_loop) = running.borrow().as_ref()
            && event_loop.id() == loop_id
            && let Some(task) = task.take()
        {
            event_loop.inner().ready.push(Ready::Task(task));
        }
    });
    match task {
        None => Ok(()),
        Some(task) => Err(task),
    }
}

/// Removes a finished task from the running loop's registry.
pub(crate) fn forget_task(task_id: u64) {
    let removed = with_running(|event_loop| {
        event_loop.inner().tasks.borrow_mut().remove(&task_id)
    })
    .flatten();
    drop(removed);
}

/// Schedules an internal callback on the running loop (done-callbacks). With no
/// loop running, the loop is closing and the callback is dropped.
pub(crate) fn call_soon_internal(callback: Box<dyn FnOnce()>) {
    with_running(|event_loop| {
        event_loop
            .inner()
            .ready
            .push(Ready::Callback(CallbackCell::new_shared(callback)))
    });
}

/// Records which task is being polled until the guard is dropped.
pub(crate) fn enter_task(task_id: u64) -> CurrentTaskGuard {
    let previous = CURRENT_TASK.with(|current| current.replace(Some(task_id)));
    CurrentTaskGuard { previous }
}

/// Restores the previous current task when dropped.
pub(crate) struct CurrentTaskGuard {
    previous: Option<u64>,
}

impl Drop for CurrentTaskGuard {
    fn drop(&mut self) {
        let _ = CURRENT_TASK.try_with(|current| current.set(self.previous));
    }
}

/// The id of the task being polled on this thread, if any.
pub(crate) fn current_task_id() -> Option<u64> {
    CURRENT_TASK.try_with(Cell::get).ok().flatten()
}
