//! Timelines: what happened, tick by tick, in a real run of an example on
//! the virtual clock, recorded by the loop's trace (chapter 1).
//!
//! Each example runs here, in this process, inside `aio::trace::record` and
//! `aio::with_clock(ClockKind::Virtual, ..)`, exactly as its binary runs it
//! (it prints its output as it goes); the TLS echo runs on the real clock
//! (see [`tls_echo`]). [`draw`] turns the trace into a
//! picture: one lane per task or callback, one column per tick, each poll or
//! callback a bar in its tick's column (in the order the tick ran them),
//! wakes as arrows from the waker to the poll they caused.

use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};
use aio::ClockKind;
use aio::trace::{Event, Outcome, Source, Trace};
use std::collections::BTreeMap;
use std::time::Duration;

/// One example whose timeline the book shows.
struct Run {
    /// The figure's file name.
    name: &'static str,
    /// The figure's accessible name.
    title: &'static str,
    /// The example, run in this process.
    program: fn(),
    /// What to call the lanes: the trace's name (`Task-2`, a callback's
    /// label) and the example's name for it.
    lanes: &'static [(&'static str, &'static str)],
    /// The clock it runs on: virtual, unless a timer must never be jumped
    /// to (see [`tls_echo`]). On the real clock the figure shows no times.
    clock: ClockKind,
    /// What came in at each tick with I/O, in order: the task it woke
    /// first (as traced), and what it was. Drawn numbered under the
    /// legend; empty for most runs.
    io_notes: &'static [(&'static str, &'static str)],
}

/// How to draw a timeline: what each run says about its lanes and times,
/// and what a run recorded once into a data file adds (see
/// [`crate::slow_step`]).
#[derive(Debug, Clone, Copy)]
pub struct Drawing<'a> {
    /// The figure's name, for messages.
    pub name: &'a str,
    /// What to call the lanes: the trace's name and the example's name for
    /// it. Two traced names shown alike share a lane: a task renamed after
    /// it was created is traced under both.
    pub lanes: &'a [(&'a str, &'a str)],
    /// Whether the loop times are shown.
    pub times: Times,
    /// What came in at each tick with I/O (see [`Run`]'s `io_notes`).
    pub io_notes: &'a [(&'a str, &'a str)],
    /// A heading above the timeline, if any.
    pub heading: Option<&'a str>,
    /// The steps debug mode reported as slow: each gets a wide bar, marked
    /// with how long it took, and a marker where the warning was logged.
    pub slow: &'a [SlowStep],
    /// The slow-step threshold those steps were over.
    pub threshold: Duration,
}

/// Which loop times a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// Each tick's time where it changed: a virtual clock's, or a recorded
    /// run's.
    Shown,
    /// None: a real clock's times, which vary run to run.
    Hidden,
}

/// A step that debug mode reported as slow (chapter 14), in a recorded run.
#[derive(Debug, Clone, PartialEq)]
pub struct SlowStep {
    /// The task, as the trace names it when the step began.
    pub task: String,
    /// The tick the step ran in, counted from 1 as the trace counts them.
    pub tick: usize,
    /// How long the step took, as the warning says.
    pub took: Duration,
}

impl<'a> Drawing<'a> {
    /// How a run of [`RUNS`] is drawn.
    fn of(run: &'a Run) -> Drawing<'a> {
        let times = match run.clock {
            ClockKind::Virtual => Times::Shown,
            ClockKind::Real => Times::Hidden,
        };
        Drawing {
            name: run.name,
            lanes: run.lanes,
            times,
            io_notes: run.io_notes,
            heading: None,
            slow: &[],
            threshold: Duration::ZERO,
        }
    }

    /// The lane's name in the figure for the traced name `traced`.
    fn shown<'n>(&self, traced: &'n str) -> &'n str
    where
        'a: 'n,
    {
        let name = self.lanes.iter().find(|(lane, _)| *lane == traced);
        name.map_or(traced, |(_, shown)| shown)
    }
}

/// Runs an example's `main`: the trace is the point, but a failure is not.
fn example<E: std::fmt::Debug>(main: fn() -> Result<(), E>) {
    if let Err(error) = main() {
        panic!("the example failed: {error:?}");
    }
}

const MAIN: (&str, &str) = ("Task-1", "main_task");

/// What most runs share: the virtual clock, and no notes on their I/O.
const VIRTUAL: Run = Run {
    name: "",
    title: "",
    program: || {},
    lanes: &[],
    clock: ClockKind::Virtual,
    io_notes: &[],
};

const RUNS: &[Run] = &[
    Run {
        name: "timeline-call-later",
        title: "Timeline of call_later",
        program: || example(ch02_scheduling::call_later::main),
        lanes: &[MAIN, ("closure in main_task", "callback(n)")],
        ..VIRTUAL
    },
    Run {
        name: "timeline-call-soon",
        title: "Timeline of call_soon",
        program: || example(ch02_scheduling::call_soon::main),
        lanes: &[MAIN, ("closure in main_task", "callback")],
        ..VIRTUAL
    },
    Run {
        name: "timeline-create-task",
        title: "Timeline of create_task",
        program: || example(ch04_tasks::create_task::main),
        lanes: &[MAIN, ("Task-2", "task_func")],
        ..VIRTUAL
    },
    Run {
        name: "timeline-cancel-task",
        title: "Timeline of cancel_task",
        program: || example(ch04_tasks::cancel_task::main),
        lanes: &[MAIN, ("Task-2", "task_func")],
        ..VIRTUAL
    },
    Run {
        name: "timeline-cancel-task2",
        title: "Timeline of cancel_task2",
        program: || example(ch04_tasks::cancel_task2::main),
        lanes: &[
            MAIN,
            ("Task-2", "task_func"),
            ("closure in main_task", "task_canceller"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-wait",
        title: "Timeline of wait",
        program: || example(ch05_control::wait::main),
        lanes: &[
            MAIN,
            ("Task-2", "phase(0)"),
            ("Task-3", "phase(1)"),
            ("Task-4", "phase(2)"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-wait-timeout",
        title: "Timeline of wait_timeout",
        program: || example(ch05_control::wait_timeout::main),
        lanes: &[
            MAIN,
            ("Task-2", "phase(0)"),
            ("Task-3", "phase(1)"),
            ("Task-4", "phase(2)"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-gather",
        title: "Timeline of gather",
        program: || example(ch05_control::gather::main),
        lanes: &[MAIN, ("Task-2", "phase1"), ("Task-3", "phase2")],
        ..VIRTUAL
    },
    Run {
        name: "timeline-as-completed",
        title: "Timeline of as_completed",
        program: || example(ch05_control::as_completed::main),
        lanes: &[
            MAIN,
            ("Task-2", "phase(0)"),
            ("Task-3", "phase(1)"),
            ("Task-4", "phase(2)"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-lock",
        title: "Timeline of lock",
        program: || example(ch06_sync::lock::main),
        lanes: &[
            MAIN,
            ("closure in main_task", "unlock"),
            ("Task-2", "coro1"),
            ("Task-3", "coro2"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-event",
        title: "Timeline of event",
        program: || example(ch06_sync::event::main),
        lanes: &[
            MAIN,
            ("closure in main_task", "set_event"),
            ("Task-2", "coro1"),
            ("Task-3", "coro2"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-condition",
        title: "Timeline of condition",
        program: || example(ch06_sync::condition::main),
        lanes: &[
            MAIN,
            ("Task-2", "manipulate"),
            ("Task-3", "consumer 0"),
            ("Task-4", "consumer 1"),
            ("Task-5", "consumer 2"),
            ("Task-6", "consumer 3"),
            ("Task-7", "consumer 4"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-queue",
        title: "Timeline of queue",
        program: || example(ch06_sync::queue::main),
        lanes: &[
            MAIN,
            ("Task-2", "consumer 0"),
            ("Task-3", "consumer 1"),
            ("Task-4", "producer"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-echo",
        title: "Timeline of the echo conversation",
        program: echo_conversation,
        lanes: &[
            ("Task-1", "main (client)"),
            ("Task-2", "accept loop"),
            ("Task-3", "echo"),
            ("Task-4", "server's transport"),
            ("Task-5", "client's transport"),
        ],
        ..VIRTUAL
    },
    Run {
        name: "timeline-tls-handshake",
        title: "Timeline of a TLS echo: the handshake, then the first data",
        program: tls_echo,
        lanes: &[
            ("Task-1", "main (client)"),
            ("Task-2", "accept loop"),
            ("Task-3", "server's transport"),
            ("Task-4", "client's transport"),
            ("Task-5", "echo"),
        ],
        clock: ClockKind::Real,
        io_notes: &[
            ("Task-2", "connected; main sends the ClientHello"),
            ("Task-3", "the ClientHello reaches the server"),
            ("Task-4", "the server's flight, ServerHello to Finished"),
            ("Task-3", "the client's Finished and main's first data"),
            ("Task-4", "tickets, the echo and the server's close_notify"),
        ],
    },
    Run {
        name: "timeline-lookup-off-the-loop",
        title: "Timeline of a lookup on a worker thread while a ticker ticks",
        program: lookup_off_the_loop,
        lanes: &[("Task-1", "main"), ("Task-2", "ticker")],
        ..VIRTUAL
    },
];

/// Chapter 10's thread resolver at work: `main` looks a name up through the
/// loop's resolver, a `ThreadResolver` whose lookup runs on a worker thread,
/// while a ticker ticks three times. So that the trace is the same every
/// run, the worker answers only once the ticker is done: its lookup waits
/// for the ticker's word, then answers 127.0.0.1 without asking anyone.
///
/// It runs with `run_until_complete`, not `aio::run`: the lookup's worker
/// is a thread of the loop's default executor (chapter 13), which
/// `aio::run` shuts down at the end in a task of its own, and whether that
/// task finds the thread already gone at its first poll is a race; the
/// trace would differ from run to run. Closing the loop drops the executor
/// instead, and its thread exits by itself.
fn lookup_off_the_loop() {
    use std::net::SocketAddr;
    use std::sync::{Mutex, mpsc};
    let (go, wait_for_go) = mpsc::channel::<()>();
    let wait_for_go = Mutex::new(wait_for_go);
    let event_loop = aio::EventLoop::new().expect("a loop");
    let outcome = event_loop.run_until_complete(async move {
        let event_loop = aio::get_running_loop()?;
        event_loop.set_resolver(aio::ThreadResolver::with_lookup(
            move |_host, port| {
                let _ = wait_for_go.lock().map(|waiting| waiting.recv());
                Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
            },
        ));
        let ticker = aio::spawn(async move {
            for _ in 0..3 {
                aio::sleep(Duration::from_millis(100)).await;
            }
            let _ = go.send(());
        })?;
        let found = event_loop.resolver().resolve("printer.lan", 443).await;
        let _ = ticker.await;
        Ok::<_, aio::Error>(found.map_err(|error| error.to_string()))
    });
    if let Err(error) = event_loop.close() {
        panic!("the loop did not close: {error}");
    }
    match outcome {
        Ok(Ok(Ok(_))) => {}
        Ok(Ok(Err(error))) => panic!("the lookup failed: {error}"),
        Ok(Err(error)) | Err(error) => panic!("the run failed: {error}"),
    }
}

/// Chapter 8's echo conversation, as `cargo run -p ch08-streams` holds it:
/// the server and the client in one process, on a free port, over real
/// sockets.
///
/// Its two lookups of `localhost` use chapter 7's resolver, on the loop's
/// thread. The default (chapter 10's) answers from a worker thread, and
/// whether that answer is there at the task's first poll or a tick later is
/// a race: the trace would differ from run to run.
fn echo_conversation() {
    use ch08_streams::{echo_client_coroutine, echo_server_coroutine};
    let outcome = aio::run(async {
        if let Ok(event_loop) = aio::get_running_loop() {
            event_loop.set_resolver(aio::BlockingResolver);
        }
        let server = echo_server_coroutine::start("localhost", 0)
            .await
            .map_err(|error| error.to_string())?;
        let outcome =
            echo_client_coroutine::echo_client("localhost", server.port())
                .await
                .map_err(|error| error.to_string());
        aio::sleep(Duration::from_millis(50)).await;
        server.close();
        outcome
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("the echo conversation failed: {error}"),
        Err(error) => panic!("the echo conversation failed: {error}"),
    }
}

/// Chapter 9's TLS echo, in one process: a server with a certificate made
/// for the run, a client that trusts it, one message there and back.
///
/// It runs on the real clock. Each side arms a 60 s handshake timer, and
/// the virtual clock jumps to the next timer whenever nothing is ready and
/// the poller has nothing: if the kernel were ever slow to hand a flight
/// over, the handshake would time out at once. On the real clock the tick
/// waits for the bytes instead; the figure leaves its times out, as they
/// vary run to run. The figure holds no byte counts either: the key shares
/// and the tickets are random.
fn tls_echo() {
    let outcome = aio::run(async {
        let (server_context, client_context) = tls_contexts()?;
        async fn echo(reader: aio::StreamReader, writer: aio::StreamWriter) {
            if let Ok(data) = reader.read(100).await {
                let _ = writer.write(&data);
            }
            writer.close();
        }
        let server =
            aio::start_server_ssl(echo, "127.0.0.1", 0, server_context).await?;
        let ssl = aio::Ssl::new(client_context).server_hostname("localhost");
        let (reader, writer) =
            aio::open_connection_ssl("127.0.0.1", server.port(), ssl).await?;
        writer.write(b"hello over TLS")?;
        let echoed = reader.read(100).await?;
        writer.close();
        writer.wait_closed().await;
        server.close();
        if echoed != b"hello over TLS" {
            return Err(format!("echoed {echoed:?}").into());
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("the TLS echo failed: {error}"),
        Err(error) => panic!("the TLS echo failed: {error}"),
    }
}

/// A server context with a certificate for `localhost` made now, and a
/// client context that trusts it.
fn tls_contexts()
-> Result<(aio::SslContext, aio::SslContext), Box<dyn std::error::Error>> {
    let issued =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
    let cert = issued.cert.pem();
    let key = issued.signing_key.serialize_pem();
    let server =
        aio::SslContext::server_from_pem(cert.as_bytes(), key.as_bytes())?;
    let client = aio::SslContext::client_with_ca_pem(cert.as_bytes())?;
    Ok((server, client))
}

// ANCHOR: trace_of
/// The trace of one run of `program` on the virtual clock.
fn trace_of(program: fn()) -> Trace {
    aio::with_clock(ClockKind::Virtual, || aio::trace::record(program)).1
}
// ANCHOR_END: trace_of

/// The trace of one run, on its clock.
fn trace(run: &Run) -> Trace {
    match run.clock {
        ClockKind::Virtual => trace_of(run.program),
        ClockKind::Real => {
            aio::with_clock(ClockKind::Real, || aio::trace::record(run.program))
                .1
        }
    }
}

/// The figure of one run, run now.
fn figure(run: &Run) -> Figure {
    let svg = draw(trace(run).events(), &Drawing::of(run));
    Figure::new(run.name, svg.finish(run.title))
}

/// Every timeline in the book.
pub fn all() -> Vec<Figure> {
    RUNS.iter().map(figure).collect()
}

/// The traces, for looking at while drawing.
pub fn traces() -> Vec<(&'static str, Trace)> {
    RUNS.iter().map(|run| (run.name, trace(run))).collect()
}

fn run_named(name: &str) -> &'static Run {
    let run = RUNS.iter().find(|run| run.name == name);
    run.unwrap_or_else(|| panic!("no timeline named {name}"))
}

/// The trace of the run named `name`, run now.
pub fn trace_named(name: &str) -> Trace {
    trace(run_named(name))
}

/// The figure of the run named `name`, run now: on the real clock, where
/// the trace's times vary, this is what must not.
pub fn figure_named(name: &str) -> Figure {
    figure(run_named(name))
}

// ---------------------------------------------------------------- layout

/// The lanes of events that are not tasks or callbacks, drawn on top.
const TIMERS: &str = "timers";
const IO: &str = "I/O";
const THREADS: &str = "other threads";
/// The lane of the slow-step warnings that debug mode logged.
const WARNINGS: &str = "debug log";

/// A sleep's timer: its callback only wakes the sleeper, so it gets no lane
/// of its own; its wakes come from the timers lane.
const SLEEP: &str = "sleep";

const WIDTH: f64 = 480.0;
const LABELS_RIGHT: f64 = 124.0;
const PLOT_LEFT: f64 = 132.0;
const PLOT_RIGHT: f64 = 472.0;
const HEADER: f64 = 44.0;
const LANE: f64 = 26.0;
const BAR: f64 = 16.0;
/// Below this, a slot is too thin to read: compress or split the example.
const MIN_SLOT: f64 = 8.0;
/// How many slots a slow step's bar takes: wide enough to say so inside.
const SLOW_SLOTS: usize = 10;
/// Room for a heading above the timeline.
const HEADING: f64 = 24.0;

/// One bar: a poll or a callback run, at its place in its tick.
#[derive(Debug)]
struct Bar {
    lane: usize,
    tick: usize,
    slot: usize,
    /// How many slots wide it is: one, or [`SLOW_SLOTS`] for a slow step.
    weight: usize,
    class: &'static str,
}

/// A marker in one of the top lanes: a timer fired, I/O, a thread's wake.
#[derive(Debug)]
struct Marker {
    lane: usize,
    tick: usize,
    /// Drawn just after this bar, not at the start of its tick.
    after: Option<usize>,
}

/// Where an arrow starts: a bar (the waker was running), or a marker.
#[derive(Debug, Clone, Copy)]
enum Start {
    Bar(usize),
    Marker(usize),
}

/// An arrow to the next bar of a lane after a point in the trace.
#[derive(Debug)]
struct Arrow {
    from: Start,
    to_lane: usize,
    /// The first bar after this index in `bars` that is in `to_lane`.
    after_bar: usize,
    spawn: bool,
}

/// A trace laid out: lanes, ticks and their slots, bars, markers, arrows.
#[derive(Debug, Default)]
struct Layout {
    lanes: Vec<String>,
    /// What the lanes are called (see [`Drawing::lanes`]).
    shown: Vec<(String, String)>,
    /// Per tick: how many bars it holds, and its loop time once its timers
    /// fired.
    ticks: Vec<(usize, Duration)>,
    bars: Vec<Bar>,
    markers: Vec<Marker>,
    arrows: Vec<Arrow>,
    /// The bars of slow steps, each with its step in [`Drawing::slow`].
    slow_bars: Vec<(usize, usize)>,
}

impl Layout {
    fn lane(&mut self, traced: &str) -> usize {
        let shown = self.shown.iter().find(|(lane, _)| lane == traced);
        let name = shown.map_or(traced, |(_, shown)| shown.as_str());
        match self.lanes.iter().position(|lane| lane == name) {
            Some(index) => index,
            None => {
                self.lanes.push(name.to_owned());
                self.lanes.len() - 1
            }
        }
    }

    fn marker(&mut self, lane: &str) -> usize {
        let lane = self.lane(lane);
        let tick = self.ticks.len().saturating_sub(1);
        self.markers.push(Marker { lane, tick, after: None });
        self.markers.len() - 1
    }

    fn bar(&mut self, lane: &str, class: &'static str) -> usize {
        self.wide_bar(lane, class, 1)
    }

    fn wide_bar(
        &mut self,
        lane: &str,
        class: &'static str,
        weight: usize,
    ) -> usize {
        let lane = self.lane(lane);
        let tick = self.ticks.len().saturating_sub(1);
        let slot = self.ticks[tick].0;
        self.ticks[tick].0 += weight;
        self.bars.push(Bar { lane, tick, slot, weight, class });
        self.bars.len() - 1
    }

    /// Reads the trace: the top lanes first, so they stay on top.
    fn of(events: &[Event], drawing: &Drawing<'_>) -> Layout {
        let shown = drawing.lanes.iter();
        let mut layout = Layout {
            shown: shown.map(|(t, s)| (t.to_string(), s.to_string())).collect(),
            ..Layout::default()
        };
        if !drawing.slow.is_empty() {
            layout.lane(WARNINGS);
        }
        let has = |wanted: fn(&Event) -> bool| events.iter().any(wanted);
        if has(|e| matches!(e, Event::TimerFired { .. })) {
            layout.lane(TIMERS);
        }
        if has(|e| matches!(e, Event::IoReady { .. })) {
            layout.lane(IO);
        }
        if has(|e| matches!(e, Event::Woken { by: Source::Thread, .. })) {
            layout.lane(THREADS);
        }
        // The bar of each task being polled, and of the callback running.
        let mut polling: BTreeMap<String, usize> = BTreeMap::new();
        let mut running_callback: Option<usize> = None;
        let mut fired: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut io_marker = None;
        let mut tick_zero = true;
        for event in events {
            match event {
                Event::Tick { time, .. } => {
                    layout.ticks.push((0, *time));
                    running_callback = None;
                    io_marker = None;
                    tick_zero = false;
                }
                Event::IoReady { .. } => {
                    if io_marker.is_none() {
                        io_marker = Some(layout.marker(IO));
                    }
                }
                Event::TimerFired { callback, time } => {
                    if let Some(tick) = layout.ticks.last_mut() {
                        tick.1 = tick.1.max(*time);
                    }
                    let marker = layout.marker(TIMERS);
                    fired.entry(callback.clone()).or_default().push(marker);
                }
                Event::PollStarted { task } => {
                    let tick = layout.ticks.len();
                    let slow = drawing.slow.iter().position(|step| {
                        step.task == *task && step.tick == tick
                    });
                    let weight = if slow.is_some() { SLOW_SLOTS } else { 1 };
                    let bar = layout.wide_bar(task, "accent", weight);
                    if let Some(step) = slow {
                        layout.slow_bars.push((bar, step));
                        let lane = layout.lane(WARNINGS);
                        let tick = tick.saturating_sub(1);
                        let after = Some(bar);
                        layout.markers.push(Marker { lane, tick, after });
                    }
                    polling.insert(task.clone(), bar);
                    running_callback = None;
                }
                Event::PollEnded { task, outcome } => {
                    if let Some(bar) = polling.remove(task) {
                        layout.bars[bar].class = match outcome {
                            Outcome::Pending => "accent",
                            Outcome::Done => "good",
                            Outcome::Cancelled => "bad",
                        };
                    }
                }
                Event::CallbackRun { callback } => {
                    running_callback = None;
                    if callback == SLEEP {
                        continue;
                    }
                    let bar = layout.bar(callback, "warm");
                    running_callback = Some(bar);
                    // A callback whose timer fired: the timer starts it.
                    let marker = fired.get_mut(callback).and_then(first);
                    if let Some(marker) = marker {
                        let to_lane = layout.bars[bar].lane;
                        layout.arrows.push(Arrow {
                            from: Start::Marker(marker),
                            to_lane,
                            after_bar: bar,
                            spawn: false,
                        });
                    }
                }
                Event::Spawned { task, by } | Event::Woken { task, by } => {
                    let spawn = matches!(event, Event::Spawned { .. });
                    let from = match by {
                        Source::Task(waker) => {
                            polling.get(waker).copied().map(Start::Bar)
                        }
                        Source::Callback(_) => running_callback.map(Start::Bar),
                        Source::Timer(label) if label == SLEEP => fired
                            .get_mut(SLEEP)
                            .and_then(first)
                            .map(Start::Marker),
                        Source::Timer(_) => running_callback.map(Start::Bar),
                        Source::Io => io_marker.map(Start::Marker),
                        Source::Thread => {
                            Some(Start::Marker(layout.marker(THREADS)))
                        }
                        Source::Outside => None,
                    };
                    if tick_zero {
                        continue; // before the first tick: the program's start
                    }
                    let Some(from) = from else { continue };
                    let to_lane = layout.lane(task);
                    let after_bar = layout.bars.len();
                    layout.arrows.push(Arrow {
                        from,
                        to_lane,
                        after_bar,
                        spawn,
                    });
                }
            }
        }
        layout
    }
}

/// Takes the oldest of `markers`: timers that fired together run in order.
fn first(markers: &mut Vec<usize>) -> Option<usize> {
    (!markers.is_empty()).then(|| markers.remove(0))
}

/// Draws a trace's `events` as a timeline, as `drawing` says.
pub fn draw(events: &[Event], drawing: &Drawing<'_>) -> Svg {
    let layout = Layout::of(events, drawing);
    let io_ticks = io_ticks(&layout, drawing);
    let header = HEADER + drawing.heading.map_or(0.0, |_| HEADING);
    let slots: usize =
        layout.ticks.iter().map(|(bars, _)| (*bars).max(1)).sum();
    let slot_width = (PLOT_RIGHT - PLOT_LEFT) / slots.max(1) as f64;
    assert!(
        slot_width >= MIN_SLOT,
        "{slots} polls and callbacks do not fit in {WIDTH} px"
    );
    // Where each tick's column starts, and each bar's box.
    let mut column_left = Vec::with_capacity(layout.ticks.len() + 1);
    let mut x = PLOT_LEFT;
    for (bars, _) in &layout.ticks {
        column_left.push(x);
        x += (*bars).max(1) as f64 * slot_width;
    }
    column_left.push(x);
    let lane_y = |lane: usize| header + lane as f64 * LANE;
    let bar_box = |bar: &Bar| {
        let left = column_left[bar.tick] + bar.slot as f64 * slot_width;
        let top = lane_y(bar.lane) + (LANE - BAR) / 2.0;
        (left + 1.0, top, bar.weight as f64 * slot_width - 2.0, BAR)
    };
    let marker_point = |marker: &Marker| {
        let x = match marker.after {
            Some(bar) => {
                let (x, _, w, _) = bar_box(&layout.bars[bar]);
                x + w + 4.0
            }
            None => column_left[marker.tick] + 4.0,
        };
        (x, lane_y(marker.lane) + LANE / 2.0)
    };
    let lanes_bottom = lane_y(layout.lanes.len());
    let notes_height = if io_ticks.is_empty() {
        0.0
    } else {
        8.0 + io_ticks.len() as f64 * LINE_HEIGHT
    };
    let height = lanes_bottom + 26.0 + 48.0 + notes_height;
    let mut svg = Svg::new(WIDTH, height);
    if let Some(heading) = drawing.heading {
        svg.text(WIDTH / 2.0, 16.0, Anchor::Middle, "title", heading);
    }

    // Lanes: a faint rule under each, its name on the left.
    for (index, lane) in layout.lanes.iter().enumerate() {
        let name = lane.as_str();
        let y = lane_y(index);
        svg.line(PLOT_LEFT, y + LANE, PLOT_RIGHT, y + LANE, "faint");
        let class = if index < top_lanes(&layout) { "mono" } else { "" };
        svg.text(LABELS_RIGHT, y + LANE / 2.0 + 4.5, Anchor::End, class, name);
    }
    // Tick columns: a faint rule between ticks, the tick number below, the
    // loop time above wherever it changed.
    let mut last_time = None;
    let mut label_right = [f64::MIN; 2];
    for (tick, (_, time)) in layout.ticks.iter().enumerate() {
        let (left, right) = (column_left[tick], column_left[tick + 1]);
        svg.line(left, header - 4.0, left, lanes_bottom, "faint");
        let every = if slot_width >= 16.0 { 1 } else { 5 };
        if (tick + 1) % every == 0 || tick == 0 {
            let centre = (left + right) / 2.0;
            svg.text(
                centre,
                lanes_bottom + 17.0,
                Anchor::Middle,
                "",
                &(tick + 1).to_string(),
            );
        }
        // Labelled where the label changes: a real clock's ticks a few
        // microseconds apart share one.
        let label = millis(*time);
        if drawing.times == Times::Shown && last_time.as_ref() != Some(&label) {
            last_time = Some(label.clone());
            let width = label.len() as f64 * 7.0;
            let row = if left >= label_right[0] + 6.0 { 0 } else { 1 };
            label_right[row] = left + width;
            let y = header - 24.0 + row as f64 * 14.0;
            svg.line(left, y + 3.0, left, header - 4.0, "faint");
            svg.text(left + 2.0, y, Anchor::Start, "", &label);
        }
    }
    svg.line(PLOT_RIGHT, header - 4.0, PLOT_RIGHT, lanes_bottom, "faint");
    svg.text(LABELS_RIGHT, header - 24.0, Anchor::End, "", "loop time");
    if drawing.times == Times::Hidden {
        let note = "real clock: varies run to run";
        svg.text(PLOT_LEFT + 2.0, header - 24.0, Anchor::Start, "", note);
    }
    svg.text(LABELS_RIGHT, lanes_bottom + 17.0, Anchor::End, "", "tick");

    for bar in &layout.bars {
        let (x, y, w, h) = bar_box(bar);
        svg.rect(x, y, w, h, bar.class);
    }
    for marker in &layout.markers {
        let (x, y) = marker_point(marker);
        svg.circle(x, y, 3.5, "accent");
    }
    // A slow step: outlined in red, how long it took inside, and what the
    // marker after it is.
    for &(bar, step) in &layout.slow_bars {
        let (x, y, w, h) = bar_box(&layout.bars[bar]);
        svg.rect(x, y, w, h, "bad-line");
        let took = drawing.slow[step].took.as_secs_f64() * 1e3;
        let threshold = drawing.threshold.as_secs_f64() * 1e3;
        let label = format!("took {took:.1} ms, threshold {threshold} ms");
        svg.text(x + w / 2.0, y + h - 4.0, Anchor::Middle, "note", &label);
        let warning = layout.markers.iter().find(|m| m.after == Some(bar));
        if let Some(marker) = warning {
            let (mx, my) = marker_point(marker);
            let note = "slow-step warning";
            svg.text(mx - 7.0, my + 4.5, Anchor::End, "", note);
        }
    }
    for arrow in &layout.arrows {
        let Some(target) = layout.bars
            [arrow.after_bar.min(layout.bars.len())..]
            .iter()
            .find(|bar| bar.lane == arrow.to_lane)
        else {
            continue; // never polled again: the loop stopped first
        };
        let (from_x, from_y) = match arrow.from {
            Start::Bar(bar) => {
                let (x, y, w, h) = bar_box(&layout.bars[bar]);
                (x + w - 1.0, y + h / 2.0)
            }
            Start::Marker(marker) => marker_point(&layout.markers[marker]),
        };
        let (x, y, _, h) = bar_box(target);
        let centre = y + h / 2.0;
        let to_y = if (from_y - centre).abs() < 1.0 {
            centre // the same lane
        } else if from_y < centre {
            y
        } else {
            y + h
        };
        let class = if arrow.spawn { "grey-arrow" } else { "arrow" };
        svg.line(from_x, from_y, x + 1.0, to_y, class);
    }
    legend(&mut svg, lanes_bottom + 34.0);
    // The I/O notes: a number by each I/O marker, and what came in below.
    let mut y = lanes_bottom + 34.0 + 26.0 + 8.0;
    for (number, (marker, tick, note)) in io_ticks.iter().enumerate() {
        let (x, my) = marker_point(&layout.markers[*marker]);
        let number = (number + 1).to_string();
        svg.text(x + 4.0, my - 2.0, Anchor::Start, "bold", &number);
        y += LINE_HEIGHT;
        svg.text(8.0, y, Anchor::Start, "bold", &number);
        let line = format!("tick {}: {note}", tick + 1);
        svg.text(22.0, y, Anchor::Start, "", &line);
    }
    svg
}

/// The I/O markers of `layout` with `run`'s notes: (marker, tick, note)
/// each. Each marker must have woken the task its note names first: if the
/// run's I/O changed, its notes would lie, so drawing stops.
fn io_ticks<'a>(
    layout: &Layout,
    run: &Drawing<'a>,
) -> Vec<(usize, usize, &'a str)> {
    if run.io_notes.is_empty() {
        return Vec::new();
    }
    let io = layout.lanes.iter().position(|lane| lane == IO);
    let markers: Vec<usize> = (0..layout.markers.len())
        .filter(|&marker| Some(layout.markers[marker].lane) == io)
        .collect();
    let woke = |marker: usize| {
        layout.arrows.iter().find_map(|arrow| match arrow.from {
            Start::Marker(m) if m == marker => {
                Some(layout.lanes[arrow.to_lane].as_str())
            }
            _ => None,
        })
    };
    let found: Vec<Option<&str>> =
        markers.iter().map(|&marker| woke(marker)).collect();
    let expected: Vec<Option<&str>> =
        run.io_notes.iter().map(|(task, _)| Some(run.shown(task))).collect();
    assert_eq!(
        found, expected,
        "{}: the I/O events woke other tasks than its io_notes say; read \
         its trace (`cargo run -p figures --example traces`) and fix them",
        run.name
    );
    markers
        .iter()
        .zip(run.io_notes)
        .map(|(&marker, (_, note))| {
            (marker, layout.markers[marker].tick, *note)
        })
        .collect()
}

/// How many of the lanes are the timers, I/O and threads lanes.
fn top_lanes(layout: &Layout) -> usize {
    layout
        .lanes
        .iter()
        .take_while(|lane| {
            [WARNINGS, TIMERS, IO, THREADS].contains(&lane.as_str())
        })
        .count()
}

/// What the colours and arrows mean, in two rows.
fn legend(svg: &mut Svg, top: f64) {
    let items = [
        ("accent", "poll: pending"),
        ("good", "poll: done"),
        ("bad", "cancelled"),
        ("warm", "callback"),
    ];
    for (index, (class, label)) in items.iter().enumerate() {
        let x = 8.0 + index as f64 * 118.0;
        svg.rect(x, top, 14.0, 12.0, class);
        svg.text(x + 19.0, top + 11.0, Anchor::Start, "", label);
    }
    let y = top + 26.0;
    svg.line(8.0, y, 34.0, y, "arrow");
    svg.text(40.0, y + 4.5, Anchor::Start, "", "wakes");
    svg.line(126.0, y, 152.0, y, "grey-arrow");
    svg.text(158.0, y + 4.5, Anchor::Start, "", "spawns");
    svg.circle(248.0, y, 3.5, "accent");
    svg.text(256.0, y + 4.5, Anchor::Start, "", "timer fired, I/O, thread");
}

/// A loop time for a label: `0 ms`, `100 ms`, `1.5 s`.
fn millis(time: Duration) -> String {
    let ms = time.as_millis();
    if ms >= 1000 && ms.is_multiple_of(100) {
        format!("{} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}
