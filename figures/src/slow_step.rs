//! Chapter 14's slow step: the loop of the `debug` example run with `-v`
//! (debug mode, a 1 ms threshold), recorded once on the real clock and
//! drawn by the timelines' code ([`crate::timelines::draw`]).
//!
//! `inner` blocks the loop's thread for 100 ms: the tick that polls it
//! lasts that long, and debug mode logs a warning right after the step.
//! The trace says what ran in which tick; the warning says how long the
//! step took. Real times differ from run to run, so, as for chapter 13's
//! measured timeline ([`crate::measured`]), `cargo run -p figures
//! --example record_slow_step` writes the trace and the warnings to
//! `figures/data/timeline-slow-step.tsv`, and the figure is drawn from
//! that file. `tests/fresh.rs` checks the figure against it exactly;
//! `tests/slow_step.rs` records the example again and checks that the
//! data's shape ([`check`]) still holds, for the new run and the
//! committed one.

use crate::Figure;
use crate::bench_data::Data;
use crate::timelines::{self, Drawing, SlowStep, Times};
use aio::ClockKind;
use aio::trace::{Event, Outcome, Source};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// The data file's name in `figures/data/`, and the figure's.
pub const NAME: &str = "timeline-slow-step";

/// The command that records the data.
const COMMAND: &str = "cargo run -p figures --example record_slow_step";

/// One recorded run: what the loop did, and the steps it warned about.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// The trace's events, in order.
    pub events: Vec<Event>,
    /// The slow-step warnings, in the order logged.
    pub slow: Vec<SlowStep>,
}

impl Recording {
    /// Each tick's loop time, in order.
    pub fn tick_times(&self) -> Vec<Duration> {
        let times = self.events.iter().filter_map(|event| match event {
            Event::Tick { time, .. } => Some(*time),
            _ => None,
        });
        times.collect()
    }

    /// The outcomes of `task`'s polls in tick `tick` (from 1).
    pub fn polls_in(&self, tick: usize, task: &str) -> Vec<Outcome> {
        let mut current = 0;
        let mut outcomes = Vec::new();
        for event in &self.events {
            match event {
                Event::Tick { .. } => current += 1,
                Event::PollEnded { task: t, outcome }
                    if current == tick && t == task =>
                {
                    outcomes.push(*outcome);
                }
                _ => {}
            }
        }
        outcomes
    }
}

/// Runs `cargo run -p ch14-debugging --bin debug -- -v` in this process,
/// on the real clock, and records its trace and the warnings it logged.
///
/// # Panics
///
/// If the example fails, or a warning is not a slow step's: a recording
/// of a broken run is worth nothing.
pub fn record() -> Recording {
    let logged: Rc<RefCell<Vec<(String, Duration)>>> = Rc::default();
    let sink = Rc::clone(&logged);
    let previous = aio::set_log_sink(Some(Box::new(move |record| {
        if record.target == "aio.debug" && record.level == aio::Level::Warn {
            let loop_time = aio::get_running_loop().map(|l| l.time());
            let at = loop_time.expect("a warning from the running loop");
            sink.borrow_mut().push((record.message.to_string(), at));
        }
    })));
    let (outcome, trace) = aio::with_clock(ClockKind::Real, || {
        aio::trace::record(|| ch14_debugging::debug::run(true))
    });
    aio::set_log_sink(previous);
    if let Err(error) = outcome {
        panic!("the debug example failed: {error}");
    }
    let mut recording =
        Recording { events: trace.events().to_vec(), slow: Vec::new() };
    let ticks = recording.tick_times();
    for (message, at) in logged.take() {
        // The tick it was logged in: the last to begin before it.
        let tick = ticks.iter().filter(|&&time| time <= at).count();
        recording.slow.push(slow_step(&message, tick));
    }
    recording
}

/// The slow step a warning like `Executing <Task finished name='inner'
/// created at ...> took 0.101 seconds` reports, in tick `tick`.
fn slow_step(message: &str, tick: usize) -> SlowStep {
    let task = between(message, " name='", "'");
    let took = between(message, "> took ", " seconds");
    let took = took.and_then(|took| took.parse::<f64>().ok());
    let (Some(task), Some(took)) = (task, took) else {
        panic!("not a slow step's warning: {message:?}");
    };
    SlowStep {
        task: task.to_owned(),
        tick,
        took: Duration::from_secs_f64(took),
    }
}

/// The text of `text` between `before` and the next `after`.
fn between<'t>(text: &'t str, before: &str, after: &str) -> Option<&'t str> {
    let (_, rest) = text.split_once(before)?;
    Some(rest.split_once(after)?.0)
}

/// How far the warning's duration may be from the step's: it prints seconds
/// to three decimals (`took 0.101 seconds`).
const WARNING_ROUNDING: Duration = Duration::from_micros(500);

/// Checks what the figure says of a recording: the run warned once, about
/// `inner`'s step, which took at least the 100 ms it blocks and ended it
/// (its one poll, done); `outer` ran before and after it in other ticks,
/// and the next tick began only once the step was over.
pub fn check(recording: &Recording) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{what}: {recording:#?}"));
    let [step] = &recording.slow[..] else {
        return fail("not exactly one slow step");
    };
    if step.task != "inner" {
        return fail("the slow step is not inner's");
    }
    if step.took < ch14_debugging::debug::BLOCKING {
        return fail("the slow step took less than inner blocks");
    }
    if recording.polls_in(step.tick, "inner") != [Outcome::Done] {
        return fail("inner's one poll, done, is not in the slow tick");
    }
    let outer = |tick| recording.polls_in(tick, "Task-1");
    if outer(step.tick - 1) != [Outcome::Pending]
        || outer(step.tick + 1) != [Outcome::Done]
    {
        return fail("outer does not run in the ticks around it");
    }
    let ticks = recording.tick_times();
    // The warning gives the duration to the millisecond, rounded: the step
    // may have been up to half a millisecond shorter than it says.
    let shortest = step.took.saturating_sub(WARNING_ROUNDING);
    if ticks[step.tick] - ticks[step.tick - 1] < shortest {
        return fail("the next tick began before the slow step ended");
    }
    Ok(())
}

// ------------------------------------------------------------- the data

/// How a [`Source`] is written in the data file.
fn source_cell(source: &Source) -> String {
    match source {
        Source::Task(name) => format!("task:{name}"),
        Source::Callback(name) => format!("callback:{name}"),
        Source::Timer(name) => format!("timer:{name}"),
        Source::Io => "io".to_owned(),
        Source::Thread => "thread".to_owned(),
        Source::Outside => "outside".to_owned(),
    }
}

/// The [`Source`] a data cell names.
fn source_of(cell: &str) -> Source {
    match cell.split_once(':') {
        Some(("task", name)) => Source::Task(name.to_owned()),
        Some(("callback", name)) => Source::Callback(name.to_owned()),
        Some(("timer", name)) => Source::Timer(name.to_owned()),
        _ => match cell {
            "io" => Source::Io,
            "thread" => Source::Thread,
            "outside" => Source::Outside,
            _ => panic!("{NAME}.tsv: {cell:?} is no source"),
        },
    }
}

/// How an [`Outcome`] is written in the data file.
fn outcome_cell(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => "pending",
        Outcome::Done => "done",
        Outcome::Cancelled => "cancelled",
    }
}

/// The recording as a data file, saying how it was made and on what
/// `machine` (see [`crate::bench_data::machine`]): one row an event, in
/// order, then one a slow step; times in microseconds of loop time.
pub fn to_data(recording: &Recording, machine: &str) -> Data {
    let mut data = Data::new(&["event", "who", "detail", "us"]);
    data.set_meta("command", COMMAND);
    data.set_meta(
        "note",
        "the trace of `debug -v` (chapter 14) on the real clock: outer \
         awaits inner, which blocks the thread with std::thread::sleep(100 \
         ms); debug mode's threshold is 1 ms. Then the steps it warned \
         about: the task, the tick (from 1), how long the step took",
    );
    data.set_meta("machine", machine);
    let us = |time: &Duration| time.as_micros().to_string();
    let mut push = |cells: [&str; 4]| {
        data.push(cells.map(str::to_owned).to_vec());
    };
    for event in &recording.events {
        match event {
            Event::Tick { number, time } => {
                push(["tick", "-", &number.to_string(), &us(time)])
            }
            Event::IoReady { source, readable, writable } => {
                let ready = match (readable, writable) {
                    (true, true) => "rw",
                    (true, false) => "r",
                    (false, true) => "w",
                    (false, false) => "-",
                };
                push(["io-ready", &source.to_string(), ready, "-"])
            }
            Event::TimerFired { callback, time } => {
                push(["timer-fired", callback, "-", &us(time)])
            }
            Event::Spawned { task, by } => {
                push(["spawned", task, &source_cell(by), "-"])
            }
            Event::Woken { task, by } => {
                push(["woken", task, &source_cell(by), "-"])
            }
            Event::PollStarted { task } => {
                push(["poll-started", task, "-", "-"])
            }
            Event::PollEnded { task, outcome } => {
                push(["poll-ended", task, outcome_cell(*outcome), "-"])
            }
            Event::CallbackRun { callback } => {
                push(["callback-run", callback, "-", "-"])
            }
        }
    }
    for step in &recording.slow {
        let tick = step.tick.to_string();
        push(["slow-step", &step.task, &tick, &us(&step.took)]);
    }
    data
}

/// The recording a data file holds.
///
/// # Panics
///
/// If a row is not one [`to_data`] writes: record the data again.
pub fn from_data(data: &Data) -> Recording {
    let mut recording = Recording { events: Vec::new(), slow: Vec::new() };
    for row in data.rows() {
        let who = row.get("who").to_owned();
        let detail = row.get("detail");
        let time = || Duration::from_micros(row.number("us") as u64);
        let number = || -> u64 {
            detail.parse().unwrap_or_else(|_| panic!("{NAME}.tsv: {detail}"))
        };
        let event = match row.get("event") {
            "tick" => Event::Tick { number: number(), time: time() },
            "io-ready" => Event::IoReady {
                source: who.parse().expect("a source number"),
                readable: detail.contains('r'),
                writable: detail.contains('w'),
            },
            "timer-fired" => Event::TimerFired { callback: who, time: time() },
            "spawned" => Event::Spawned { task: who, by: source_of(detail) },
            "woken" => Event::Woken { task: who, by: source_of(detail) },
            "poll-started" => Event::PollStarted { task: who },
            "poll-ended" => Event::PollEnded {
                task: who,
                outcome: match detail {
                    "pending" => Outcome::Pending,
                    "done" => Outcome::Done,
                    _ => Outcome::Cancelled,
                },
            },
            "callback-run" => Event::CallbackRun { callback: who },
            "slow-step" => {
                let tick = number() as usize;
                let took = time();
                recording.slow.push(SlowStep { task: who, tick, took });
                continue;
            }
            other => panic!("{NAME}.tsv: no event {other:?}: `{COMMAND}`"),
        };
        recording.events.push(event);
    }
    recording
}

/// The committed recording.
///
/// # Panics
///
/// If the data file is missing or unreadable: record it again.
pub fn committed() -> Recording {
    let data = Data::load(&crate::measured::data_dir(), NAME)
        .unwrap_or_else(|error| panic!("{error}: record it with `{COMMAND}`"));
    from_data(&data)
}

// ---------------------------------------------------------------- drawing

/// What the figure calls the lanes.
const LANES: &[(&str, &str)] = &[
    ("Task-1", "outer"),
    // Created as Task-2, named `inner` at once.
    ("Task-2", "inner"),
    ("done callback", "stop the loop"),
];

/// The figure, from the committed recording.
pub fn all() -> Vec<Figure> {
    vec![figure(&committed())]
}

/// The figure of `recording`.
fn figure(recording: &Recording) -> Figure {
    let drawing = Drawing {
        name: NAME,
        lanes: LANES,
        times: Times::Shown,
        io_notes: &[],
        heading: Some("debug -v: inner blocks the loop (a real run)"),
        slow: &recording.slow,
        threshold: ch14_debugging::debug::SLOW,
    };
    let svg = timelines::draw(&recording.events, &drawing);
    let took = recording
        .slow
        .first()
        .map_or(0.0, |step| step.took.as_secs_f64() * 1e3);
    let title = format!(
        "Timeline of debug -v, one real run: outer's first step creates \
         inner; inner's one step blocks the thread for {took:.1} ms, over \
         the 1 ms threshold, and debug mode logs a warning right after it; \
         only then does the next tick run outer again"
    );
    Figure::new(NAME, svg.finish(&title))
}
