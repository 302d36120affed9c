//! The slow step's timeline (`figures/data/timeline-slow-step.tsv`) was
//! recorded once, on the real clock; its times cannot be reproduced, but
//! what the figure says must still be true of the example now. The test
//! records it again and checks the shape, and the committed data has it
//! too. `tests/fresh.rs` checks that the figure is what the data draws.

use figures::slow_step;

#[test]
fn debug_mode_warns_once_about_inner_blocking_the_loop() {
    let recording = slow_step::record();
    slow_step::check(&recording).unwrap();
}

#[test]
fn the_committed_recording_has_the_same_shape() {
    slow_step::check(&slow_step::committed()).unwrap();
}

#[test]
fn the_data_file_reads_back_as_written() {
    let recording = slow_step::committed();
    let data = slow_step::to_data(&recording, "");
    assert_eq!(slow_step::from_data(&data), recording);
}
