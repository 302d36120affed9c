//! A task's life (`TaskState` in `seam.rs`, `run`, `request_cancel` and
//! `complete` in `task_cell.rs`): pending, cancelling, and the two final
//! states, with the tick in which each step happens.

use super::layout::{MARGIN, WIDTH, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// The figure `task-states`.
pub fn figure() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let state_w = 132.0;
    let right = WIDTH - MARGIN - state_w;
    let mut y = MARGIN;
    let spawn = titled_box(
        &mut svg,
        MARGIN,
        y,
        WIDTH - 2.0 * MARGIN,
        "box",
        "spawn(f) in tick t",
        "create_task",
        &["the task goes to the back of the ready queue"],
    );
    y += spawn;
    let pending_y = y + 44.0;
    svg.arrow(MARGIN + 30.0, y, MARGIN + 30.0, pending_y - 2.0);
    svg.text(
        MARGIN + 38.0,
        y + 26.0,
        Anchor::Start,
        "note",
        "first poll: tick t+1 (or the loop's first tick)",
    );
    let state = titled_box(
        &mut svg,
        MARGIN,
        pending_y,
        state_w,
        "warm",
        "pending",
        "",
        &[],
    );
    titled_box(
        &mut svg,
        right,
        pending_y,
        state_w,
        "good",
        "finished",
        "",
        &[],
    );
    let mid = pending_y + state / 2.0;
    svg.arrow(MARGIN + state_w, mid, right - 2.0, mid);
    svg.text(WIDTH / 2.0, mid - 6.0, Anchor::Middle, "note", "poll: Ready,");
    svg.text(WIDTH / 2.0, mid + 16.0, Anchor::Middle, "note", "or a panic");

    let cancelling_y = pending_y + state + 62.0;
    svg.arrow(
        MARGIN + 30.0,
        pending_y + state,
        MARGIN + 30.0,
        cancelling_y - 2.0,
    );
    svg.lines(
        MARGIN + 38.0,
        pending_y + state + 24.0,
        Anchor::Start,
        "note",
        &[
            "cancel() in tick k: true; the task is queued,",
            "unless it is already",
        ],
    );
    titled_box(
        &mut svg,
        MARGIN,
        cancelling_y,
        state_w,
        "warm",
        "cancelling",
        "",
        &[],
    );
    svg.lines(
        MARGIN + state_w + 10.0,
        cancelling_y + 17.0,
        Anchor::Start,
        "note",
        &["cancel() again: true, nothing changes"],
    );

    let cancelled_y = cancelling_y + state + 84.0;
    svg.arrow(
        MARGIN + 30.0,
        cancelling_y + state,
        MARGIN + 30.0,
        cancelled_y - 2.0,
    );
    svg.lines(
        MARGIN + 38.0,
        cancelling_y + state + 24.0,
        Anchor::Start,
        "note",
        &[
            "the loop reaches its queue entry (tick k+1, or later",
            "in tick k): run() drops the future in place, and",
            "its Drop code runs now",
        ],
    );
    titled_box(
        &mut svg,
        MARGIN,
        cancelled_y,
        state_w,
        "box",
        "cancelled",
        "",
        &[],
    );
    svg.lines(
        MARGIN + state_w + 10.0,
        cancelled_y + 17.0,
        Anchor::Start,
        "note",
        &["cancel() on either final state: false"],
    );
    let mut y = cancelled_y + state + 14.0;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        WIDTH - 2.0 * MARGIN,
        "accent",
        "entering finished or cancelled",
        "complete",
        &[
            "awaiters are woken; the loop forgets the task;",
            "done-callbacks are call_soon'd: they run next tick",
            "cancelled during its own poll: if that poll returns,",
            "cancelled; if it panics, finished",
        ],
    );
    let notes = [
        "close(): a task not yet final is dropped and marked cancelled",
        "at once; its done-callbacks are dropped without running.",
    ];
    svg.lines(MARGIN, y + 20.0, Anchor::Start, "note", &notes);
    svg.set_height(y + 20.0 + LINE_HEIGHT + MARGIN);
    super::figure(
        "task-states",
        "A task's states: pending until its poll returns or panics \
         (finished), or until cancel() makes it cancelling; the loop then \
         drops its future when it reaches the task's queue entry (cancelled)",
        svg,
    )
}
