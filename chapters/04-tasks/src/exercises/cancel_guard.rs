//! Exercise 1: a cancel guard that says when (small).
//!
//! Write [`OnCancel`], a guard that runs its closure when dropped unless it
//! was disarmed, and [`nap`], which holds one across its sleep to record how
//! long it slept before it was cancelled. The book's chapter 4 page
//! (`book/ch04-tasks.md`, "Exercises") says what the grader checks:
//! `cargo test -p ch04-tasks --test exercises cancel_guard`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Runs its closure when dropped, unless [`disarm`](OnCancel::disarm) was
/// called first.
#[derive(Debug)]
pub struct OnCancel<F: FnOnce()> {
    on_cancel: Option<F>,
}

impl<F: FnOnce()> OnCancel<F> {
    /// A guard that will run `on_cancel` when dropped.
    pub fn new(on_cancel: F) -> Self {
        OnCancel { on_cancel: Some(on_cancel) }
    }

    /// Consumes the guard without running its closure.
    pub fn disarm(self) {
        // Your code here: make sure the closure will not run.
    }
}

impl<F: FnOnce()> Drop for OnCancel<F> {
    fn drop(&mut self) {
        // Your code here: run the closure, if it is still armed.
    }
}

/// Sleeps for `delay` (with `aio::sleep`) and returns `"rested"`. If the task
/// is cancelled during the sleep, stores in `slept` how long it had slept, in
/// loop time (`aio::get_running_loop()?.time()`).
pub async fn nap(
    delay: Duration,
    slept: Rc<Cell<Option<Duration>>>,
) -> &'static str {
    // Your code here: note the time, arm a guard, sleep, disarm.
    ""
}
