//! Exercise 3: a task group (project).
//!
//! asyncio's `TaskGroup` (Python 3.11) is structured concurrency: leaving its
//! `async with` block waits for every task created in it, and the first
//! failure cancels the rest. [`TaskGroup`] does the same with aio's tasks:
//! [`spawn`](TaskGroup::spawn) adds a child, [`join`](TaskGroup::join) waits
//! for all of them, and no child outlives the group. Awaiting a handle moves
//! the child's outcome out, so the group keeps each handle until then and the
//! value after.

use aio::{Task, TaskError, TaskRef};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: group
/// Tasks that finish together: [`join`](TaskGroup::join) gives every value in
/// spawn order, or the first failure, after which no child is left running.
#[derive(Debug)]
#[must_use = "dropping a TaskGroup cancels its tasks; `.join()` it"]
pub struct TaskGroup<T> {
    /// Each child's handle, until its outcome is in.
    running: Vec<Option<Task<T>>>,
    /// Each child's value, once it returned.
    values: Vec<Option<T>>,
    /// The first child to end without a value, in finishing order.
    failure: Option<TaskError>,
}

impl<T: 'static> TaskGroup<T> {
    /// An empty group.
    pub fn new() -> Self {
        TaskGroup { running: Vec::new(), values: Vec::new(), failure: None }
    }

    /// Spawns `future` as a child of the group on the running loop. The
    /// [`TaskRef`] lets you name, watch or cancel the child; the group keeps
    /// the handle that owns its value.
    pub fn spawn<F>(&mut self, future: F) -> Result<TaskRef, aio::Error>
    where
        F: Future<Output = T> + 'static,
    {
        let task = aio::spawn(future)?;
        let task_ref = task.as_task_ref();
        self.running.push(Some(task));
        self.values.push(None);
        Ok(task_ref)
    }
}
// ANCHOR_END: group

impl<T: 'static> Default for TaskGroup<T> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

// ANCHOR: join
impl<T: 'static> TaskGroup<T> {
    /// Waits for every child. If one panics or is cancelled by someone else,
    /// cancels the others and waits until they are gone too, then returns
    /// that first failure; otherwise returns the values in spawn order.
    pub async fn join(mut self) -> Result<Vec<T>, TaskError> {
        poll_fn(|cx| self.poll_children(cx)).await;
        match self.failure.take() {
            Some(failure) => Err(failure),
            // No failure: every child returned a value.
            None => Ok(std::mem::take(&mut self.values)
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    /// Collects the outcomes that are in, cancels the rest after a failure,
    /// and is ready when no child is running any more.
    fn poll_children(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let slots = self.running.iter_mut().zip(self.values.iter_mut());
        for (slot, value) in slots {
            let Some(task) = slot else { continue };
            let Poll::Ready(outcome) = Pin::new(task).poll(cx) else {
                continue;
            };
            *slot = None;
            match outcome {
                Ok(returned) => *value = Some(returned),
                Err(error) => {
                    self.failure.get_or_insert(error);
                }
            }
        }
        if self.failure.is_some() {
            // A cancel request to a task already cancelling changes nothing,
            // so asking again on every poll is harmless.
            self.cancel_running();
        }
        if self.running.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            // The handles polled above wake us when their tasks end,
            // cancelled ones included: `cancel()` only requests, and the
            // group must wait for the loop to drop them.
            Poll::Pending
        }
    }

    fn cancel_running(&self) {
        for task in self.running.iter().flatten() {
            task.cancel();
        }
    }
}

/// A group dropped before `join` finished (never joined, or its joining task
/// was cancelled) cancels the children still running, so none outlives it.
impl<T> Drop for TaskGroup<T> {
    fn drop(&mut self) {
        for task in self.running.iter().flatten() {
            task.cancel();
        }
    }
}
// ANCHOR_END: join
