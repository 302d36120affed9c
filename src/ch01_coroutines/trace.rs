//! Chapter 1 (coroutines): the loop's trace, a record of what each tick did.
//!
//! Like logging, this is a facility every later chapter can use: run a
//! program inside [`record`] and every loop built during it writes down its
//! events, in order: each tick as it starts, each task polled (and how the
//! poll ended), each task woken and who woke it, each timer that fired, each
//! callback run, and each I/O event the poller reported. The book's timeline
//! figures are drawn from such traces.
//!
//! The recorder is per thread, like a log sink: a loop picks it up when it is
//! built, and keeps it in an `Option`. When nobody records, every hook in the
//! loop is one `if let Some(..)` that finds `None`.

use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::ready_queue::Callback;
use crate::ch01_coroutines::seam::{Runnable, TaskState};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

/// One thing a loop did, as [`record`] saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A tick began: its number (from 1) and the loop time. On the virtual
    /// clock, a tick that waits for a timer jumps the time forward after
    /// this: its timers say when they fired.
    Tick {
        /// The tick's number, counted from 1 by the recorder.
        number: u64,
        /// The loop time when the tick began.
        time: Duration,
    },
    /// The poller reported readiness for a registered source.
    IoReady {
        /// The source's slot in the poller (reused once a source is gone).
        source: usize,
        /// Whether it can be read (or was closed for reading).
        readable: bool,
        /// Whether it can be written.
        writable: bool,
    },
    /// A timer's deadline passed: its callback joins the ready queue.
    TimerFired {
        /// The timer's callback (see [`Source`] for how callbacks are named).
        callback: String,
        /// The loop time when it fired.
        time: Duration,
    },
    /// A task was created; it is queued for its first poll.
    Spawned {
        /// The new task's name.
        task: String,
        /// Who created it.
        by: Source,
    },
    /// A waiting task was woken: it is queued for another poll. A wake that
    /// finds the task already queued changes nothing and is not recorded.
    Woken {
        /// The task's name.
        task: String,
        /// Who woke it.
        by: Source,
    },
    /// The loop began polling a task.
    PollStarted {
        /// The task's name.
        task: String,
    },
    /// The poll of a task returned.
    PollEnded {
        /// The task's name.
        task: String,
        /// How the poll ended.
        outcome: Outcome,
    },
    /// The loop ran a callback.
    CallbackRun {
        /// The callback (see [`Source`] for how callbacks are named).
        callback: String,
    },
}

/// How one poll of a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The future is waiting: the task will run again once woken.
    Pending,
    /// The future returned (or panicked): the task is finished.
    Done,
    /// The task was cancelled: the loop dropped its future.
    Cancelled,
}

/// Who woke or spawned a task.
///
/// Callbacks are named after the function the loop calls: for a closure, the
/// function it was written in (`closure in main_task`, as Rust names its
/// type); for a sleep's timer, `sleep`. Callbacks the runtime boxes are named
/// where it boxes them, by what they are: a task's `done callback`, or a
/// `call_soon_threadsafe callback` from another thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A task, while it was being polled on the loop.
    Task(String),
    /// A callback from the ready queue (`call_soon`, a done callback).
    Callback(String),
    /// A callback whose timer had fired (`call_later`, a sleep).
    Timer(String),
    /// The poller, handing out I/O readiness.
    Io,
    /// Another thread, through the loop's remote queue.
    Thread,
    /// Code outside every task and callback: before the loop runs, or the
    /// loop's own bookkeeping (`aio::run`'s shutdown).
    Outside,
}

/// The events that one [`record`] call saw, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    events: Vec<Event>,
}

impl Trace {
    /// The events, in the order they happened.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

// ANCHOR: record
/// Runs `program` and records what every loop built on this thread during it
/// does (loops built earlier are not recorded). Returns the program's output
/// and the trace. Calls nest: an inner call records only the loops built
/// inside it. Loops that share a trace (a program that builds two) count
/// their ticks together, and their events interleave as they happened.
///
/// ```
/// use std::time::Duration;
///
/// let (_, trace) = aio::trace::record(|| {
///     let event_loop = aio::EventLoop::builder().virtual_clock().build()?;
///     event_loop.run_until_complete(aio::sleep(Duration::from_millis(10)))?;
///     event_loop.close()
/// });
/// let timer = aio::trace::Event::TimerFired {
///     callback: "sleep".into(),
///     time: Duration::from_millis(10),
/// };
/// assert!(trace.events().contains(&timer));
/// ```
pub fn record<T>(program: impl FnOnce() -> T) -> (T, Trace) {
    let recorder = Rc::new(Recorder::default());
    let previous = RECORDER.with(|slot| slot.replace(Some(recorder.clone())));
    let _restore = Restore(previous);
    let output = program();
    let events = std::mem::take(&mut *recorder.events.borrow_mut());
    (output, Trace { events })
}
// ANCHOR_END: record

thread_local! {
    static RECORDER: RefCell<Option<Rc<Recorder>>> = const { RefCell::new(None) };
}

/// Puts back the recorder that was active before `record`, even if the
/// program panicked.
struct Restore(Option<Rc<Recorder>>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        let _ = RECORDER.try_with(|slot| slot.replace(previous));
    }
}

/// The recorder a loop built now should write to, if any.
pub(crate) fn recorder_here() -> Option<Rc<Recorder>> {
    RECORDER.try_with(|slot| slot.borrow().clone()).ok().flatten()
}

/// Where a loop writes its events while a [`record`] call runs.
#[derive(Default)]
pub(crate) struct Recorder {
    events: RefCell<Vec<Event>>,
    ticks: Cell<u64>,
    /// What the loop is running now: whoever wakes a task is this.
    running: RefCell<Option<Source>>,
    /// The callbacks of timers that fired and have not run yet, by address.
    fired: RefCell<Vec<*const ()>>,
}

// Every hook is `#[cold]`: kept out of line, so that the loop's code for the
// common case, nobody recording, stays as it was.
impl Recorder {
    /// Tick `number + 1` begins at `time`.
    #[cold]
    pub(crate) fn tick_started(&self, time: Duration) {
        // The timers that fired last tick all ran in it: a tick runs every
        // callback its step 2 queued.
        self.fired.borrow_mut().clear();
        let number = self.ticks.get() + 1;
        self.ticks.set(number);
        self.push(Event::Tick { number, time });
    }

    /// The poller reported `event` for the source in slot `source`.
    #[cold]
    pub(crate) fn io_ready(&self, source: usize, event: &mio::event::Event) {
        let readable = event.is_readable() || event.is_read_closed();
        let writable = event.is_writable();
        self.push(Event::IoReady { source, readable, writable });
    }

    /// Wakes the tasks that I/O readiness named, as the poller.
    #[cold]
    pub(crate) fn waking_from_io(&self, wake: impl FnOnce()) {
        self.while_running(Source::Io, wake);
    }

    /// The timer of `callback` fired at `time`.
    #[cold]
    pub(crate) fn timer_fired(
        &self,
        callback: &Rc<dyn Callback>,
        time: Duration,
    ) {
        self.fired.borrow_mut().push(address(callback));
        let callback = label(callback.label());
        self.push(Event::TimerFired { callback, time });
    }

    /// Runs `callback` through `run`, recording it as the one running.
    #[cold]
    pub(crate) fn run_callback(
        &self,
        callback: &Rc<dyn Callback>,
        run: impl FnOnce(&dyn Callback),
    ) {
        let from_timer = {
            let mut fired = self.fired.borrow_mut();
            let found = fired.iter().position(|&a| a == address(callback));
            found.map(|index| fired.swap_remove(index)).is_some()
        };
        if callback.cancelled() {
            return run(&**callback); // a cancelled callback does not run
        }
        let name = label(callback.label());
        self.push(Event::CallbackRun { callback: name.clone() });
        let source = if from_timer {
            Source::Timer(name)
        } else {
            Source::Callback(name)
        };
        self.while_running(source, || run(&**callback));
    }

    // ANCHOR: run_task
    /// Polls `task` once, recording the start and the end of the poll.
    #[cold]
    pub(crate) fn run_task(&self, task: TaskArc<dyn Runnable>) {
        if task.state().is_final() {
            return task.run(); // a finished task is not polled again
        }
        let name = task.name();
        self.push(Event::PollStarted { task: name.clone() });
        let running = Source::Task(name.clone());
        self.while_running(running, || TaskArc::clone(&task).run());
        let outcome = match task.state() {
            TaskState::Pending | TaskState::Cancelling => Outcome::Pending,
            TaskState::Finished => Outcome::Done,
            TaskState::Cancelled => Outcome::Cancelled,
        };
        self.push(Event::PollEnded { task: name, outcome });
    }

    /// `task` was created, by whatever is running now.
    #[cold]
    pub(crate) fn spawned(&self, task: &dyn Runnable) {
        let by = self.running_now();
        self.push(Event::Spawned { task: task.name(), by });
    }

    /// `task` was woken on the loop's thread, by whatever is running now.
    #[cold]
    pub(crate) fn woken(&self, task: &dyn Runnable) {
        let by = self.running_now();
        self.push(Event::Woken { task: task.name(), by });
    }
    // ANCHOR_END: run_task

    /// `task` was woken by another thread; the loop just took it from the
    /// remote queue.
    #[cold]
    pub(crate) fn woken_from_thread(&self, task: &dyn Runnable) {
        self.push(Event::Woken { task: task.name(), by: Source::Thread });
    }
}

impl Recorder {
    fn push(&self, event: Event) {
        self.events.borrow_mut().push(event);
    }

    fn running_now(&self) -> Source {
        self.running.borrow().clone().unwrap_or(Source::Outside)
    }

    /// Runs `work` with `source` as what is running, then puts back what was.
    fn while_running(&self, source: Source, work: impl FnOnce()) {
        let previous = self.running.replace(Some(source));
        work();
        self.running.replace(previous);
    }
}

/// A callback's identity while it is queued: its allocation's address.
fn address(callback: &Rc<dyn Callback>) -> *const () {
    Rc::as_ptr(callback).cast::<()>()
}

/// A readable name for a callback, from the type name of its function.
/// `ch02::main_task::{{closure}}` becomes `closure in main_task`, and a
/// function keeps its own name.
pub(crate) fn label(type_name: &str) -> String {
    let path = without_generics(type_name);
    let segments: Vec<&str> = path.split("::").collect();
    let named = segments.iter().rev().find(|s| !s.starts_with("{{"));
    let name = named.copied().unwrap_or(type_name);
    if segments.last().is_some_and(|last| last.starts_with("{{")) {
        format!("closure in {name}")
    } else {
        name.to_owned()
    }
}

/// `a::f<b::C>::g` without its `<...>` parts: `a::f::g`.
fn without_generics(type_name: &str) -> String {
    let mut depth = 0;
    let mut kept = String::new();
    for c in type_name.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept
}

impl fmt::Display for Trace {
    /// One event a line, indented under its tick.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            match event {
                Event::Tick { .. } => writeln!(f, "{event}")?,
                _ => writeln!(f, "  {event}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Tick { number, time } => {
                write!(f, "tick {number} at {}", Millis(*time))
            }
            Event::IoReady { source, readable, writable } => {
                let read = if *readable { " readable" } else { "" };
                let write = if *writable { " writable" } else { "" };
                write!(f, "I/O ready: source {source}{read}{write}")
            }
            Event::TimerFired { callback, time } => {
                write!(f, "timer fired at {}: {callback}", Millis(*time))
            }
            Event::Spawned { task, by } => write!(f, "spawn {task} by {by}"),
            Event::Woken { task, by } => write!(f, "wake {task} by {by}"),
            Event::PollStarted { task } => write!(f, "poll {task}"),
            Event::PollEnded { task, outcome } => {
                write!(f, "{task} {outcome}")
            }
            Event::CallbackRun { callback } => write!(f, "call {callback}"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pending => "pending",
            Outcome::Done => "done",
            Outcome::Cancelled => "cancelled",
        })
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Task(task) => write!(f, "task {task}"),
            Source::Callback(callback) => write!(f, "callback {callback}"),
            Source::Timer(callback) => write!(f, "timer {callback}"),
            Source::Io => f.write_str("I/O"),
            Source::Thread => f.write_str("another thread"),
            Source::Outside => f.write_str("outside"),
        }
    }
}

/// A loop time in milliseconds: `10 ms`, `0.5 ms`.
struct Millis(Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0.as_micros();
        match micros % 1000 {
            0 => write!(f, "{} ms", micros / 1000),
            _ => write!(f, "{} ms", micros as f64 / 1000.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn callbacks_are_named_after_their_function() {
        assert_eq!(
            label("ch02_scheduling::call_later::main_task::{{closure}}"),
            "closure in main_task"
        );
        assert_eq!(
            label("aio::EventLoop::run<F>::{{closure}}::{{closure}}"),
            "closure in run"
        );
        assert_eq!(label("ch02_scheduling::call_soon::callback"), "callback");
        assert_eq!(
            label("alloc::boxed::Box<dyn core::ops::function::FnOnce()>"),
            "Box"
        );
    }
}
