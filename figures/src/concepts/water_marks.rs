//! Flow control on writes (`transport.rs`: `write`, `check_high_water`,
//! `write_step`): the write buffer's size over time against the two water
//! marks, and the decisions that call `pause_writing` and `resume_writing`.

use super::layout::{MARGIN, Step, WIDTH, flow};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// The figure `water-marks`: the buffer's size over time.
pub fn chart() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let (left, right) = (MARGIN + 52.0, WIDTH - MARGIN - 8.0);
    let (top, bottom) = (MARGIN + 30.0, MARGIN + 230.0);
    let max_kib = 80.0;
    let y = |kib: f64| bottom - (bottom - top) * kib / max_kib;
    let x = |t: f64| left + (right - left) * t / 100.0;
    svg.text(
        MARGIN,
        MARGIN + 12.0,
        Anchor::Start,
        "bold",
        "bytes in the write buffer",
    );
    // Axes.
    svg.line(left, top - 10.0, left, bottom, "line");
    svg.line(left, bottom, right, bottom, "line");
    svg.text(right, bottom + 18.0, Anchor::End, "note", "time");
    svg.text(left - 6.0, bottom + 4.0, Anchor::End, "note", "0");
    // The marks.
    for (kib, label, name) in
        [(64.0, "64 KiB", "high water"), (16.0, "16 KiB", "low water")]
    {
        svg.line(left, y(kib), right, y(kib), "dashed");
        svg.text(left - 6.0, y(kib) + 4.0, Anchor::End, "note", label);
        svg.text(right, y(kib) - 6.0, Anchor::End, "note", name);
    }
    // The buffer: writes fill it faster than the peer reads, then the task
    // flushes it as the peer catches up.
    let curve = [
        (4.0, 0.0),
        (14.0, 30.0),
        (24.0, 56.0),
        (32.0, 72.0),
        (40.0, 76.0),
        (48.0, 72.0),
        (62.0, 44.0),
        (74.0, 16.0),
        (84.0, 6.0),
        (96.0, 4.0),
    ];
    let points: Vec<(f64, f64)> =
        curve.iter().map(|&(t, kib)| (x(t), y(kib))).collect();
    svg.polyline(&points, "plot");
    // Where it crosses each mark.
    let up = (x(crossing(&curve, 64.0, true)), y(64.0));
    let down = (x(crossing(&curve, 16.0, false)), y(16.0));
    svg.circle(up.0, up.1, 5.0, "bad");
    svg.circle(down.0, down.1, 5.0, "good");
    svg.text(up.0 - 8.0, up.1 - 14.0, Anchor::End, "mono", "pause_writing()");
    svg.text(
        down.0 - 10.0,
        down.1 + 22.0,
        Anchor::End,
        "mono",
        "resume_writing()",
    );
    svg.text(x(18.0), y(30.0), Anchor::Start, "note", "write() calls");
    svg.text(x(66.0), y(40.0), Anchor::Start, "note", "the task flushes");
    let notes = [
        "Paused when a write takes the buffer above the high mark;",
        "resumed when a flush brings it down to the low mark or below.",
        "The gap between the marks keeps the protocol from flapping.",
    ];
    svg.lines(MARGIN, bottom + 42.0, Anchor::Start, "note", &notes);
    svg.set_height(bottom + 42.0 + 2.0 * LINE_HEIGHT + MARGIN);
    super::figure(
        "water-marks",
        "The write buffer's size over time: write calls push it above the \
         64 KiB high mark, and pause_writing is called; the task's flushes \
         bring it down to the 16 KiB low mark, and resume_writing is called",
        svg,
    )
}

/// When `curve` (time, KiB) first crosses `kib`, going up or down.
fn crossing(curve: &[(f64, f64)], kib: f64, upwards: bool) -> f64 {
    curve
        .windows(2)
        .find_map(|pair| {
            let ((t0, k0), (t1, k1)) = (pair[0], pair[1]);
            let crosses = if upwards {
                k0 < kib && k1 >= kib
            } else {
                k0 > kib && k1 <= kib
            };
            crosses.then(|| t0 + (t1 - t0) * (kib - k0) / (k1 - k0))
        })
        .expect("the curve crosses the mark")
}

/// The figure `write-path`: what `write` and the task's `write_step` do.
pub fn write_path() -> Figure {
    let steps = [
        Step {
            title: "transport.write(data)",
            tag: "never waits",
            lines: &[
                "nothing queued: the socket takes what fits now",
                "the rest goes to the back of the write buffer,",
                "and the connection's task is woken",
            ],
            class: "warm",
            arrow: "",
            back: false,
        },
        Step {
            title: "check_high_water",
            tag: "in write",
            lines: &[
                "not paused, and the buffer above high water:",
                "writing_paused = true; pause_writing(), at once,",
                "or from the task if the protocol is busy",
            ],
            class: "bad",
            arrow: "",
            back: false,
        },
        Step {
            title: "write_step, in the connection's task",
            tag: "drive",
            lines: &[
                "the socket is writable: send the buffer's front",
                "paused, and the buffer at or below low water:",
                "writing_paused = false; resume_writing()",
            ],
            class: "good",
            arrow: "the task runs",
            back: false,
        },
    ];
    let svg = flow("", &steps, &[]);
    super::figure(
        "write-path",
        "A write: the socket takes what fits, the rest is buffered; above the \
         high mark write pauses the protocol, and the task's write step \
         resumes it at or below the low mark",
        svg,
    )
}
