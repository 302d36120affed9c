//! Exercise 3: results in finishing order (medium).
//!
//! Write [`finishing_order`], an `as_completed` of your own on top of aio's
//! public API: spawn every future at once, and hand out each result, with its
//! argument index, in the order the tasks finish. The book's chapter 5 page
//! (`book/ch05-control.md`, "Exercises") says what the grader checks:
//! `cargo test -p ch05-control --test exercises finishing_order`.

use aio::{Task, TaskError};
use std::future::Future;

/// Results in the order their tasks finish, each with its argument index.
#[derive(Debug)]
pub struct FinishingOrder<T> {
    // Your code here: what the stream needs. The handles, by index? A queue
    // of indices, shared with the tasks' done-callbacks, and a waker?
    tasks: Vec<Option<Task<T>>>,
}

/// Spawns every future now, on the running loop (`aio::spawn`), and returns
/// the stream of their results. Fails if there is no running loop.
pub fn finishing_order<F>(
    futures: impl IntoIterator<Item = F>,
) -> Result<FinishingOrder<F::Output>, aio::Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    // Your code here: spawn each future, and learn when its task is done
    // (`Task::add_done_callback`).
    Ok(FinishingOrder { tasks: Vec::new() })
}

impl<T: 'static> FinishingOrder<T> {
    /// The next task to finish: its index and its outcome. `None` once every
    /// result has been handed out.
    pub async fn next(&mut self) -> Option<(usize, Result<T, TaskError>)> {
        // Your code here: wait (`std::future::poll_fn`) for the next index,
        // then take that task's outcome from its handle.
        None
    }
}
