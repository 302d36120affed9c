//! Exercise 3: a task group (project).
//!
//! asyncio's `TaskGroup` (Python 3.11) waits for every task created in it, and
//! the first failure cancels the rest. Write [`TaskGroup`] for aio:
//! [`spawn`](TaskGroup::spawn) adds a child, [`join`](TaskGroup::join) waits
//! for all of them, and no child outlives the group. The book's chapter 4
//! page (`book/ch04-tasks.md`, "Exercises") says what the grader checks:
//! `cargo test -p ch04-tasks --test exercises task_group`.

use aio::{Task, TaskError, TaskRef};
use std::future::Future;

/// Tasks that finish together: [`join`](TaskGroup::join) gives every value in
/// spawn order, or the first failure, after which no child is left running.
#[derive(Debug)]
pub struct TaskGroup<T> {
    // Your code here: whatever the group needs to remember. The handles?
    // The values of the children that already returned? The first failure?
    tasks: Vec<Task<T>>,
}

impl<T: 'static> TaskGroup<T> {
    /// An empty group.
    pub fn new() -> Self {
        TaskGroup { tasks: Vec::new() }
    }

    /// Spawns `future` as a child of the group on the running loop
    /// (`aio::spawn`), and returns a [`TaskRef`] to it (`as_task_ref`).
    pub fn spawn<F>(&mut self, future: F) -> Result<TaskRef, aio::Error>
    where
        F: Future<Output = T> + 'static,
    {
        // Your code here: keep the handle. This one is dropped at the end of
        // the call, which detaches the task: the group loses it.
        let task = aio::spawn(future)?;
        Ok(task.as_task_ref())
    }

    /// Waits for every child. If one panics or is cancelled by someone else,
    /// cancels the others and waits until they are gone too, then returns
    /// that first failure (in finishing order); otherwise returns the values
    /// in spawn order.
    pub async fn join(self) -> Result<Vec<T>, TaskError> {
        // Your code here.
        Ok(Vec::new())
    }
}

impl<T: 'static> Default for TaskGroup<T> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

/// A group dropped before `join` finished (never joined, or its joining task
/// was cancelled) must cancel the children still running.
impl<T> Drop for TaskGroup<T> {
    fn drop(&mut self) {
        // Your code here.
    }
}
