//! Exercise 3: results in finishing order (medium).
//!
//! [`finishing_order`] is `as_completed` written on top of aio's public API:
//! it spawns every future at once, and gives each task a done-callback that
//! records the task's index. The loop schedules done-callbacks in the order
//! tasks complete, so the record is the finishing order, ties included, which
//! polling the handles one after another could not tell.

use aio::{Task, TaskError};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: finished
/// What the done-callbacks share with the consumer.
#[derive(Debug, Default)]
struct Finished {
    /// Indices of the tasks that completed, in the order they did.
    order: VecDeque<usize>,
    /// The task waiting in `next`, woken by the next completion.
    consumer: Option<Waker>,
}

/// Results in the order their tasks finish, each with its argument index.
#[derive(Debug)]
#[must_use = "the results are lost unless you take them with `.next().await`"]
pub struct FinishingOrder<T> {
    /// The handles, by argument index, until their result is handed out.
    tasks: Vec<Option<Task<T>>>,
    finished: Rc<RefCell<Finished>>,
    /// How many results are still to be handed out.
    remaining: usize,
}

/// Spawns every future now, on the running loop, and returns the stream of
/// their results. Fails if there is no running loop.
pub fn finishing_order<F>(
    futures: impl IntoIterator<Item = F>,
) -> Result<FinishingOrder<F::Output>, aio::Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let finished: Rc<RefCell<Finished>> = Rc::default();
    let mut tasks = Vec::new();
    for (index, future) in futures.into_iter().enumerate() {
        let task = aio::spawn(future)?;
        let record = Rc::clone(&finished);
        task.add_done_callback(move |_| {
            let mut finished = record.borrow_mut();
            finished.order.push_back(index);
            if let Some(consumer) = finished.consumer.take() {
                consumer.wake();
            }
        });
        tasks.push(Some(task));
    }
    let remaining = tasks.len();
    Ok(FinishingOrder { tasks, finished, remaining })
}
// ANCHOR_END: finished

// ANCHOR: next
impl<T: 'static> FinishingOrder<T> {
    /// The next task to finish: its index and its outcome. `None` once every
    /// result has been handed out.
    pub async fn next(&mut self) -> Option<(usize, Result<T, TaskError>)> {
        poll_fn(|cx| self.poll_next_result(cx)).await
    }

    fn poll_next_result(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<(usize, Result<T, TaskError>)>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let next = self.finished.borrow_mut().order.pop_front();
        let Some(index) = next else {
            self.finished.borrow_mut().consumer = Some(cx.waker().clone());
            return Poll::Pending;
        };
        self.remaining -= 1;
        // The callback ran, so the task is final and its handle is ready at
        // once. Each task completes once, so its index comes once.
        let outcome = match self.tasks[index].take() {
            Some(mut task) => match Pin::new(&mut task).poll(cx) {
                Poll::Ready(outcome) => outcome,
                Poll::Pending => Err(TaskError::ResultTaken),
            },
            None => Err(TaskError::ResultTaken),
        };
        Poll::Ready(Some((index, outcome)))
    }
}
// ANCHOR_END: next
