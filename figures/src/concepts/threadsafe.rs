//! Chapter 13's other direction (`src/ch13_executors/threadsafe.rs`,
//! `run_coroutine_threadsafe`): a plain thread hands a coroutine to a loop
//! through `call_soon_threadsafe`, and blocks in `result()` until the task
//! it became is done; the chain task on the loop completes the
//! `ConcurrentFuture`, or passes the thread's cancel on to the task.

use super::layout::{Cell, Message, Sequence, WIDTH};
use crate::Figure;

/// The figure `threadsafe-coroutine`.
pub fn figure() -> Figure {
    let cell = |lane, lines, class| Cell { lane, lines, class };
    let sequence = Sequence {
        width: WIDTH,
        lanes: &["a plain thread", "the loop's thread"],
        gutter: "",
        rows: vec![
            (
                "",
                vec![
                    cell(
                        0,
                        &[
                            "run_coroutine_threadsafe(",
                            "  || async { .. }, &remote)",
                            "call_soon_threadsafe(callback)",
                        ],
                        "warm",
                    ),
                    cell(
                        1,
                        &["busy with other tasks,", "or asleep in poll"],
                        "box",
                    ),
                ],
            ),
            (
                "",
                vec![
                    cell(
                        0,
                        &[
                            "gets the ConcurrentFuture;",
                            "result(None) blocks on",
                            "its Condvar",
                        ],
                        "warm",
                    ),
                    cell(
                        1,
                        &[
                            "the callback: calls the",
                            "function, spawns its future",
                            "as a task, and a chain task",
                        ],
                        "accent",
                    ),
                ],
            ),
            (
                "",
                vec![cell(
                    1,
                    &[
                        "the task runs; the chain",
                        "awaits it and watches the",
                        "future for a cancel",
                    ],
                    "accent",
                )],
            ),
            (
                "",
                vec![cell(
                    1,
                    &["the task ends: the chain", "completes the future"],
                    "good",
                )],
            ),
            (
                "",
                vec![cell(
                    0,
                    &["woken: result() returns", "the task's output"],
                    "good",
                )],
            ),
        ],
        messages: vec![
            Message { from: (0, 0), to: (1, 1), class: "arrow" },
            Message { from: (3, 1), to: (4, 0), class: "arrow" },
        ],
        notes: &[
            "The thread sends a function, not a future: aio's futures are",
            "not Send, so the future is made on the loop's thread.",
            "cancel() from the thread wakes the chain, which cancels the",
            "task. result() on that loop's own thread: Err(WouldDeadlock).",
        ],
    };
    super::figure(
        "threadsafe-coroutine",
        "run_coroutine_threadsafe: a plain thread sends a callback through \
         call_soon_threadsafe and blocks in the ConcurrentFuture's result(); \
         on the loop's thread the callback spawns the coroutine as a task \
         and a chain task that awaits it; when the task ends the chain \
         completes the future, and the thread's result() returns",
        sequence.draw(),
    )
}
