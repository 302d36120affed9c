//! A promise's life (`src/ch03_futures/promise.rs`): `Pending`, then one of
//! `Finished`, `Failed` or `Cancelled`, and what happens to its listeners on
//! the way.

use super::layout::{MARGIN, WIDTH, titled_box};
use crate::Figure;
use crate::svg::{Anchor, Svg};

/// The figure `promise-states`.
pub fn figure() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let full = WIDTH - 2.0 * MARGIN;
    let mut y = MARGIN;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        full,
        "warm",
        "Pending",
        "State::Pending",
        &[
            "await: poll pushes Listener::Waker(task), Pending",
            "add_done_callback(f): pushes Listener::Callback",
            "listeners, in order: [cb 1, waker A, cb 2]",
        ],
    );
    let gap = 8.0;
    let w = (full - 2.0 * gap) / 3.0;
    let arrows = ["set_result(v)", "set_exception(e)", "cancel()"];
    let states =
        [("Finished(v)", "good"), ("Failed(e)", "bad"), ("Cancelled", "box")];
    let below = y + 44.0;
    for (i, (label, (state, class))) in arrows.iter().zip(states).enumerate() {
        let x = MARGIN + i as f64 * (w + gap);
        svg.arrow(x + 12.0, y, x + 12.0, below - 2.0);
        svg.text(x + 18.0, y + 26.0, Anchor::Start, "mono", label);
        titled_box(&mut svg, x, below, w, class, state, "", &[]);
    }
    y = below + 28.0 + 18.0;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        full,
        "accent",
        "on the transition, whichever it is",
        "settle",
        &[
            "take the whole list of listeners; then, in order:",
            "a Waker: wake(), its task to the ready queue",
            "a Callback: call_soon(f(&promise)), the same queue",
            "so on the next tick: cb 1, then A, then cb 2",
        ],
    );
    y += 12.0;
    y += titled_box(
        &mut svg,
        MARGIN,
        y,
        full,
        "box",
        "once done",
        "",
        &[
            "set_result, set_exception: Err(InvalidStateError)",
            "cancel(): false; the first outcome is kept",
            "add_done_callback(f): call_soon at once",
            "await, result(): a clone of the value, or PromiseError",
            "Failed, never read, last handle dropped: a warning",
        ],
    );
    svg.set_height(y + MARGIN);
    super::figure(
        "promise-states",
        "A promise's states: Pending goes to Finished, Failed or Cancelled \
         once; on the transition every listener is woken or scheduled in \
         registration order",
        svg,
    )
}
