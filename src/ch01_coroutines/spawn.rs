//! Chapter 1 (coroutines): spawning a task on the running loop.
//!
//! [`spawn`] is asyncio's `create_task`: the future starts running on a later
//! tick, and the returned [`Task`] can be awaited for its output.

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::task::Task;
use std::future::Future;
use std::panic::Location;

// ANCHOR: spawn
/// Spawns `future` on the running loop (`asyncio.create_task`).
///
/// The task first runs on a later tick, never inside this call. Fails with
/// [`Error::NoRunningLoop`] outside a loop.
///
/// ```
/// let doubled = aio::run(async {
///     let task = aio::spawn(async { 21 * 2 }).expect("inside a loop");
///     task.await.expect("the task returned")
/// });
/// assert_eq!(doubled.unwrap(), 42);
/// ```
#[track_caller]
pub fn spawn<F>(future: F) -> Result<Task<F::Output>, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn_at(future, Location::caller())
}

/// Spawns `future` on the running loop, recording `spawned_at` as its origin.
/// For functions that spawn on their caller's behalf (`gather`,
/// `as_completed`).
pub(crate) fn spawn_at<F>(
    future: F,
    spawned_at: &'static Location<'static>,
) -> Result<Task<F::Output>, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    event_loop::get_running_loop()?.spawn_at(future, spawned_at)
}
// ANCHOR_END: spawn

/// Spawns a task of the runtime's own machinery (a transport's driver, a
/// server's accept loop). It is a task like any other, but it belongs to an
/// object that has its own report if it is leaked, so the loop does not
/// report it as destroyed while pending.
#[track_caller]
pub(crate) fn spawn_machinery<F>(future: F) -> Result<Task<F::Output>, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let task = spawn_at(future, Location::caller())?;
    task.runnable().mark_machinery();
    Ok(task)
}
