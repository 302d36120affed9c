//! The measured timeline (`figures/data/timeline-blocking-call.tsv`) was
//! recorded once, on the real clock; its times cannot be reproduced, but
//! what the figure says must still be true of the program now. Each test
//! runs it again and checks the shape, and the committed data has it too.
//! `tests/fresh.rs` checks that the figure is what the data draws.

use figures::measured::{self, BLOCKING, Measured, Placement};

/// `std::thread::sleep` sleeps at least its time, and on the loop's thread
/// nothing else runs meanwhile: no tick can fall inside the call, so the
/// gap around it is at least the call's length.
fn assert_frozen(run: &Measured) {
    let blocking = BLOCKING.as_secs_f64() * 1000.0;
    assert_eq!(run.ticks_during_call(), 0, "{run:?}");
    assert!(run.longest_gap().0 >= blocking, "{run:?}");
}

/// On a worker thread the loop goes on: the ticker ticks while the call
/// runs (it is due ten times in it; one is enough to show the loop free).
fn assert_ticks_on(run: &Measured) {
    assert!(run.ticks_during_call() >= 1, "{run:?}");
    let (begun, ended) = run.call;
    let (called, resumed) = run.awaited.expect("the task awaited the call");
    assert!(called <= begun && begun < ended && ended <= resumed, "{run:?}");
}

#[test]
fn a_blocking_call_on_the_loop_freezes_the_ticker() {
    assert_frozen(&measured::measure(Placement::OnTheLoop));
}

#[test]
fn the_same_call_on_a_thread_leaves_the_ticker_ticking() {
    assert_ticks_on(&measured::measure(Placement::OnAThread));
}

#[test]
fn the_committed_measurement_has_the_same_shape() {
    let runs = measured::committed();
    assert_frozen(&runs[0]);
    assert_ticks_on(&runs[1]);
}

#[test]
fn the_data_file_reads_back_as_written() {
    let runs = measured::committed();
    assert_eq!(measured::from_data(&measured::to_data(&runs, "")), runs);
}
