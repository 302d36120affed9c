//! Chapter 1 (coroutines): `aio::run`, the one-call entry point.
//!
//! `asyncio.run(main())` creates a loop, runs `main` to completion, cancels
//! whatever tasks are still pending and waits for them to unwind, then closes
//! the loop. So does [`run`].

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::event_loop::EventLoop;

// ANCHOR: run
/// Runs `future` on a new loop and returns its output, like `asyncio.run`.
///
/// Afterwards the tasks still pending are cancelled and driven until they are
/// gone, and the loop is closed. Fails with [`Error::RunInsideLoop`] if a loop
/// is already running on this thread.
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
    let output = event_loop.run_until_complete(future);
    let shutdown = event_loop.cancel_all_tasks();
    let closed = event_loop.close();
    let output = output?;
    shutdown?;
    closed?;
    Ok(output)
}
// ANCHOR_END: run
