//! The bug museum's exhibits as sequence diagrams: the interleavings that
//! break each broken variant (`LoopShared::drain_then_clear_flag` in
//! `remote.rs`, `Sender::send_unpublished` in `oneshot.rs`), and the same
//! race against the fixed drain.

use super::layout::{Cell, Message, Sequence};
use crate::Figure;

fn cell<'a>(lane: usize, lines: &'a [&'a str], class: &'a str) -> Cell<'a> {
    Cell { lane, lines, class }
}

/// Every figure of this file.
pub fn all() -> Vec<Figure> {
    vec![lost_wakeup(), lost_wakeup_fixed(), unpublished_send()]
}

fn lost_wakeup() -> Figure {
    let sequence = Sequence {
        width: 400.0,
        lanes: &["loop (thread 0)", "sender (thread 1)"],
        gutter: "",
        rows: vec![
            (
                "",
                vec![cell(
                    1,
                    &["push item 1", "flag false -> true: wake"],
                    "warm",
                )],
            ),
            ("", vec![cell(0, &["woken"], "box")]),
            ("", vec![cell(0, &["take [item 1]"], "box")]),
            (
                "",
                vec![cell(1, &["push item 2", "flag is true: no wake"], "bad")],
            ),
            ("", vec![cell(0, &["flag := false"], "bad")]),
            ("", vec![cell(0, &["run item 1"], "box")]),
            (
                "",
                vec![cell(
                    0,
                    &["sleep: forever, with", "item 2 in the queue"],
                    "bad",
                )],
            ),
        ],
        messages: vec![Message { from: (0, 1), to: (1, 0), class: "arrow" }],
        notes: &[
            "The broken drain takes the queue, then clears the flag: a",
            "push in between finds the flag set and skips its wake-up.",
        ],
    };
    super::figure(
        "museum-lost-wakeup",
        "Exhibit 1's interleaving: the loop takes item 1, the sender pushes \
         item 2 and skips the wake because the flag is still set, then the \
         loop clears the flag and sleeps forever with item 2 queued",
        sequence.draw(),
    )
}

fn lost_wakeup_fixed() -> Figure {
    let sequence = Sequence {
        width: 400.0,
        lanes: &["loop (thread 0)", "sender (thread 1)"],
        gutter: "",
        rows: vec![
            (
                "",
                vec![cell(
                    1,
                    &["push item 1", "flag false -> true: wake"],
                    "warm",
                )],
            ),
            ("", vec![cell(0, &["woken"], "box")]),
            ("", vec![cell(0, &["flag.swap(false)"], "good")]),
            (
                "",
                vec![cell(
                    1,
                    &["push item 2", "flag false -> true: wake"],
                    "good",
                )],
            ),
            ("", vec![cell(0, &["take [item 1, item 2]"], "box")]),
            ("", vec![cell(0, &["run both"], "box")]),
            (
                "",
                vec![cell(
                    0,
                    &[
                        "the second wake: the",
                        "poll returns at once,",
                        "nothing more to take",
                    ],
                    "box",
                )],
            ),
        ],
        messages: vec![
            Message { from: (0, 1), to: (1, 0), class: "arrow" },
            Message { from: (3, 1), to: (6, 0), class: "arrow" },
        ],
        notes: &[
            "The fixed drain clears the flag first: a push after the clear",
            "wakes the poller, and one before the take is taken with the rest.",
        ],
    };
    super::figure(
        "museum-lost-wakeup-fixed",
        "The same race with the fixed drain: the loop clears the flag before \
         it takes the queue, so item 2's push sees false and wakes the \
         poller, and the take gets both items",
        sequence.draw(),
    )
}

fn unpublished_send() -> Figure {
    let sequence = Sequence {
        width: 420.0,
        lanes: &["receiver (thread 0)", "sender (thread 1)"],
        gutter: "",
        rows: vec![
            ("", vec![cell(1, &["write the slot:", "Some(value)"], "warm")]),
            (
                "",
                vec![cell(
                    1,
                    &[
                        "state.store(SENT,",
                        "  Relaxed): nothing is",
                        "  published",
                    ],
                    "bad",
                )],
            ),
            ("", vec![cell(0, &["state.load(Acquire)", "reads SENT"], "box")]),
            (
                "",
                vec![cell(
                    0,
                    &[
                        "take the slot, with no",
                        "happens-before edge from",
                        "the write: loom reports",
                        "the race",
                    ],
                    "bad",
                )],
            ),
        ],
        messages: vec![Message {
            from: (1, 1),
            to: (2, 0),
            class: "bad-arrow",
        }],
        notes: &[
            "The fix publishes SENT with compare_exchange(AcqRel): the",
            "write to the slot then happens-before the receiver's take.",
        ],
    };
    super::figure(
        "museum-unpublished-send",
        "Exhibit 2's interleaving: the sender writes the slot and stores SENT \
         with relaxed ordering; the receiver sees SENT and takes the slot \
         with no happens-before edge from the write, which loom reports",
        sequence.draw(),
    )
}
