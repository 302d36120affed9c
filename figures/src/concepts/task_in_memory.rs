//! One task in memory (`task_cell.rs`, `future_slot.rs`, `seam.rs`): the one
//! allocation, its thread-safe header and its loop-thread-only part, and
//! every pointer that keeps it alive.

use super::layout::{MARGIN, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// The figure `task-in-memory`.
pub fn figure() -> Figure {
    // Narrower than most: a phone shrinks it less.
    const WIDTH: f64 = 420.0;
    let mut svg = Svg::new(WIDTH, 0.0);
    // Who holds the task: one strong pointer each.
    let holders: [(&str, &[&str]); 4] = [
        ("registry", &["the loop's,", "until final"]),
        ("queues", &["ready or", "remote,", "if queued"]),
        ("wakers", &["on any", "thread"]),
        ("handles", &["Task<T>,", "TaskRef"]),
    ];
    let gap = 6.0;
    let w = (WIDTH - 2.0 * MARGIN - 3.0 * gap) / 4.0;
    let top = MARGIN + 22.0;
    svg.text(
        MARGIN,
        MARGIN + 12.0,
        Anchor::Start,
        "bold",
        "who holds it: each a TaskArc to the one cell",
    );
    let mut tallest: f64 = 0.0;
    for (i, (name, lines)) in holders.iter().enumerate() {
        let x = MARGIN + i as f64 * (w + gap);
        tallest = tallest
            .max(titled_box(&mut svg, x, top, w, "warm", name, "", lines));
    }
    let cell_top = top + tallest + 36.0;
    for i in 0..4 {
        let x = MARGIN + i as f64 * (w + gap) + w / 2.0;
        svg.arrow(x, top + tallest, x, cell_top - 2.0);
    }

    // The allocation itself.
    let inner_x = MARGIN + 12.0;
    let inner_w = WIDTH - 2.0 * MARGIN - 24.0;
    let mut y = cell_top + 22.0;
    let header = titled_box(
        &mut svg,
        inner_x,
        y + 0.0,
        inner_w,
        "accent",
        "Header",
        "any thread",
        &[
            "id: u64",
            "scheduled: AtomicBool (queued now?)",
            "scheduler: Arc<dyn Schedule>,",
            "  the way back to the loop",
        ],
    );
    y += header + 10.0;
    let local = titled_box(
        &mut svg,
        inner_x,
        y,
        inner_w,
        "box",
        "OwnerThreadCell<TaskLocal>",
        "loop's thread only",
        &[
            "future: FutureSlot<F>, the future inline,",
            "  pinned where it lies (Empty, Idle, Polling)",
            "meta: RefCell<TaskMeta>:",
            "  state: pending, cancelling, finished, cancelled",
            "  result: Option<Result<T, TaskError>>",
            "  awaiters' wakers, done-callbacks, name",
        ],
    );
    y += local + 10.0;
    svg.rect(MARGIN, cell_top, WIDTH - 2.0 * MARGIN, y - cell_top, "frame");
    svg.text(
        MARGIN + 12.0,
        cell_top + 16.0,
        Anchor::Start,
        "bold",
        "one allocation: TaskCell<F>",
    );
    let notes = [
        "The future is dropped in place when the task ends;",
        "the result stays until the handle takes it. The",
        "last pointer frees it all.",
    ];
    svg.lines(MARGIN, y + 20.0, Anchor::Start, "note", &notes);
    svg.set_height(y + 20.0 + 2.0 * LINE_HEIGHT + MARGIN);
    super::figure(
        "task-in-memory",
        "One task in memory: a single TaskCell allocation with a thread-safe \
         header and a loop-thread-only part holding the future and its \
         bookkeeping, pointed at by the loop's registry, the ready or remote \
         queue, wakers and the Task handle",
        svg,
    )
}
