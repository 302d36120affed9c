//! Chapter 5 (control structures): `as_completed`, results in completion order.
//!
//! `asyncio.as_completed(aws, timeout=None)` hands back results one by one, in
//! the order the awaitables finish. It learns that order from done-callbacks,
//! which the loop runs in completion order, so equal finishing times come out
//! first-finished, first-served. aio's [`AsCompleted`] works the same way, is a
//! `futures_core::Stream`, and also has an inherent [`next`](AsCompleted::next)
//! for a plain `while let` loop.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::error::{Error, TaskError};
use crate::ch01_coroutines::spawn::spawn_at;
use crate::ch01_coroutines::task::Task;
use crate::ch05_control::deadline::{Deadline, DeadlineTimer};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::panic::Location;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// The order in which children finished, filled by their done-callbacks.
#[derive(Debug, Default)]
struct Finished {
    order: VecDeque<usize>,
    consumer: Option<Waker>,
}

// ANCHOR: as_completed
/// Results in the order their tasks finish (`asyncio.as_completed`).
#[derive(Debug)]
#[must_use = "the results are lost unless you take them with `.next().await`"]
pub struct AsCompleted<T> {
    tasks: Vec<Option<Task<T>>>,
    finished: Rc<RefCell<Finished>>,
    remaining: usize,
    deadline: Deadline,
    timer: DeadlineTimer,
    spawn_error: Option<Error>,
    /// Where it was made, for chapter 14's task tree.
    created_at: &'static Location<'static>,
}

/// Spawns `futures` as tasks and yields their results as they finish. With a
/// `timeout`, the stream yields `Err(Error::TimedOut)` once it passes, then
/// ends; the unfinished tasks keep running (they are detached), as in asyncio.
#[track_caller]
pub fn as_completed<F>(
    futures: impl IntoIterator<Item = F>,
    timeout: Option<Duration>,
) -> AsCompleted<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let origin = Location::caller();
    let finished: Rc<RefCell<Finished>> = Rc::default();
    let mut tasks = Vec::new();
    let mut spawn_error = None;
    for (index, future) in futures.into_iter().enumerate() {
        match spawn_at(future, origin) {
            Ok(task) => {
                let record = Rc::clone(&finished);
                task.add_done_callback(move |_| {
                    let mut finished = record.borrow_mut();
                    finished.order.push_back(index);
                    if let Some(waker) = finished.consumer.take() {
                        waker.wake();
                    }
                });
                tasks.push(Some(task));
            }
            Err(error) => spawn_error = Some(error),
        }
    }
    let remaining = tasks.len();
    AsCompleted {
        tasks,
        finished,
        remaining,
        deadline: Deadline::after(timeout),
        timer: DeadlineTimer::default(),
        spawn_error,
        created_at: origin,
    }
}

impl<T: 'static> AsCompleted<T> {
    /// The next result to finish, or `None` when all have been handed out.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        poll_fn(|cx| self.poll_next_result(cx)).await
    }

    fn poll_next_result(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<T, Error>>> {
        if let Some(error) = self.spawn_error.take() {
            self.give_up();
            return Poll::Ready(Some(Err(error)));
        }
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let next = self.finished.borrow_mut().order.pop_front();
        if let Some(index) = next
            && let Some(mut task) = self.tasks[index].take()
        {
            self.remaining -= 1;
            return match Pin::new(&mut task).poll(cx) {
                Poll::Ready(outcome) => {
                    Poll::Ready(Some(outcome.map_err(Error::Task)))
                }
                // A done-callback only runs for a final task, so this cannot
                // happen.
                Poll::Pending => {
                    Poll::Ready(Some(Err(Error::Task(TaskError::ResultTaken))))
                }
            };
        }
        // The timeout counts from the first time the stream has to wait.
        self.deadline = self.deadline.start();
        if self.timer.poll(self.deadline, cx).is_ready() {
            self.give_up();
            return Poll::Ready(Some(Err(Error::TimedOut)));
        }
        self.finished.borrow_mut().consumer = Some(cx.waker().clone());
        awaiting::note(|| WaitingOn::Group {
            kind: "as_completed",
            created_at: self.created_at,
            members: self.tasks.iter().flatten().map(task_waited_on).collect(),
        });
        Poll::Pending
    }

    /// Ends the stream; the unfinished tasks run on, detached.
    fn give_up(&mut self) {
        self.remaining = 0;
        self.tasks.clear();
    }
}
// ANCHOR_END: as_completed

/// A task the stream waits on, for the task tree.
fn task_waited_on<T>(task: &Task<T>) -> WaitingOn {
    WaitingOn::Task(task.target().header().id)
}

impl<T: 'static> futures_core::Stream for AsCompleted<T> {
    type Item = Result<T, Error>;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_result(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining + usize::from(self.spawn_error.is_some())))
    }
}

// `AsCompleted` holds no pinned data: tasks are handles and the timer is
// re-pinned per poll.
impl<T> Unpin for AsCompleted<T> {}
