//! Chapter 5's combinators over loop time: what `wait`, `gather`,
//! `as_completed`, `wait_for` and `shield` do with their tasks, and the
//! `wait_timeout` example tick by tick.

use super::layout::{Bar, Ending, Section, Timeline};
use crate::Figure;

fn bar<'a>(name: &'a str, end: f64, ending: Ending, label: &'a str) -> Bar<'a> {
    Bar { name, start: 0.0, end, ending, label, class: "accent" }
}

/// The lane of whoever waits: a warm bar that ends where the wait returns.
fn waiter<'a>(
    name: &'a str,
    end: f64,
    ending: Ending,
    label: &'a str,
) -> Bar<'a> {
    Bar { class: "warm", ..bar(name, end, ending, label) }
}

/// Every figure of this file.
pub fn all() -> Vec<Figure> {
    vec![wait(), gather(), as_completed(), wait_for(), shield()]
}

fn wait() -> Figure {
    let timeline = Timeline {
        until: 50.0,
        ticks: &[0.0, 10.0, 20.0, 30.0, 40.0, 50.0],
        sections: vec![Section {
            heading: "wait(vec![a, b, c], Some(20 ms), AllCompleted)",
            bars: vec![
                bar("task a", 5.0, Ending::Done, "done at 5"),
                bar(
                    "task b",
                    50.0,
                    Ending::Done,
                    "done at 50: still running at 20",
                ),
                bar(
                    "task c",
                    28.0,
                    Ending::Done,
                    "done at 28: still running at 20",
                ),
                waiter(
                    "wait",
                    20.0,
                    Ending::Returns,
                    "returns at 20: done [a], pending [b, c]",
                ),
            ],
            marks: vec![],
        }],
        notes: &[
            "Nothing is cancelled at the timeout: b and c run on.",
            "With ReturnWhen::FirstCompleted, wait returns at 5 ms:",
            "done = [a], pending = [b, c].",
        ],
    };
    super::figure(
        "wait-timeline",
        "wait with a 20 ms timeout over three tasks: it returns at 20 ms with \
         a done and b and c pending, and b and c keep running to 50 and 28 ms",
        timeline.draw(),
    )
}

fn gather() -> Figure {
    let timeline = Timeline {
        until: 30.0,
        ticks: &[0.0, 10.0, 20.0, 30.0],
        sections: vec![
            Section {
                heading: "gather(vec![a, b, c]), b panics at 10 ms",
                bars: vec![
                    bar(
                        "task a",
                        30.0,
                        Ending::Done,
                        "done at 30, value dropped (detached)",
                    ),
                    bar("task b", 10.0, Ending::Panicked, "panics at 10"),
                    bar(
                        "task c",
                        20.0,
                        Ending::Done,
                        "done at 20, value dropped (detached)",
                    ),
                    waiter(
                        "gather",
                        10.0,
                        Ending::Returns,
                        "Err(Task(Panicked { .. })) at 10 ms",
                    ),
                ],
                marks: vec![],
            },
            Section {
                heading: "the same gather, its task cancelled at 5 ms",
                bars: vec![
                    bar("task a", 5.0, Ending::Dropped, "cancelled"),
                    bar("task b", 5.0, Ending::Dropped, "cancelled"),
                    bar("task c", 5.0, Ending::Dropped, "cancelled"),
                    waiter(
                        "gather",
                        5.0,
                        Ending::Dropped,
                        "dropped with its task: its Drop cancels the children",
                    ),
                ],
                marks: vec![],
            },
        ],
        notes: &[],
    };
    super::figure(
        "gather-failure-timeline",
        "gather over three tasks: when b panics at 10 ms the gather fails \
         at once and a and c run on, detached; if the gather's own task is \
         cancelled, dropping the gather cancels all three",
        timeline.draw(),
    )
}

fn as_completed() -> Figure {
    let timeline = Timeline {
        until: 30.0,
        ticks: &[0.0, 10.0, 20.0, 25.0, 30.0],
        sections: vec![Section {
            heading: "as_completed(vec![a, b, c, d], Some(25 ms))",
            bars: vec![
                bar(
                    "task a",
                    30.0,
                    Ending::Done,
                    "done at 30 (detached, runs on)",
                ),
                bar("task b", 10.0, Ending::Done, "done at 10"),
                bar("task c", 20.0, Ending::Done, "done at 20"),
                bar("task d", 10.0, Ending::Done, "done at 10, after b"),
            ],
            marks: vec![(25.0, "the timeout, at 25 ms")],
        }],
        notes: &[
            "The stream yields b at 10, d at 10, c at 20,",
            "Err(TimedOut) at 25, then None.",
        ],
    };
    super::figure(
        "as-completed-timeline",
        "as_completed over four tasks with a 25 ms timeout: the stream yields \
         b and d at 10 ms, c at 20 ms, then a timeout at 25 ms while a runs \
         on to 30 ms",
        timeline.draw(),
    )
}

fn wait_for() -> Figure {
    let timeline = Timeline {
        until: 30.0,
        ticks: &[0.0, 10.0, 20.0, 25.0, 30.0],
        sections: vec![Section {
            heading: "wait_for(work, 25 ms), awaited by task t",
            bars: vec![
                Bar {
                    class: "accent",
                    ..bar(
                        "work",
                        25.0,
                        Ending::Dropped,
                        "dropped at 25: its destructors run now",
                    )
                },
                waiter(
                    "task t",
                    25.0,
                    Ending::Returns,
                    "gets Err(Error::TimedOut), goes on",
                ),
            ],
            marks: vec![],
        }],
        notes: &[
            "work is polled inside task t's poll of the Timeout, then the",
            "Timeout polls its Sleep (deadline 25 ms).",
            "wait_for(ready_at_once, 0 ms) gives Ok(value): a result that",
            "is already there wins, even against a zero timeout.",
        ],
    };
    super::figure(
        "wait-for-timeline",
        "wait_for with a 25 ms timeout: the inner future is polled inside the \
         awaiting task, and at 25 ms it is dropped in place and the task gets \
         Err(TimedOut)",
        timeline.draw(),
    )
}

fn shield() -> Figure {
    let timeline = Timeline {
        until: 20.0,
        ticks: &[0.0, 5.0, 10.0, 20.0],
        sections: vec![Section {
            heading: "outer = spawn(async { shield(work).await })",
            bars: vec![
                waiter(
                    "outer task",
                    5.0,
                    Ending::Dropped,
                    "outer.cancel() at 5: its future is dropped",
                ),
                bar(
                    "inner task",
                    20.0,
                    Ending::Done,
                    "done at 20 (detached; its value is dropped)",
                ),
            ],
            marks: vec![],
        }],
        notes: &[
            "Dropping the Shield drops its handle, which detaches the inner task.",
        ],
    };
    super::figure(
        "shield-timeline",
        "shield: the outer task is cancelled at 5 ms and its future, with the \
         Shield in it, is dropped; the inner task runs on to 20 ms, detached",
        timeline.draw(),
    )
}
