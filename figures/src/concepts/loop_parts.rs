//! The loop and its parts (concepts page): the poller, the timers, the
//! remote queue, the ready queue and the run step, and the two paths a wake
//! takes: a plain push on the loop's thread, or the remote queue and the
//! poller's waker from any other thread (`waker.rs`, `remote.rs`, `tick.rs`).

use super::layout::{MARGIN, WIDTH, titled_box};
use crate::Figure;
use crate::svg::{Anchor, Svg};

/// The figure `loop-parts`.
pub fn figure() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let half = (WIDTH - 2.0 * MARGIN - 20.0) / 2.0; // 218
    let (left, right) = (MARGIN, MARGIN + half + 20.0);
    svg.text(left, 24.0, Anchor::Start, "title", "the loop's thread");
    svg.text(right, 24.0, Anchor::Start, "title", "any other thread");

    // Another thread wakes a task, or sends a callback.
    let other = titled_box(
        &mut svg,
        right,
        36.0,
        half,
        "warm",
        "waker.wake()",
        "",
        &["or call_soon_threadsafe(f)"],
    );
    let y1 = 36.0 + other + 30.0;
    svg.arrow(right + half / 2.0, 36.0 + other, right + half / 2.0, y1 - 2.0);
    svg.text(
        right + half / 2.0 + 8.0,
        y1 - 11.0,
        Anchor::Start,
        "note",
        "push",
    );

    // Row 1: the poller, and the remote queue.
    let poller = titled_box(
        &mut svg,
        left,
        y1,
        half,
        "box",
        "poller",
        "step 1",
        &[
            "waits in mio::Poll, if",
            "nothing is ready, for I/O,",
            "a deadline or its waker",
        ],
    );
    let remote = titled_box(
        &mut svg,
        right,
        y1,
        half,
        "accent",
        "remote queue",
        "step 2",
        &[
            "Mutex<VecDeque>, a flag;",
            "the first push after a",
            "drain wakes the poller",
        ],
    );
    let mid = y1 + poller.min(remote) / 2.0;
    svg.arrow(right, mid, left + half + 2.0, mid);

    // Row 2: the timers, set in so the poller's arrow passes them.
    let y2 = y1 + poller.max(remote) + 24.0;
    let timers = titled_box(
        &mut svg,
        left + 36.0,
        y2,
        half - 36.0,
        "box",
        "timers",
        "step 2",
        &["a heap, earliest", "deadline first"],
    );

    // Row 3: the ready queue, fed from above.
    let y3 = y2 + timers + 30.0;
    let ready = titled_box(
        &mut svg,
        left,
        y3,
        WIDTH - 2.0 * MARGIN,
        "good",
        "ready queue",
        "FIFO",
        &["tasks to poll once, callbacks to call"],
    );
    svg.arrow(left + 16.0, y1 + poller, left + 16.0, y3 - 2.0);
    svg.text(left + 22.0, y3 - 8.0, Anchor::Start, "note", "I/O wakes");
    let timers_x = left + 36.0 + (half - 36.0) / 2.0;
    svg.arrow(timers_x + 30.0, y2 + timers, timers_x + 30.0, y3 - 2.0);
    svg.text(timers_x + 36.0, y3 - 8.0, Anchor::Start, "note", "due");
    svg.arrow(right + half / 2.0, y1 + remote, right + half / 2.0, y3 - 2.0);
    svg.text(
        right + half / 2.0 + 6.0,
        y3 - 8.0,
        Anchor::Start,
        "note",
        "drained",
    );

    // Row 4: the run, and the fast path back.
    let y4 = y3 + ready + 30.0;
    let run = titled_box(
        &mut svg,
        left,
        y4,
        WIDTH - 2.0 * MARGIN - 60.0,
        "box",
        "run",
        "step 3",
        &[
            "the items queued when the step began:",
            "poll each task once, call each callback",
        ],
    );
    svg.arrow(WIDTH / 2.0 - 30.0, y3 + ready, WIDTH / 2.0 - 30.0, y4 - 2.0);
    // A wake on the loop's own thread: straight back into the ready queue.
    let back_x = WIDTH - MARGIN - 30.0;
    svg.polyline(
        &[
            (WIDTH - 2.0 * MARGIN - 60.0 + MARGIN, y4 + run / 2.0),
            (back_x, y4 + run / 2.0),
            (back_x, y3 + ready + 2.0),
        ],
        "arrow",
    );
    svg.text(
        back_x - 6.0,
        y3 + ready + 19.0,
        Anchor::End,
        "note",
        "a wake on this thread",
    );
    let y5 = y4 + run + 20.0;
    svg.lines(
        left,
        y5,
        Anchor::Start,
        "note",
        &[
            "Bottom right: a wake on the loop's thread is a plain push.",
            "Top right: a wake from any other thread goes through the",
            "remote queue and the poller's waker.",
        ],
    );
    svg.set_height(y5 + 2.0 * 16.0 + MARGIN);
    super::figure(
        "loop-parts",
        "The loop's parts: poller, timers, remote queue, ready queue, run, \
         and the two paths a wake takes",
        svg,
    )
}
