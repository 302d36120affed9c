//! Exercise 4: a debug report. Write [`debug_report`]: it runs a program
//! in debug mode, listens to the runtime's log while it runs and while its
//! loop closes, and turns the reports of slow steps and of tasks destroyed
//! while pending into values a test can check. The book's chapter 14 page
//! (`book/ch14-debugging.md`, "Exercises") says more; grade it with
//! `cargo test -p ch14-debugging --test exercises debug_report`.

use std::future::Future;
use std::time::Duration;

/// One `Executing ... took N seconds` warning.
#[derive(Debug, Clone, PartialEq)]
pub struct SlowStep {
    /// What ran: `<Task finished name='inner' created at ...>` for a task,
    /// `<Handle name>` for a callback, as the warning writes it.
    pub step: String,
    /// How long it took, in seconds, as the warning writes it.
    pub seconds: f64,
}

/// One `Task was destroyed but it is pending!` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakedTask {
    /// The task's name.
    pub name: String,
    /// Where it was spawned: `file:line:column`.
    pub created_at: String,
    /// What it was waiting on, as the report says it (`timer due at
    /// 5.000 s`), if the report says.
    pub waiting_on: Option<String>,
}

/// What [`debug_report`] found.
#[derive(Debug)]
pub struct DebugReport<T> {
    /// What running the program gave, as `run_until_complete` returns it.
    pub output: Result<T, aio::Error>,
    /// Every slow step, in the order they were reported.
    pub slow_steps: Vec<SlowStep>,
    /// Every task the loop destroyed while it was pending, in report order.
    pub leaked: Vec<LeakedTask>,
}

/// Runs `main` on `event_loop` in debug mode, with slow steps being those
/// of `threshold` or more, then closes the loop, and reports what the
/// runtime logged meanwhile.
///
/// The report listens to this thread's log sink, and does not swallow: each
/// record also reaches the sink that was installed before, if there was
/// one, and that sink is put back when the report is done.
pub fn debug_report<F: Future + 'static>(
    event_loop: aio::EventLoop,
    threshold: Duration,
    main: F,
) -> DebugReport<F::Output> {
    // Your code here: debug mode and its threshold, a sink that keeps the
    // messages (and passes them on), the run, `close()`, the old sink back,
    // and the messages parsed.
    let output = event_loop.run_until_complete(main);
    DebugReport { output, slow_steps: Vec::new(), leaked: Vec::new() }
}
