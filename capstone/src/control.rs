//! Chapter 5's combinators, written once for any [`Runtime`]: `gather` and
//! `wait`. They are the book's code, not the reader's, and they use nothing
//! but the trait: if a runtime's tasks, wakers and timers follow the rules,
//! these work on it unchanged.

use crate::Runtime;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

// ANCHOR: gather
/// Runs `futures` as tasks, spawned now in argument order, and ends when all
/// have finished, with their outputs in argument order whatever the order
/// they finished in (`asyncio.gather`).
pub fn gather<R, F>(
    futures: impl IntoIterator<Item = F>,
) -> impl Future<Output = Vec<F::Output>> + 'static
where
    R: Runtime,
    F: Future<Output: 'static> + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(R::spawn).collect();
    async move {
        let mut outputs = Vec::with_capacity(handles.len());
        for handle in handles {
            outputs.push(handle.await);
        }
        outputs
    }
}
// ANCHOR_END: gather

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as one task has finished.
    FirstCompleted,
    /// Once every task has finished.
    AllCompleted,
}

/// A task that [`wait`] watches: still running, or finished with its output.
enum Watched<H, T> {
    Running(H),
    Finished(T),
}

// ANCHOR: wait
/// Waits for the tasks behind `handles` until `return_when` is met or
/// `timeout` has passed (`asyncio.wait`). Returns the outputs of the tasks
/// that finished, in argument order, and the handles of those still
/// running, which can be awaited later.
pub async fn wait<R: Runtime, T: 'static>(
    handles: Vec<R::JoinHandle<T>>,
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> (Vec<T>, Vec<R::JoinHandle<T>>) {
    let mut watched: Vec<_> =
        handles.into_iter().map(Watched::Running).collect();
    let mut timer = timeout.map(|delay| Box::pin(R::sleep(delay)));
    poll_fn(|cx| {
        // Every poll asks every running task; each remembers our waker.
        for task in &mut watched {
            if let Watched::Running(handle) = task
                && let Poll::Ready(output) = Pin::new(handle).poll(cx)
            {
                *task = Watched::Finished(output);
            }
        }
        let finished = watched
            .iter()
            .filter(|task| matches!(task, Watched::Finished(_)))
            .count();
        let enough = finished == watched.len()
            || (return_when == ReturnWhen::FirstCompleted && finished > 0);
        let mut timed_out = || {
            timer
                .as_mut()
                .is_some_and(|timer| timer.as_mut().poll(cx).is_ready())
        };
        if enough || timed_out() { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    let (mut outputs, mut running) = (Vec::new(), Vec::new());
    for task in watched {
        match task {
            Watched::Finished(output) => outputs.push(output),
            Watched::Running(handle) => running.push(handle),
        }
    }
    (outputs, running)
}
// ANCHOR_END: wait
