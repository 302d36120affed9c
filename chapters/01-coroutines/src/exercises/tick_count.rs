//! Exercise 3: count the ticks. Write [`count_ticks`]: it runs a future on
//! a loop, like `run_until_complete`, and counts the loop's ticks with a
//! callback that schedules itself again with `call_soon` every time it runs.
//! The book's chapter 1 page (`book/ch01-coroutines.md`, "Exercises") says
//! more; grade it with
//! `cargo test -p ch01-coroutines --test exercises tick_count`.

use std::future::Future;

/// Runs `future` to completion on `event_loop`, as
/// [`run_until_complete`](aio::EventLoop::run_until_complete) does, and
/// returns its output with the number of ticks the loop ran meanwhile.
///
/// The count comes from a callback queued with `call_soon` before the run
/// that adds one and queues itself again: a callback queued during a tick
/// runs in the next one, so it runs exactly once per tick. Once the run is
/// over, the callback must not stay queued: a later run of the same loop
/// would count for nobody.
pub fn count_ticks<F: Future + 'static>(
    event_loop: &aio::EventLoop,
    future: F,
) -> Result<(F::Output, u64), aio::Error> {
    // Your code here: queue the counting callback, run the future, stop the
    // counting, and return the count.
    let output = event_loop.run_until_complete(future)?;
    Ok((output, 0))
}
