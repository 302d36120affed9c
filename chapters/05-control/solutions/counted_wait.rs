//! Exercise 4: a wait that counts completions (project).
//!
//! aio's `wait` asks every awaitable whether it is done on every wake: O(n)
//! work per completion, and the waker it leaves with each pending task can
//! wake the caller long after the wait returned. [`counted_wait`] does what
//! asyncio's `_wait` does instead: a done-callback on every task records the
//! task's index and wakes the waiter, so each wake looks only at what
//! changed, and when the wait returns it takes its callbacks back.

use aio::{
    DoneAndPending, DoneCallbackId, ReturnWhen, Task, TaskRef, Waitable,
};
use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

// ANCHOR: progress
/// What the done-callbacks tell the waiter.
#[derive(Debug, Default)]
struct Progress {
    /// Indices of the tasks completed since the waiter last looked.
    finished: Vec<usize>,
    /// The waiting task, woken by each completion.
    waiter: Option<Waker>,
}

/// The done-callbacks of one wait, taken back when it ends, however it ends:
/// returned, or dropped with its task.
struct Watching<'a, T: 'static> {
    tasks: &'a [Task<T>],
    callbacks: Vec<Option<DoneCallbackId>>,
    progress: Rc<RefCell<Progress>>,
}

impl<'a, T: 'static> Watching<'a, T> {
    /// Registers a done-callback on every task. A task that is already done
    /// has its callback scheduled at once, so it is counted too.
    fn start(tasks: &'a [Task<T>]) -> Self {
        let progress: Rc<RefCell<Progress>> = Rc::default();
        let callbacks = tasks
            .iter()
            .enumerate()
            .map(|(index, task)| {
                let progress = Rc::clone(&progress);
                task.add_done_callback(move |_: &TaskRef| {
                    let mut progress = progress.borrow_mut();
                    progress.finished.push(index);
                    if let Some(waiter) = progress.waiter.take() {
                        waiter.wake();
                    }
                })
            })
            .collect();
        Watching { tasks, callbacks, progress }
    }
}

impl<T: 'static> Drop for Watching<'_, T> {
    fn drop(&mut self) {
        let registered = self.tasks.iter().zip(&self.callbacks);
        for (task, id) in registered {
            if let Some(id) = id {
                // False for a callback already scheduled: it still runs, but
                // finds no waiter below.
                task.remove_done_callback(*id);
            }
        }
        self.progress.borrow_mut().waiter = None;
    }
}
// ANCHOR_END: progress

// ANCHOR: counted_wait
/// `aio::wait` for tasks, with the same answers: waits until `return_when`
/// holds or `timeout` passes, then splits `tasks` into `(done, pending)`, each
/// in the order given. Cancels nothing. An empty input is an error.
pub async fn counted_wait<T: 'static>(
    tasks: Vec<Task<T>>,
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> Result<DoneAndPending<Task<T>>, aio::Error> {
    if tasks.is_empty() {
        return Err(aio::Error::NothingToWaitFor);
    }
    let total = tasks.len();
    let mut deadline = pin!(timeout.map(aio::sleep));
    let mut done_count = 0;
    let mut any_failed = false;
    {
        let watching = Watching::start(&tasks);
        poll_fn(|cx| {
            let newly_done =
                std::mem::take(&mut watching.progress.borrow_mut().finished);
            for index in newly_done {
                done_count += 1;
                any_failed |= watching.tasks[index].failed();
            }
            let condition_holds = match return_when {
                ReturnWhen::AllCompleted => done_count == total,
                ReturnWhen::FirstCompleted => done_count > 0,
                ReturnWhen::FirstException => done_count == total || any_failed,
            };
            let timed_out = deadline
                .as_mut()
                .as_pin_mut()
                .is_some_and(|sleep| sleep.poll(cx).is_ready());
            if condition_holds || timed_out {
                return Poll::Ready(());
            }
            watching.progress.borrow_mut().waiter = Some(cx.waker().clone());
            Poll::Pending
        })
        .await;
    }
    // As asyncio does, split by `done()`: a task can be final before its
    // callback has run.
    Ok(tasks.into_iter().partition(Task::done))
}
// ANCHOR_END: counted_wait
