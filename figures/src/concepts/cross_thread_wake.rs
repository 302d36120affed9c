//! The cross-thread wake (`remote.rs`, `tick.rs`, `waker.rs`): another
//! thread pushes onto the remote queue and, if no wake is pending, wakes the
//! poller; the loop drains the queue in step 2 and runs the work in step 3.

use super::layout::{Cell, Message, Sequence};
use crate::Figure;

/// The figure `cross-thread-wake`.
pub fn figure() -> Figure {
    let cell = |lane, lines, class| Cell { lane, lines, class };
    let sequence = Sequence {
        width: 420.0,
        lanes: &["another thread", "the loop's thread"],
        gutter: "",
        rows: vec![
            (
                "",
                vec![
                    cell(
                        0,
                        &[
                            "call_soon_threadsafe(f),",
                            "or a waker's wake():",
                            "schedule_remote(task)",
                        ],
                        "warm",
                    ),
                    cell(1, &["asleep in Poll::poll"], "box"),
                ],
            ),
            (
                "",
                vec![cell(
                    0,
                    &[
                        "lock the remote queue",
                        "closed? Err(LoopClosed)",
                        "push_back(item), unlock",
                    ],
                    "warm",
                )],
            ),
            (
                "",
                vec![cell(
                    0,
                    &[
                        "wake_pending.swap(true)",
                        "was false: Waker::wake()",
                        "was true: nothing to do",
                    ],
                    "warm",
                )],
            ),
            (
                "",
                vec![cell(
                    1,
                    &["the poll returns", "(an eventfd on Linux)"],
                    "box",
                )],
            ),
            (
                "",
                vec![
                    cell(0, &["returns Ok(())"], ""),
                    cell(
                        1,
                        &[
                            "step 2: the flag is set",
                            "drain(): flag := false,",
                            "then takes the queue",
                        ],
                        "accent",
                    ),
                ],
            ),
            (
                "",
                vec![cell(
                    1,
                    &["each item to the back of", "the ready queue"],
                    "accent",
                )],
            ),
            (
                "",
                vec![cell(
                    1,
                    &["step 3 of this tick runs", "f, or polls the task"],
                    "good",
                )],
            ),
        ],
        messages: vec![Message { from: (2, 0), to: (3, 1), class: "arrow" }],
        notes: &[
            "A push that finds the flag already true needs no system call:",
            "the drain to come takes its item with the others.",
        ],
    };
    super::figure(
        "cross-thread-wake",
        "A wake from another thread: push onto the remote queue under its \
         lock, wake the poller if no wake is pending, then the loop drains \
         the queue in step 2 and runs the work in step 3",
        sequence.draw(),
    )
}
