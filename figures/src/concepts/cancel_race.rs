//! Chapter 6's `cancel_race` example, tick by tick: main releases a lock,
//! which wakes A, and cancels A before A runs. With a naive lock the wake-up
//! dies with A; `aio::Lock` passes it on to B (`wait_queue.rs`, `lock.rs`).

use super::layout::{Cell, Message, Sequence};
use crate::Figure;

fn cell<'a>(lane: usize, lines: &'a [&'a str], class: &'a str) -> Cell<'a> {
    Cell { lane, lines, class }
}

/// The rows both locks share: ticks 1 and 2.
fn first_ticks<'a>() -> Vec<(&'a str, Vec<Cell<'a>>)> {
    vec![
        (
            "1",
            vec![cell(
                0,
                &[
                    "acquire():",
                    "the lock is",
                    "taken",
                    "spawn A, B;",
                    "sleep(0)",
                ],
                "box",
            )],
        ),
        (
            "2",
            vec![
                cell(1, &["acquire():", "queued first"], "warm"),
                cell(2, &["acquire():", "queued second"], "warm"),
            ],
        ),
        (
            "",
            vec![cell(
                0,
                &["release():", "wakes A", "a.cancel(): A", "is cancelling"],
                "box",
            )],
        ),
    ]
}

/// The figures `cancel-race-naive` and `cancel-race-lock`.
pub fn figure() -> Vec<Figure> {
    let lanes = &["main", "task A", "task B"];
    let mut naive = first_ticks();
    naive.push((
        "3",
        vec![cell(
            1,
            &["its future is", "dropped: A never", "takes the lock"],
            "bad",
        )],
    ));
    naive.push((
        "...",
        vec![cell(
            2,
            &["asleep forever:", "the lock is free,", "nobody wakes B"],
            "bad",
        )],
    ));
    let naive = Sequence {
        width: super::layout::WIDTH,
        lanes,
        gutter: "tick",
        rows: naive,
        messages: vec![Message {
            from: (2, 0),
            to: (3, 1),
            class: "grey-arrow",
        }],
        notes: &[
            "The naive lock popped A's promise and set it: the wake",
            "was spent on a task that will never run again.",
        ],
    };
    let mut fixed = first_ticks();
    fixed.push((
        "3",
        vec![cell(
            1,
            &[
                "its future is",
                "dropped: Waiting",
                "leaves the queue;",
                "A was chosen,",
                "so pass_on():",
                "wake_up_first()",
            ],
            "warm",
        )],
    ));
    fixed.push(("4", vec![cell(2, &["takes the lock"], "good")]));
    let fixed = Sequence {
        width: super::layout::WIDTH,
        lanes,
        gutter: "tick",
        rows: fixed,
        messages: vec![
            Message { from: (2, 0), to: (3, 1), class: "grey-arrow" },
            Message { from: (3, 1), to: (4, 2), class: "arrow" },
        ],
        notes: &[
            "With aio::Lock, A's waiter stays at the front when woken;",
            "dropped, it passes the wake-up on to B.",
        ],
    };
    vec![
        super::figure(
            "cancel-race-naive",
            "The naive lock: main releases the lock, which wakes A, and cancels \
             A in the same tick; A's future is dropped in tick 3, and B sleeps \
             forever although the lock is free",
            naive.draw(),
        ),
        super::figure(
            "cancel-race-lock",
            "aio::Lock in the same race: when A's future is dropped in tick 3, \
             its waiter leaves the queue and, since A had been chosen, wakes \
             B, which takes the lock in tick 4",
            fixed.draw(),
        ),
    ]
}
