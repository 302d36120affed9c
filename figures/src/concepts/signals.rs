//! Chapter 12's Unix signals: how one signal reaches its callback, and what
//! `aio::run` does with Ctrl-C.
//!
//! - `signal-path` (in `src/ch12_signals/`: `process_signals.rs`'s handler
//!   and table of slots, `delivery.rs`'s slot, `wakeup_pipe.rs`, and
//!   `handlers.rs`'s drain): one SIGHUP, from top to bottom, in two frames.
//!   In the signal-handler context (any thread, async-signal-safe calls
//!   only): the kernel interrupts a thread of the process to run the
//!   handler (installed once per signal through signal-hook-registry),
//!   which sets the signal's pending flag in the process-wide table and
//!   writes the signal's number, one byte, to the owning loop's self-pipe.
//!   In the loop's thread (ordinary Rust): the pipe's read end, registered
//!   with the poller, turns readable and its listener queues the drain
//!   callback, which reads the pipe empty and, byte by byte, swaps each
//!   signal's flag to false and queues its callback; the next tick runs it.
//! - `ctrl-c` (`src/ch01_coroutines/run.rs`, `src/ch12_signals/ctrl_c.rs`,
//!   and `delivery.rs`'s first-only slot): `aio::run` and Ctrl-C, in order:
//!   the main task runs, the first SIGINT's callback cancels it, its future
//!   is dropped (its `Drop` clean-up runs), the other tasks are cancelled
//!   and the loop closes, `aio::run` returns `Err(Interrupted)` and the
//!   program ends by SIGINT (`Signal::INT.exit_process()`: the shell shows
//!   130). Beside the clean-up, the side branch: a second SIGINT then ends
//!   the process at once, the signal handler itself taking the default
//!   action.

use super::layout::{
    MARGIN, Step, WIDTH, box_height, check_fit, flow_width, steps_column,
    titled_box,
};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// A frame around a group of steps: its inner padding, and the height of
/// its title and subtitle above the steps.
const ZONE_PAD: f64 = 8.0;
const ZONE_HEADER: f64 = 42.0;
/// The space between the two frames, which the signal's arrow crosses.
const ZONE_GAP: f64 = 34.0;

/// Where a group of steps runs: a framed part of the figure.
struct Zone<'a> {
    /// Where the steps run, in bold.
    title: &'a str,
    /// What may be done there, under the title.
    rule: &'a str,
    /// The frame's background: `stripe` (grey) or empty (none).
    background: &'a str,
    steps: &'a [Step<'a>],
}

/// The figure `signal-path`.
pub fn signal_path() -> Figure {
    let handler = [
        Step {
            title: "SIGHUP is delivered",
            tag: "kernel",
            lines: &[
                "to some thread of the process, which stops",
                "whatever it was doing to run the handler",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "the signal handler",
            tag: "signal-hook-registry",
            lines: &[
                "installed once per signal; it does two things:",
                "pending[SIGHUP] = true: an atomic flag in a",
                "  process-wide table, one slot per signal",
                "write(self-pipe, [1]): one byte, the signal's",
                "  number, to the pipe of the loop that owns it",
                "nothing else: no allocation, no lock. Then the",
                "  interrupted thread goes on",
            ],
            class: "warm",
            arrow: "",
            back: false,
        },
    ];
    let looping = [
        Step {
            title: "the pipe's read end turns readable",
            tag: "poller",
            lines: &[
                "it is registered with the loop's poller (mio on",
                "epoll): Poll::poll returns, the loop wakes, and",
                "the pipe's listener queues the drain callback",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "the drain callback",
            tag: "this tick",
            lines: &[
                "reads the pipe until it is empty; for each byte",
                "n, in the order the signals arrived:",
                "  pending[n].swap(false) was true: queue the",
                "    callback of signal n",
                "  was false: already queued, nothing to do",
            ],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "the SIGHUP callback runs",
            tag: "next tick",
            lines: &[
                "an ordinary loop callback: it may touch the",
                "loop's state, print, cancel tasks",
            ],
            class: "good",
            arrow: "",
            back: false,
        },
    ];
    let zones = [
        Zone {
            title: "signal-handler context",
            rule: "any thread; async-signal-safe calls only",
            background: "stripe",
            steps: &handler,
        },
        Zone {
            title: "the loop's thread",
            rule: "ordinary Rust: allocate, lock, print, ...",
            background: "",
            steps: &looping,
        },
    ];
    let notes = [
        "Many SIGHUPs before a drain: many bytes, one flag set, one",
        "callback. The flag is the truth, the byte a wake-up: a full",
        "pipe drops bytes, so each drain also takes any flag left set.",
    ];
    let heading = "one signal, from the kernel to its callback";
    let widest_step = zones
        .iter()
        .map(|zone| flow_width("", zone.steps, &[]))
        .fold(0.0, f64::max);
    let width = (widest_step + 2.0 * ZONE_PAD)
        .max(flow_width(heading, &[], &notes))
        .ceil()
        .min(WIDTH);
    let mut svg = Svg::new(width, 0.0);
    let mut y = MARGIN;
    svg.text(width / 2.0, y + 12.0, Anchor::Middle, "title", heading);
    y += 24.0;
    let mut previous_bottom = None;
    for zone in &zones {
        let bottom = draw_zone(&mut svg, y, zone);
        if let Some(from) = previous_bottom {
            // The byte crosses from one context into the other, right of
            // the frame's title and rule.
            let x = width * 0.8;
            svg.arrow(x, from, x, bottom.0 - 2.0);
            let label_x = x + 10.0;
            let label_y = y - ZONE_GAP / 2.0 + 4.0;
            svg.text(label_x, label_y, Anchor::Start, "note", "the byte");
        }
        previous_bottom = Some(bottom.1);
        y = bottom.2 + ZONE_GAP;
    }
    let mut y = y - ZONE_GAP + 6.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    svg.set_height(y + MARGIN);
    super::figure(
        "signal-path",
        "One signal's path. In the signal-handler context, on any thread \
         and with async-signal-safe calls only: the kernel delivers SIGHUP \
         to a thread of the process, whose signal handler sets the signal's \
         pending flag and writes its number, one byte, to the loop's \
         self-pipe. In the loop's thread, in ordinary Rust: the pipe turns \
         readable and the poller wakes; the drain callback reads every \
         byte, swaps each signal's flag to false and queues its callback; \
         the next tick runs the callback",
        svg,
    )
}

/// Draws `zone`'s frame from `y` down, its title and rule, and its steps
/// inside. Returns the top of its first step, the bottom of its last one
/// and the frame's bottom.
fn draw_zone(svg: &mut Svg, y: f64, zone: &Zone<'_>) -> (f64, f64, f64) {
    let (x, w) = (MARGIN, svg.width() - 2.0 * MARGIN);
    let inner = (x + ZONE_PAD, w - 2.0 * ZONE_PAD);
    // The frame is drawn first, for the steps to lie on top of it; its
    // height is known once they are laid out, so draw them twice.
    let mut scratch = Svg::new(svg.width(), 0.0);
    let top = y + ZONE_HEADER;
    let boxes = steps_column(&mut scratch, inner.0, top, inner.1, zone.steps);
    let last = boxes.last().map_or(top, |&(_, bottom)| bottom);
    let bottom = last + ZONE_PAD;
    if !zone.background.is_empty() {
        svg.rect(x, y, w, bottom - y, zone.background);
    }
    svg.rect(x, y, w, bottom - y, "frame");
    svg.text(inner.0, y + 19.0, Anchor::Start, "bold", zone.title);
    svg.text(inner.0, y + 35.0, Anchor::Start, "note", zone.rule);
    check_fit(w, "bold", &[zone.title]);
    check_fit(w, "note", &[zone.rule]);
    steps_column(svg, inner.0, top, inner.1, zone.steps);
    (top, last, bottom)
}

/// The figure `ctrl-c`.
pub fn ctrl_c() -> Figure {
    let steps = [
        Step {
            title: "the main task runs",
            tag: "aio::run",
            lines: &[
                "SIGINT had its default",
                "action, so run added",
                "a SIGINT callback",
            ],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "the first SIGINT",
            tag: "",
            lines: &["the handler sets its flag", "and writes the self-pipe"],
            class: "warm",
            arrow: "Ctrl-C",
            back: false,
        },
        Step {
            title: "run's SIGINT callback",
            tag: "loop",
            lines: &["cancels the main task"],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "the main future is dropped",
            tag: "",
            lines: &["its Drop clean-up runs"],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "the other tasks are cancelled",
            tag: "",
            lines: &["then the loop closes"],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "aio::run returns",
            tag: "to main",
            lines: &["Err(Error::Interrupted)"],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "Signal::INT.exit_process()",
            tag: "",
            lines: &["the process ends by SIGINT:", "the shell shows 130"],
            class: "bad",
            arrow: "",
            back: false,
        },
    ];
    // The steps as narrow as their texts, the side branch on their right.
    let main_w = flow_width("", &steps, &[]) - 2.0 * MARGIN;
    let (gap, side_w) = (28.0, 140.0);
    let width = (2.0 * MARGIN + main_w + gap + side_w).min(WIDTH);
    let mut svg = Svg::new(width, 0.0);
    let mut y = MARGIN;
    let heading = "aio::run and Ctrl-C";
    svg.text(width / 2.0, y + 12.0, Anchor::Middle, "title", heading);
    y += 24.0;
    let boxes = steps_column(&mut svg, MARGIN, y, main_w, &steps);
    let (cleanup_top, cleanup_bottom) = (boxes[3].0, boxes[4].1);
    draw_second_sigint(
        &mut svg,
        MARGIN + main_w,
        (cleanup_top, cleanup_bottom),
        side_w,
    );
    let notes = ["A SIGINT handler the program adds itself replaces all this."];
    let mut y = boxes.last().map_or(y, |&(_, bottom)| bottom) + 6.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    svg.set_height(y + MARGIN);
    super::figure(
        "ctrl-c",
        "What aio::run does with Ctrl-C: the main task runs; the first \
         SIGINT's callback cancels it; its future is dropped and its Drop \
         clean-up runs; the other tasks are cancelled and the loop closes; \
         aio::run returns Err(Interrupted); Signal::INT.exit_process() ends \
         the program by SIGINT, and the shell shows 130. Beside the \
         clean-up: a second SIGINT there makes the signal handler itself \
         take the default action, and the process ends at once",
        svg,
    )
}

/// The side branch of `ctrl-c`: beside the clean-up (the main column's
/// right edge at `edge`, the clean-up from `span.0` to `span.1`), a
/// bracket, and an arrow to what a second SIGINT does.
fn draw_second_sigint(svg: &mut Svg, edge: f64, span: (f64, f64), w: f64) {
    let bracket = edge + 6.0;
    svg.polyline(
        &[
            (edge + 2.0, span.0),
            (bracket, span.0),
            (bracket, span.1),
            (edge + 2.0, span.1),
        ],
        "line",
    );
    let x = svg.width() - MARGIN - w;
    let lines = [
        "during the clean-up:",
        "the signal handler",
        "itself takes the",
        "default action, and",
        "the process ends",
        "at once",
    ];
    let h = box_height(lines.len() + 1);
    let top = (span.0 + span.1 - h) / 2.0;
    let middle = (span.0 + span.1) / 2.0;
    svg.line(bracket, middle, x - 2.0, middle, "bad-arrow");
    titled_box(svg, x, top, w, "bad", "a second SIGINT", "", &lines);
}
