//! Chapter 13 (executors): each loop's default executor, `to_thread`, and
//! its shutdown.
//!
//! asyncio gives every loop a `ThreadPoolExecutor` of its own, made on first
//! use: `run_in_executor(None, ...)`, `asyncio.to_thread` and the loop's
//! `getaddrinfo` all run there. aio keeps it as a loop-local (chapter 1),
//! made by the first job. `aio::run` shuts it down after cancelling the
//! tasks and before closing the loop (asyncio 3.9's
//! `shutdown_default_executor`): its threads are joined on a thread of
//! their own, so the loop goes on meanwhile. A loop closed without that
//! drops the executor, which shuts it down without waiting.

use crate::ch01_coroutines::event_loop::{EventLoop, with_running};
use crate::ch01_coroutines::logging;
use crate::ch05_control::timeouts::wait_for;
use crate::ch10_dns::worker::run_in_thread;
use crate::ch13_executors::concurrent_future::ConcurrentFuture;
use crate::ch13_executors::executor::{Executor, run_in_executor};
use crate::ch13_executors::executor_error::ExecutorError;
use crate::ch13_executors::thread_pool::ThreadPoolExecutor;
use std::cell::RefCell;
use std::time::Duration;

/// How long `aio::run` waits for the default executor's threads, as
/// asyncio 3.12 does; then it warns and goes on.
pub(crate) const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(300);

/// A loop's default executor (a loop-local).
#[derive(Default)]
struct DefaultSlot {
    executor: RefCell<Option<ThreadPoolExecutor>>,
    /// `shutdown_default_executor` ran: no more jobs.
    shut_down: std::cell::Cell<bool>,
}

fn slot(event_loop: &EventLoop) -> std::rc::Rc<DefaultSlot> {
    if let Some(slot) = event_loop.local::<DefaultSlot>() {
        return slot;
    }
    event_loop.set_local(DefaultSlot::default());
    event_loop.local::<DefaultSlot>().expect("just set")
}

// ANCHOR: default_executor
/// The running loop's default executor, as an [`Executor`]: Python's `None`
/// in `run_in_executor(None, job)`. It is a [`ThreadPoolExecutor`] with
/// Python's default size and threads named `aio_0`, `aio_1`, ..., made by
/// the loop's first job, unless
/// [`EventLoop::set_default_executor`] chose another.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultExecutor;

impl<F, T> Executor<F> for DefaultExecutor
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    type Output = T;

    fn submit_job(&self, job: F) -> Result<ConcurrentFuture<T>, ExecutorError> {
        let executor =
            with_running(default_of).ok_or(ExecutorError::NoRunningLoop)??;
        executor.submit(job)
    }
}

/// The loop's default executor, made now if it has none.
fn default_of(
    event_loop: &EventLoop,
) -> Result<ThreadPoolExecutor, ExecutorError> {
    let slot = slot(event_loop);
    if slot.shut_down.get() {
        return Err(ExecutorError::Shutdown);
    }
    let mut executor = slot.executor.borrow_mut();
    if executor.is_none() {
        // Named as asyncio names its default executor's threads
        // (`asyncio_0`, ...).
        let pool = ThreadPoolExecutor::builder().thread_name_prefix("aio");
        *executor = Some(pool.build()?);
    }
    Ok(executor.clone().expect("just made"))
}
// ANCHOR_END: default_executor

// ANCHOR: to_thread
/// Runs `job` on the running loop's default executor and awaits its value
/// (`asyncio.to_thread`). Unlike [`run_in_executor`], nothing is submitted
/// until the future is first polled.
pub async fn to_thread<T, F>(job: F) -> Result<T, ExecutorError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    run_in_executor(&DefaultExecutor, job).await
}
// ANCHOR_END: to_thread

impl EventLoop {
    /// Makes `executor` this loop's default executor (asyncio's
    /// `loop.set_default_executor`). The one it replaces is shut down
    /// without waiting: its queued jobs still run.
    pub fn set_default_executor(&self, executor: ThreadPoolExecutor) {
        let slot = slot(self);
        let replaced = slot.executor.borrow_mut().replace(executor);
        drop(replaced);
    }

    // ANCHOR: shutdown_default_executor
    /// Shuts the default executor down and waits, for at most `timeout`,
    /// until its threads have exited (asyncio's
    /// `loop.shutdown_default_executor`). The joining happens on a thread
    /// of its own, so the loop runs meanwhile. Jobs submitted to the default
    /// executor afterwards fail with [`ExecutorError::Shutdown`].
    pub async fn shutdown_default_executor(
        &self,
        timeout: Option<Duration>,
    ) -> Result<(), ExecutorError> {
        let slot = slot(self);
        slot.shut_down.set(true);
        let Some(executor) = slot.executor.borrow_mut().take() else {
            return Ok(());
        };
        let joined = run_in_thread("aio-executor-shutdown", move || {
            executor.shutdown(true, false)
        })
        .map_err(ExecutorError::Spawn)?;
        let timed_out = match timeout {
            Some(timeout) => wait_for(joined, timeout).await.is_err(),
            None => {
                let _ = joined.await;
                false
            }
        };
        if timed_out {
            logging::warn!(
                "aio.executor",
                "the default executor's threads did not exit within {:?}; \
                 a job still running keeps its thread",
                timeout.unwrap_or_default()
            );
            return Err(ExecutorError::TimedOut);
        }
        Ok(())
    }
    // ANCHOR_END: shutdown_default_executor
}

/// What `aio::run` does before closing its loop (through the crate root):
/// shut the default executor down, if the loop ever made one.
pub(crate) fn shut_down_before_close(event_loop: &EventLoop) {
    let made = event_loop
        .local::<DefaultSlot>()
        .is_some_and(|slot| slot.executor.borrow().is_some());
    if made {
        let shutting = event_loop.clone();
        let shutdown = event_loop.create_task(async move {
            shutting.shutdown_default_executor(Some(SHUTDOWN_TIMEOUT)).await
        });
        let shutdown = shutdown.and_then(|task| {
            task.set_name("executor shutdown");
            event_loop.run_until_done(&task)
        });
        if let Err(error) = shutdown
            .map_err(|e| e.to_string())
            .and_then(|shutdown| shutdown.map_err(|e| e.to_string()))
        {
            logging::warn!(
                "aio.executor",
                "could not shut the default executor down: {error}"
            );
        }
    }
}
