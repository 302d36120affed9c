//! Chapter 13's pools (`src/ch13_executors/`): where a job goes and how
//! its result comes back to the task that awaits it.
//!
//! - `executor-pool` (the thread pool, `run_in_executor`, the
//!   `ConcurrentFuture`): on the left the loop's thread, with the task, the
//!   remote queue and the poller; in the middle what the threads share, the
//!   pool's queue (a `VecDeque` behind a `Mutex`, and a `Condvar`) and the future's
//!   state; on the right the worker threads. Numbered arrows follow one
//!   job: submitted, taken by a worker, started (or skipped, if cancelled),
//!   run, completed; completing wakes the task's waker, which pushes the
//!   task onto the remote queue and wakes the poller (chapter 1's
//!   cross-thread door, `cross-thread-wake`); the loop polls the task.
//! - `executor-process-pool` (`process_pool.rs`, `worker_process.rs`,
//!   `pool_frames.rs`, `worker_serve.rs`): the pool is a thread pool of
//!   dispatcher threads, each owning at most one worker process (this
//!   program run again as a worker), and talking to it over two pipes: a
//!   request frame down, a reply frame back.

use super::layout::{MARGIN, WIDTH, check_fit, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// A column of boxes: its left edge and width.
#[derive(Clone, Copy)]
struct Column {
    x: f64,
    w: f64,
}

/// The inner padding of a frame, and the room its title takes.
const FRAME_PAD: f64 = 7.0;
const FRAME_TITLE: f64 = 26.0;

/// A box placed on the canvas: its left, top, width and height.
#[derive(Clone, Copy)]
struct Placed {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Placed {
    fn right(self) -> f64 {
        self.x + self.w
    }
    fn bottom(self) -> f64 {
        self.y + self.h
    }
    /// A point on the left or right edge, `dy` below the top.
    fn left_at(self, dy: f64) -> (f64, f64) {
        (self.x, self.y + dy)
    }
    fn right_at(self, dy: f64) -> (f64, f64) {
        (self.right(), self.y + dy)
    }
}

/// Draws a titled box and returns where it is.
fn place(
    svg: &mut Svg,
    column: Column,
    y: f64,
    class: &str,
    title: &str,
    lines: &[&str],
) -> Placed {
    let h = titled_box(svg, column.x, y, column.w, class, title, "", lines);
    Placed { x: column.x, y, w: column.w, h }
}

/// A frame from `top` to `bottom` around a column, titled above its boxes.
fn frame(svg: &mut Svg, column: Column, top: f64, bottom: f64, title: &str) {
    let (x, w) = (column.x - FRAME_PAD, column.w + 2.0 * FRAME_PAD);
    svg.rect(x, top, w, bottom - top, "stripe");
    svg.rect(x, top, w, bottom - top, "frame");
    check_fit(w, "bold", &[title]);
    svg.text(x + w / 2.0, top + 18.0, Anchor::Middle, "bold", title);
}

/// A step's number in a circle, centred at (`x`, `y`).
fn number(svg: &mut Svg, x: f64, y: f64, n: usize) {
    svg.circle(x, y, 8.5, "accent");
    svg.text(x, y + 4.5, Anchor::Middle, "bold", &n.to_string());
}

/// Where a [`step`]'s number goes, by its arrow's middle.
#[derive(Clone, Copy)]
enum Label {
    /// Above it, for a flat arrow.
    Above,
    /// Right of it, for an upright one.
    Beside,
    /// Left of it.
    Left,
}
use Label::{Above, Beside, Left};

/// An arrow from `from` to `to`, numbered `n` by its middle.
fn step(svg: &mut Svg, from: (f64, f64), to: (f64, f64), at: Label, n: usize) {
    svg.line(from.0, from.1, to.0, to.1, "arrow");
    let (x, y) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
    match at {
        Above => number(svg, x, y - 12.0, n),
        Beside => number(svg, x + 14.0, y, n),
        Left => number(svg, x - 12.0, y - 4.0, n),
    }
}

/// The numbered steps, under the drawing from `y` down; returns the bottom.
fn legend(svg: &mut Svg, y: f64, steps: &[&str], notes: &[&str]) -> f64 {
    let mut y = y;
    for (i, text) in steps.iter().enumerate() {
        number(svg, MARGIN + 8.5, y + 8.0, i + 1);
        svg.text(MARGIN + 24.0, y + 12.5, Anchor::Start, "", text);
        y += 22.0;
    }
    y += 4.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    y
}

/// The figure `executor-pool`.
pub fn thread_pool() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    // Three columns, 24 px apart: room for a numbered arrow between two.
    let looping = Column { x: MARGIN + FRAME_PAD, w: 120.0 };
    let shared = Column { x: looping.x + looping.w + 24.0, w: 138.0 };
    let workers = Column { x: WIDTH - MARGIN - FRAME_PAD - 122.0, w: 122.0 };
    let heading = "a job's way to a worker, and the wake's way back";
    svg.text(WIDTH / 2.0, MARGIN + 12.0, Anchor::Middle, "title", heading);
    let top = MARGIN + 26.0;
    let first = top + FRAME_TITLE;

    // Frames first, for the boxes to lie on them: their heights are fixed.
    let bottom = first + 250.0;
    frame(&mut svg, looping, top, bottom, "the loop's thread");
    frame(&mut svg, workers, top, bottom, "worker threads");
    svg.text(
        shared.x + shared.w / 2.0,
        top + 18.0,
        Anchor::Middle,
        "bold",
        "shared",
    );

    let task = place(
        &mut svg,
        looping,
        first,
        "accent",
        "the task",
        &["awaits its job's", "future"],
    );
    // Up the loop's column: the push, the poller's wake, the poll.
    let poller = place(
        &mut svg,
        looping,
        first + 96.0,
        "box",
        "the poller",
        &["asleep in poll"],
    );
    let remote = place(
        &mut svg,
        looping,
        first + 176.0,
        "warm",
        "remote queue",
        &["a VecDeque", "behind a Mutex"],
    );
    let queue = place(
        &mut svg,
        shared,
        first,
        "warm",
        "the pool's queue",
        &["VecDeque<Job>", "behind a Mutex,", "and a Condvar"],
    );
    let state = place(
        &mut svg,
        shared,
        first + 124.0,
        "box",
        "the future's state",
        &["pending, running,", "finished, cancelled;", "the task's waker"],
    );
    let worker = place(
        &mut svg,
        workers,
        first,
        "good",
        "worker 1",
        &["pops the job;", "start(), job(),", "complete(result)"],
    );
    let idle = place(
        &mut svg,
        workers,
        first + 92.0,
        "box",
        "worker 2, ...",
        &["as many as", "max_workers"],
    );
    svg.lines(
        workers.x,
        idle.bottom() + 20.0,
        Anchor::Start,
        "note",
        &["idle_timeout (10 s)", "idle: a thread exits"],
    );

    // The task leaves its waker in the future's state when it awaits.
    svg.line(
        task.right(),
        task.y + 48.0,
        state.x - 2.0,
        state.y + 20.0,
        "grey-arrow",
    );
    step(&mut svg, task.right_at(22.0), queue.left_at(22.0), Above, 1);
    step(&mut svg, queue.right_at(30.0), worker.left_at(30.0), Above, 2);
    step(&mut svg, worker.left_at(54.0), state.right_at(20.0), Left, 3);
    step(&mut svg, state.left_at(66.0), remote.right_at(24.0), Above, 4);
    let spine = looping.x + looping.w / 2.0;
    step(
        &mut svg,
        (spine, remote.y),
        (spine, poller.bottom() + 2.0),
        Beside,
        5,
    );
    step(&mut svg, (spine, poller.y), (spine, task.bottom() + 2.0), Beside, 6);

    let steps = [
        "run_in_executor: push the job, which holds its completer",
        "notify_one: an idle worker pops it (none idle: a new thread)",
        "start(): running (cancelled: skip); job(); complete",
        "completing wakes the task's waker: the task is pushed",
        "the push wakes the poller, from the worker thread",
        "the loop drains that queue and polls the task: Ready",
    ];
    let notes = [
        "Grey: awaiting, the task leaves its waker in the future's state.",
        "Steps 4 and 5 are chapter 1's cross-thread door.",
        "A panic in the job is caught: the result is Err(Panicked).",
    ];
    let y = legend(&mut svg, bottom + 14.0, &steps, &notes);
    svg.set_height(y + MARGIN);
    super::figure(
        "executor-pool",
        "A thread pool at work. The task calls run_in_executor: the job and \
         its completer go into the pool's queue, a VecDeque behind a Mutex, \
         with a Condvar, and the task awaits. An idle worker thread (or a new one, \
         up to max_workers) takes the job, starts it unless it was \
         cancelled, runs it and completes the future; completing wakes the \
         task's waker, which pushes the task onto the loop's remote queue \
         and wakes the poller; the loop polls the task, which gets the result",
        svg,
    )
}

/// The figure `executor-process-pool`.
pub fn process_pool() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let heading = "a process pool: one worker process per dispatcher";
    svg.text(WIDTH / 2.0, MARGIN + 12.0, Anchor::Middle, "title", heading);
    let ours = Column { x: MARGIN + FRAME_PAD, w: 150.0 };
    let theirs = Column { x: WIDTH - MARGIN - FRAME_PAD - 170.0, w: 170.0 };
    let top = MARGIN + 26.0;
    let first = top + FRAME_TITLE;
    let bottom = first + 176.0;
    frame(&mut svg, ours, top, bottom, "our process");
    frame(&mut svg, theirs, top, bottom, "a worker process");
    let dispatcher = place(
        &mut svg,
        ours,
        first,
        "good",
        "dispatcher thread",
        &[
            "a thread of a thread",
            "pool; it takes a",
            "PoolCall, writes it,",
            "blocks on the reply",
        ],
    );
    let future = place(
        &mut svg,
        ours,
        dispatcher.bottom() + 12.0,
        "box",
        "ConcurrentFuture",
        &["completed with the", "reply, or an error"],
    );
    let worker = place(
        &mut svg,
        theirs,
        first,
        "accent",
        "serve_if_worker()",
        &[
            "this program run again",
            "with the worker flag:",
            "serve_if_worker() finds",
            "the function by name,",
            "calls it, replies",
        ],
    );
    let (left, right) = (dispatcher.right(), worker.x);
    let middle = (left + right) / 2.0;
    let (down, up) = (dispatcher.y + 22.0, dispatcher.y + 72.0);
    svg.arrow(left, down, right - 2.0, down);
    svg.text(middle, down - 6.0, Anchor::Middle, "note", "request pipe");
    svg.text(middle, down + 15.0, Anchor::Middle, "note", "(name, argument)");
    svg.arrow(right, up, left + 2.0, up);
    svg.text(middle, up - 6.0, Anchor::Middle, "note", "reply pipe");
    svg.text(middle, up + 15.0, Anchor::Middle, "note", "(tag, result)");
    svg.line(
        dispatcher.x + 24.0,
        dispatcher.bottom(),
        future.x + 24.0,
        future.y - 2.0,
        "arrow",
    );
    svg.lines(
        theirs.x,
        worker.bottom() + 20.0,
        Anchor::Start,
        "note",
        &[
            "it exits when its request",
            "pipe closes, and dies",
            "with its parent",
        ],
    );
    let notes = [
        "A frame: a 4-byte length, then postcard bytes. The worker's first",
        "frame is a hello. A thread starts its worker for its first job,",
        "and reaps it when the thread ends (idle, or at shutdown). A",
        "worker that dies mid-job fails that job with BrokenWorker; the",
        "thread's next job starts a new one: the pool recovers.",
    ];
    let mut y = bottom + 6.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    svg.set_height(y + MARGIN);
    super::figure(
        "executor-process-pool",
        "A process pool: each dispatcher thread of the pool owns one worker \
         process, the same program run again as a pool worker. It writes a \
         request frame, the function's name and its argument, down one \
         pipe; the worker calls the function and writes a reply frame, the \
         result or an error, up the other; the dispatcher completes the \
         job's ConcurrentFuture with it",
        svg,
    )
}
