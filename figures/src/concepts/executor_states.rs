//! Chapter 13's `ConcurrentFuture` (`src/ch13_executors/`): its states,
//! pending, running and the two final ones, who moves it from one to the
//! next (the caller, a worker thread, the awaiting task), and what cancel()
//! can still do in each.

use super::layout::{MARGIN, WIDTH, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// The width of a state's box.
const STATE_W: f64 = 120.0;
/// The arrows down the left column run this far right of the margin.
const SPINE: f64 = MARGIN + 30.0;

/// The figure `executor-states`.
pub fn figure() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let full = WIDTH - 2.0 * MARGIN;
    let mut y = MARGIN;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        full,
        "box",
        "submit(job)",
        "run_in_executor, to_thread",
        &[
            "the job and its completer join the pool's queue;",
            "the caller gets the ConcurrentFuture to await",
        ],
    );
    let pending = y + 30.0;
    svg.arrow(SPINE, y, SPINE, pending - 2.0);
    let state_h = state(&mut svg, MARGIN, pending, "warm", "pending");
    let right = WIDTH - MARGIN - STATE_W;
    state(&mut svg, right, pending, "box", "cancelled");
    let mid = pending + state_h / 2.0;
    svg.arrow(MARGIN + STATE_W, mid, right - 2.0, mid);
    let centre = (MARGIN + STATE_W + right) / 2.0;
    svg.text(centre, mid - 6.0, Anchor::Middle, "mono", "cancel(): true");
    svg.text(
        centre,
        mid + 17.0,
        Anchor::Middle,
        "note",
        "or the await dropped",
    );
    svg.lines(
        right,
        pending + state_h + 17.0,
        Anchor::Start,
        "note",
        &["a worker reaching it:", "start() is false, the", "job is skipped"],
    );

    let running = pending + state_h + 62.0;
    down(
        &mut svg,
        pending + state_h,
        running,
        &["a worker thread takes the job:", "start() is true"],
    );
    state(&mut svg, MARGIN, running, "accent", "running");
    svg.lines(
        MARGIN + STATE_W + 10.0,
        running + 17.0,
        Anchor::Start,
        "note",
        &["cancel(): false; the job runs on"],
    );

    let finished = running + state_h + 62.0;
    down(
        &mut svg,
        running + state_h,
        finished,
        &["the job returns, or panics:", "complete(Ok(v) or Err(Panicked))"],
    );
    state(&mut svg, MARGIN, finished, "good", "finished");
    svg.lines(
        MARGIN + STATE_W + 10.0,
        finished + 12.0,
        Anchor::Start,
        "note",
        &[
            "even if the awaiting task was cancelled",
            "meanwhile: the result is then dropped",
        ],
    );

    let mut y = finished + state_h + 24.0;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        full,
        "accent",
        "entering finished or cancelled",
        "complete",
        &[
            "threads blocked in result() wake (a Condvar), and the",
            "awaiting task's waker is woken: from a worker thread,",
            "it pushes the task onto the loop's remote queue and",
            "wakes the poller",
        ],
    );
    let notes = [
        "result(): the value, taken once (again: ResultTaken);",
        "Err(Cancelled) if it never ran; Err(Panicked) if it panicked.",
        "run_coroutine_threadsafe's future stays pending while its task",
        "runs: cancel() works until the task ends, and cancels it.",
    ];
    svg.lines(MARGIN, y + 20.0, Anchor::Start, "note", &notes);
    svg.set_height(y + 20.0 + 3.0 * LINE_HEIGHT + MARGIN);
    super::figure(
        "executor-states",
        "A ConcurrentFuture's states: pending while its job waits in the \
         pool's queue, where cancel() still succeeds (cancelled, the job is \
         skipped); running once a worker takes it, where cancel() fails; \
         finished when the job returns or panics, even if the awaiting \
         task was cancelled meanwhile",
        svg,
    )
}

/// A state's box, one bold word; returns its height.
fn state(svg: &mut Svg, x: f64, y: f64, class: &str, name: &str) -> f64 {
    titled_box(svg, x, y, STATE_W, class, name, "", &[])
}

/// An arrow down the left column from `from` to `to`, `lines` beside it.
fn down(svg: &mut Svg, from: f64, to: f64, lines: &[&str]) {
    svg.arrow(SPINE, from, SPINE, to - 2.0);
    let top = (from + to) / 2.0 - (lines.len() as f64 - 1.0) * 8.0 + 4.0;
    svg.lines(SPINE + 8.0, top, Anchor::Start, "note", lines);
}
