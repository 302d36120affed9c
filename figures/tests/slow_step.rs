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
fn a_duration_rounded_up_by_the_warning_still_fits_its_tick() {
    // The warning prints seconds to three decimals: a step of 100.55 ms
    // reads "0.101 seconds", longer than the 100.55 ms until the next tick.
    let mut recording = slow_step::committed();
    let ticks = recording.tick_times();
    let tick = recording.slow[0].tick;
    let gap = ticks[tick] - ticks[tick - 1];
    recording.slow[0].took = gap + std::time::Duration::from_micros(400);
    slow_step::check(&recording).unwrap();
}

#[test]
fn the_data_file_reads_back_as_written() {
    let recording = slow_step::committed();
    let data = slow_step::to_data(&recording, "");
    assert_eq!(slow_step::from_data(&data), recording);
}
