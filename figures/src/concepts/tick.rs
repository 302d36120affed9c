//! One tick, `LoopCore::run_once` in `src/ch01_coroutines/tick.rs`: its three
//! steps in the order the code takes them.

use super::layout::{Step, flow};
use crate::Figure;

/// The figure `tick`.
pub fn figure() -> Figure {
    let steps = [
        Step {
            title: "1. look in the poller, or sleep there",
            tag: "poll_events",
            lines: &[
                "work ready (or stop, or a deferred task): do not wait;",
                "  look with timeout 0 only every 61st tick",
                "else a timer pending: wait until its deadline",
                "  (virtual clock: look, then jump to the deadline)",
                "else: wait with no timeout",
                "I/O events wake their tasks, then deferred tasks",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "2. take in remote work and due timers",
            tag: "take_remote_work",
            lines: &[
                "remote queue, if its flag is set: drained",
                "every timer with deadline <= now, earliest first",
                "both go to the back of the ready queue",
            ],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "3. run what is ready now",
            tag: "ready_now",
            lines: &[
                "N = the ready queue's length; run N items:",
                "a task: task.run(), one poll (or its drop)",
                "a callback: called, unless cancelled;",
                "  a panic is caught and logged",
                "work queued meanwhile waits for the next tick",
            ],
            class: "good",
            arrow: "",
            back: false,
        },
    ];
    let svg = flow(
        "one tick: LoopCore::run_once",
        &steps,
        &["run_forever repeats the tick until stop() is called."],
    );
    super::figure(
        "tick",
        "One tick of the loop: look in the poller, take in remote work and \
         due timers, run exactly the items that were ready",
        svg,
    )
}
