//! Exercise 3: `asyncio.run`'s Ctrl-C, on the loop's public API (project).
//! Write [`ctrl_c_run`], which does what `aio::run` does: run `main` on a
//! new loop; the first SIGINT cancels it (its clean-up runs) and a second
//! one ends the process at once; afterwards cancel the other tasks, close
//! the loop, and give SIGINT its default action back. The grader compares
//! it with the chapter's `ctrl_c` example, which uses `aio::run`. See the
//! Exercises section of `book/ch12-signals.md`; grade it with
//! `cargo test -p ch12-signals --test exercises ctrl_c_run`.

use aio::Error;
use std::future::Future;

/// Runs `main` on a new loop (make it with `aio::EventLoop::new()`), as
/// [`aio::run`] does, Ctrl-C included: the first SIGINT cancels `main`,
/// and once the loop is closed this returns [`Error::Interrupted`]. A
/// second SIGINT before then ends the process. If `main` finishes, its
/// value is returned; either way, the tasks still pending are cancelled
/// and the loop is closed, and SIGINT has its default action again.
pub fn ctrl_c_run<F>(main: F) -> Result<F::Output, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    // Your code here: make the loop, spawn `main` as a task, add a SIGINT
    // handler that removes itself and cancels the task, run the loop
    // until the task is done, then remove the handler, cancel what is
    // left, and close the loop. This placeholder never runs `main`.
    Err(Error::NoRunningLoop)
}
