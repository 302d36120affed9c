//! Exercise 4: a debug report. [`debug_report`] runs a program in debug
//! mode, listens to the runtime's log while it runs and while its loop
//! closes, and parses the reports of slow steps and of tasks destroyed while
//! pending into values.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
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

// ANCHOR: listener
/// What the report's sink shares with the report: the messages it heard,
/// and the sink it displaced, to pass each record on to.
#[derive(Default)]
struct Heard {
    messages: RefCell<Vec<String>>,
    previous: RefCell<Option<aio::LogSink>>,
}

/// This thread's log sink while it lives: keeps every message, passes each
/// record on, and puts the previous sink back when dropped, even if the
/// program panicked.
struct Listening {
    heard: Rc<Heard>,
}

impl Listening {
    fn start() -> Listening {
        let heard = Rc::new(Heard::default());
        let sink_heard = Rc::clone(&heard);
        let sink: aio::LogSink = Box::new(move |record| {
            sink_heard.messages.borrow_mut().push(record.message.to_string());
            if let Some(previous) = &*sink_heard.previous.borrow() {
                previous(record);
            }
        });
        let previous = aio::set_log_sink(Some(sink));
        heard.previous.replace(previous);
        Listening { heard }
    }

    /// Stops listening: the previous sink is back, and the messages are
    /// handed over.
    fn finish(self) -> Vec<String> {
        self.heard.messages.take()
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let previous = self.heard.previous.take();
        // Ours comes back, and is dropped here.
        drop(aio::set_log_sink(previous));
    }
}
// ANCHOR_END: listener

// ANCHOR: debug_report
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
    event_loop.set_debug(true);
    event_loop.set_slow_callback_duration(threshold);
    let listening = Listening::start();
    let mut output = event_loop.run_until_complete(main);
    // The leaks are reported while the loop closes, so listen until then.
    if let Err(error) = event_loop.close() {
        output = output.and(Err(error));
    }
    let messages = listening.finish();
    DebugReport {
        output,
        slow_steps: messages.iter().filter_map(|m| slow_step(m)).collect(),
        leaked: messages.iter().filter_map(|m| leaked_task(m)).collect(),
    }
}
// ANCHOR_END: debug_report

// ANCHOR: parse
/// `Executing <Task ...> took 0.100 seconds`, read back.
fn slow_step(message: &str) -> Option<SlowStep> {
    let rest = message.strip_prefix("Executing ")?;
    let (step, took) = rest.rsplit_once(" took ")?;
    let seconds = took.strip_suffix(" seconds")?.parse().ok()?;
    Some(SlowStep { step: step.to_owned(), seconds })
}

/// `Task was destroyed but it is pending! task: <Task pending name='x'
/// created at f:1:2>, waiting on ...; await it, ...`, read back.
fn leaked_task(message: &str) -> Option<LeakedTask> {
    const REPORT: &str = "Task was destroyed but it is pending! task: ";
    let rest = message.strip_prefix(REPORT)?;
    let (_, rest) = rest.split_once(" name='")?;
    let (name, rest) = rest.split_once("' created at ")?;
    let (created_at, rest) = rest.split_once('>')?;
    let (waits, _advice) = rest.rsplit_once("; ")?;
    let waiting_on = waits.strip_prefix(", waiting on ").map(str::to_owned);
    Some(LeakedTask {
        name: name.to_owned(),
        created_at: created_at.to_owned(),
        waiting_on,
    })
}
// ANCHOR_END: parse
