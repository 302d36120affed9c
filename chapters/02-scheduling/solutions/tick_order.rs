//! Exercise 1 (small): predict the tick. The scenario's lines, tick by tick.

pub use crate::tick_scenario::{Log, scenario};

// ANCHOR: prediction
/// Every line [`scenario`] writes, in order.
pub fn predicted_order() -> Vec<&'static str> {
    vec![
        // Tick 1, at 0: the ready queue holds A and B; then the due timer
        // (a zero delay is due now) joins its back.
        "A at 0 ms",
        "B at 0 ms",
        "zero-delay timer at 0 ms",
        // Tick 2: what A queued during tick 1.
        "C, queued by A at 0 ms",
        // Nothing ready: the clock jumps to the earliest live deadline. B
        // cancelled the 50 ms timer, so that is 100. Equal deadlines: FIFO.
        "P at 100 ms",
        "Q at 100 ms",
        // The jump to 150. stop() lets the tick finish.
        "stopper at 150 ms",
        "S at 150 ms",
        "run_forever returned at 150 ms",
        // stop() before run_forever: one tick, and the clock stays put. The
        // 300 ms timer never runs.
        "queued by stopper at 150 ms",
        "second run_forever returned at 150 ms",
    ]
}
// ANCHOR_END: prediction
