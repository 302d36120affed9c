//! Chapter 1 (coroutines): `aio::run`, the one-call entry point.
//!
//! `asyncio.run(main())` creates a loop, runs `main` to completion, cancels
//! whatever tasks are still pending and waits for them to unwind, then closes
//! the loop. So does [`run`].

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::event_loop::EventLoop;
use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::task::Task;

// ANCHOR: run
/// Runs `future` on a new loop and returns its output, like `asyncio.run`.
///
/// Afterwards the tasks still pending are cancelled and driven until they are
/// gone, the default executor's threads are joined (chapter 13), and the
/// loop is closed. Fails with [`Error::RunInsideLoop`] if a loop
/// is already running on this thread.
///
/// On the main thread, while SIGINT has its default action, Ctrl-C cancels
/// the main task (chapter 12): its future is dropped, so its `Drop` clean-up
/// runs, and `run` returns [`Error::Interrupted`] once the loop is closed. A
/// second Ctrl-C before then ends the process at once.
///
/// ```
/// use std::time::Duration;
///
/// let greeting = aio::run(async {
///     aio::sleep(Duration::from_millis(1)).await;
///     "hello"
/// });
/// assert_eq!(greeting.unwrap(), "hello");
///
/// // A loop per thread: inside a running loop, await instead.
/// let nested = aio::run(async { aio::run(async {}).unwrap_err() });
/// assert!(matches!(nested.unwrap(), aio::Error::RunInsideLoop));
/// ```
#[track_caller]
pub fn run<F>(future: F) -> Result<F::Output, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    if event_loop::is_any_running() {
        return Err(Error::RunInsideLoop);
    }
    let event_loop = EventLoop::new()?;
    let main_task = event_loop.create_task(future)?;
    let ctrl_c = crate::cancel_on_ctrl_c(&event_loop, cancel_of(&main_task));
    let output = event_loop.run_until_done(&main_task);
    // From here on a Ctrl-C ends the process at once, as asyncio's does.
    let interrupted = ctrl_c.is_some_and(|ctrl_c| ctrl_c.finish());
    let shutdown = event_loop.cancel_all_tasks();
    crate::shutdown_default_executor(&event_loop);
    let closed = event_loop.close();
    if interrupted {
        return Err(Error::Interrupted);
    }
    let output = output?;
    shutdown?;
    closed?;
    Ok(output)
}
// ANCHOR_END: run

/// What cancels the main task: it says whether the task was still running.
fn cancel_of<T>(main_task: &Task<T>) -> Box<dyn Fn() -> bool> {
    let main_task = main_task.runnable();
    Box::new(move || TaskArc::clone(&main_task).request_cancel())
}

// ANCHOR: watching_ctrl_c
/// What `run` asks of chapter 12, through the crate root: Ctrl-C cancels the
/// main task until `finish` is called.
pub(crate) trait WatchingCtrlC {
    /// Stops watching (the handler is removed, so SIGINT's default action is
    /// back), and says whether Ctrl-C cancelled the main task.
    fn finish(self: Box<Self>) -> bool;
}
// ANCHOR_END: watching_ctrl_c
