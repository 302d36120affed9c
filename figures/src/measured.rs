//! Figures of a real run on the real clock, measured once and committed as
//! data: chapter 13's ticker, frozen by a blocking call on the loop's
//! thread, then ticking on while the same call runs on a worker thread.
//!
//! Wall-clock times differ from run to run, so the figure cannot be drawn
//! from a run made while drawing (it would be stale at random). Instead
//! [`measure`] runs the program and `cargo run -p figures --example
//! record_blocking` writes what it measured to `figures/data/NAME.tsv`
//! (the command is in the file); the figure is drawn from that file, so
//! `tests/fresh.rs` checks it against its data exactly, and
//! `tests/measured.rs` runs the program again and checks that the data's
//! shape still holds: with the call on the loop, the ticker's longest gap
//! is at least the call; with it on a thread, the ticker ticks while the
//! call runs.

use crate::Figure;
use crate::bench_data::Data;
use crate::concepts::layout::{self, MARGIN, WIDTH};
use crate::svg::{Anchor, Svg, text_width};
use aio::ClockKind;
use std::time::{Duration, Instant};

/// The ticker's sleep between two ticks.
pub const TICK: Duration = Duration::from_millis(10);
/// The blocking call: `std::thread::sleep` for this long.
pub const BLOCKING: Duration = Duration::from_millis(100);
/// When the call is made, after the start.
const CALL_AT: Duration = Duration::from_millis(40);
/// How long the ticker ticks.
const RUN_FOR: Duration = Duration::from_millis(200);

/// The data file's name in `figures/data/`, and the figure's.
pub const NAME: &str = "timeline-blocking-call";

/// Where the blocking call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In the task, on the loop's thread.
    OnTheLoop,
    /// Handed to the loop's default executor (`aio::to_thread`), the task
    /// awaiting its result.
    OnAThread,
}

impl Placement {
    /// Both, in the order the figure shows them.
    pub const BOTH: [Placement; 2] =
        [Placement::OnTheLoop, Placement::OnAThread];

    /// The name in the data file.
    pub fn name(self) -> &'static str {
        match self {
            Placement::OnTheLoop => "on-the-loop",
            Placement::OnAThread => "on-a-thread",
        }
    }
}

/// One run, in milliseconds since its start.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Where the call ran.
    pub placement: Placement,
    /// When the ticker ticked.
    pub ticks: Vec<f64>,
    /// When the blocking call began and ended, where it ran.
    pub call: (f64, f64),
    /// With the call on a thread: when the task began to await it, and
    /// when it went on.
    pub awaited: Option<(f64, f64)>,
}

impl Measured {
    /// The longest time between two ticks, and when it began.
    pub fn longest_gap(&self) -> (f64, f64) {
        self.ticks.windows(2).map(|pair| (pair[1] - pair[0], pair[0])).fold(
            (0.0, 0.0),
            |longest, gap| {
                if gap.0 > longest.0 { gap } else { longest }
            },
        )
    }

    /// How many ticks fell while the call ran.
    pub fn ticks_during_call(&self) -> usize {
        let (begun, ended) = self.call;
        self.ticks.iter().filter(|&&t| t > begun && t < ended).count()
    }
}

/// Runs the ticker beside a task that makes the blocking call, on a real
/// clock loop, and measures when each thing happened.
///
/// # Panics
///
/// If the loop fails: a measurement of a broken run is worth nothing.
pub fn measure(placement: Placement) -> Measured {
    let outcome = aio::with_clock(ClockKind::Real, || {
        aio::run(async move {
            let start = Instant::now();
            let ms = move || start.elapsed().as_secs_f64() * 1000.0;
            let ticker = aio::spawn(async move {
                let mut ticks = Vec::new();
                while ms() < RUN_FOR.as_secs_f64() * 1000.0 {
                    ticks.push(ms());
                    aio::sleep(TICK).await;
                }
                ticks
            })?;
            aio::sleep(CALL_AT).await;
            let (call, awaited) = match placement {
                Placement::OnTheLoop => {
                    let begun = ms();
                    std::thread::sleep(BLOCKING);
                    ((begun, ms()), None)
                }
                Placement::OnAThread => {
                    let called = ms();
                    let call = aio::to_thread(move || {
                        let begun = ms();
                        std::thread::sleep(BLOCKING);
                        (begun, ms())
                    })
                    .await?;
                    (call, Some((called, ms())))
                }
            };
            let ticks = ticker.await.map_err(|error| error.to_string())?;
            Ok::<_, Box<dyn std::error::Error>>(Measured {
                placement,
                ticks,
                call,
                awaited,
            })
        })
    });
    match outcome {
        Ok(Ok(measured)) => measured,
        Ok(Err(error)) => panic!("the measured run failed: {error}"),
        Err(error) => panic!("the measured run's loop failed: {error}"),
    }
}

/// The directory of the committed measurements.
pub fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The measurements as a data file, saying how they were made and on what
/// `machine` (see [`crate::bench_data::machine`]).
pub fn to_data(runs: &[Measured], machine: &str) -> Data {
    let mut data = Data::new(&["run", "event", "ms"]);
    data.set_meta("command", "cargo run -p figures --example record_blocking");
    data.set_meta(
        "note",
        &format!(
            "a ticker sleeping {} ms between ticks for {} ms; {} ms in, \
             another task calls std::thread::sleep({} ms), on the loop's \
             thread, then on a worker thread through aio::to_thread; ms \
             since the loop started",
            TICK.as_millis(),
            RUN_FOR.as_millis(),
            CALL_AT.as_millis(),
            BLOCKING.as_millis()
        ),
    );
    data.set_meta("machine", machine);
    for run in runs {
        let mut push = |event: &str, ms: f64| {
            let cells = [run.placement.name(), event, &format!("{ms:.1}")];
            data.push(cells.map(str::to_owned).to_vec());
        };
        for &tick in &run.ticks {
            push("tick", tick);
        }
        push("call-begun", run.call.0);
        push("call-ended", run.call.1);
        if let Some((called, resumed)) = run.awaited {
            push("awaited", called);
            push("resumed", resumed);
        }
    }
    data
}

/// The measurements a data file holds, in the order of [`Placement::BOTH`].
///
/// # Panics
///
/// If a run or one of its events is missing: record the data again.
pub fn from_data(data: &Data) -> Vec<Measured> {
    Placement::BOTH
        .iter()
        .map(|&placement| {
            let events: Vec<(&str, f64)> = data
                .rows()
                .filter(|row| row.get("run") == placement.name())
                .map(|row| (row.get("event"), row.number("ms")))
                .collect();
            let find = |wanted: &str| {
                events.iter().find(|(event, _)| *event == wanted).map(|e| e.1)
            };
            let missing = |event| {
                panic!(
                    "{NAME}.tsv has no {event} for {}: record it again with \
                     `{}`",
                    placement.name(),
                    data.meta("command")
                )
            };
            let begun =
                find("call-begun").unwrap_or_else(|| missing("call-begun"));
            let ended =
                find("call-ended").unwrap_or_else(|| missing("call-ended"));
            Measured {
                placement,
                ticks: events
                    .iter()
                    .filter(|(event, _)| *event == "tick")
                    .map(|e| e.1)
                    .collect(),
                call: (begun, ended),
                awaited: find("awaited").zip(find("resumed")),
            }
        })
        .collect()
}

/// The committed measurements.
///
/// # Panics
///
/// If the data file is missing or unreadable: record it again.
pub fn committed() -> Vec<Measured> {
    let data = Data::load(&data_dir(), NAME).unwrap_or_else(|error| {
        panic!(
            "{error}: record it with `cargo run -p figures --example \
             record_blocking`"
        )
    });
    from_data(&data)
}

/// Every figure of this kind, from the committed data.
pub fn all() -> Vec<Figure> {
    vec![blocking_call(&committed())]
}

// ---------------------------------------------------------------- drawing

/// The axis's last time, in ms.
const UNTIL: f64 = 200.0;
const LANE_NAMES: f64 = 96.0;
const LANE: f64 = 30.0;

fn x_of(ms: f64) -> f64 {
    let (left, right) = (MARGIN + LANE_NAMES, WIDTH - MARGIN - 6.0);
    left + (right - left) * ms.clamp(0.0, UNTIL) / UNTIL
}

/// The figure: the two runs one above the other, on one time axis.
fn blocking_call(runs: &[Measured]) -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let mut y = MARGIN;
    let heading = "a ticker meant to tick every 10 ms (real run)";
    svg.text(WIDTH / 2.0, y + 12.0, Anchor::Middle, "title", heading);
    y += 26.0;
    for run in runs {
        y = draw_run(&mut svg, run, y) + 14.0;
    }
    y += 8.0;
    for note in [
        "Each dot is one tick, when the ticker actually ran. On the loop,",
        "the sleep holds the only thread that runs tasks: no tick, no",
        "timer, no I/O until it returns. On a thread, the task waits and",
        "the loop goes on. One real run, recorded by the example",
        "record_blocking in figures/data/; times vary run to run.",
    ] {
        svg.text(MARGIN, y, Anchor::Start, "note", note);
        y += crate::svg::LINE_HEIGHT;
    }
    svg.set_height(y + MARGIN - 4.0);
    for text in svg.overflowing() {
        layout::misfit(format!("{text:?} runs off the canvas"));
    }
    let problems = layout::take_misfits();
    assert!(problems.is_empty(), "{NAME}: {problems:?}");
    let [on_loop, on_thread] = [&runs[0], &runs[1]];
    let title = format!(
        "Measured: a ticker meant to tick every 10 ms. With \
         std::thread::sleep(100 ms) called on the loop's thread, no tick \
         for {:.0} ms; with the same call on a worker thread, it ticks on \
         ({} ticks during the call, longest gap {:.0} ms)",
        on_loop.longest_gap().0,
        on_thread.ticks_during_call(),
        on_thread.longest_gap().0
    );
    Figure::new(NAME, svg.finish(&title))
}

/// Draws one run from `y` down: its heading, the axis, the ticker's lane,
/// the call's lane(s). Returns the bottom.
fn draw_run(svg: &mut Svg, run: &Measured, y: f64) -> f64 {
    let heading = match run.placement {
        Placement::OnTheLoop => "on the loop: std::thread::sleep(100 ms)",
        Placement::OnAThread => "on a thread: aio::to_thread(|| sleep(..))",
    };
    let mut y = y + 12.0;
    svg.text(MARGIN, y, Anchor::Start, "mono", heading);
    y += 20.0;
    svg.text(MARGIN, y, Anchor::Start, "note", "time (ms)");
    for tick in [0.0, 50.0, 100.0, 150.0, 200.0] {
        let label = format!("{tick:.0}");
        svg.text(x_of(tick), y, Anchor::Middle, "note", &label);
    }
    y += 6.0;
    svg.line(x_of(0.0), y, x_of(UNTIL), y, "line");
    let top = y;
    y += 4.0;
    // The ticker: a dot per tick, the longest gap bracketed.
    let mid = y + LANE / 2.0;
    svg.text(MARGIN, mid + 4.5, Anchor::Start, "bold", "ticker");
    svg.line(x_of(0.0), mid, x_of(UNTIL), mid, "faint");
    for &tick in &run.ticks {
        svg.circle(x_of(tick), mid, 4.0, "accent");
    }
    y += LANE;
    let (gap, from) = run.longest_gap();
    let frozen = run.placement == Placement::OnTheLoop;
    if frozen {
        // The frozen stretch, in red between the two ticks around it.
        svg.line(
            x_of(from) + 5.0,
            mid,
            x_of(from + gap) - 5.0,
            mid,
            "bad-line",
        );
    }
    // The call: where it ran, and for the thread, the task waiting.
    let (begun, ended) = run.call;
    let call_lanes: Vec<(&str, f64, f64, &str, &str)> = match run.placement {
        Placement::OnTheLoop => vec![(
            "the task",
            begun,
            ended,
            "bad",
            "sleeps on the loop's thread",
        )],
        Placement::OnAThread => vec![
            (
                "the task",
                run.awaited.map_or(begun, |(called, _)| called),
                run.awaited.map_or(ended, |(_, resumed)| resumed),
                "warm",
                "awaits: the loop is free",
            ),
            (
                "worker thread",
                begun,
                ended,
                "good",
                "std::thread::sleep(100 ms)",
            ),
        ],
    };
    for (name, start, end, class, label) in call_lanes {
        let bar_top = y + 4.0;
        svg.text(MARGIN, bar_top + 11.5, Anchor::Start, "bold", name);
        let (x0, x1) = (x_of(start), x_of(end));
        svg.rect(x0, bar_top, x1 - x0, 14.0, class);
        let label_x = x0 + (x1 - x0) / 2.0;
        svg.text(label_x, bar_top + 30.0, Anchor::Middle, "note", label);
        y += 42.0;
    }
    for (ms, class) in [(begun, "dashed"), (ended, "dashed")] {
        svg.line(x_of(ms), top, x_of(ms), y, class);
    }
    // The longest gap, in words, under the lanes, centred on the call.
    y += 14.0;
    let words = if frozen {
        format!("no tick for {gap:.0} ms: the loop was frozen")
    } else {
        format!(
            "{} ticks during the call; longest gap {gap:.0} ms",
            run.ticks_during_call()
        )
    };
    let class = if frozen { "bold" } else { "" };
    let half = text_width(class, &words) / 2.0;
    let centre = ((x_of(begun) + x_of(ended)) / 2.0)
        .clamp(MARGIN + half, WIDTH - MARGIN - half);
    svg.text(centre, y, Anchor::Middle, class, &words);
    y
}
