//! The timer workload's deadlines, shared by `benches/scheduler.rs` and
//! `examples/workload_cost.rs`, so that every runtime, timed or counted,
//! sleeps the same "random" deadlines.

use std::time::Duration;

/// `n` deadlines up to `max_ms`, from a tiny xorshift.
pub fn deadlines(n: usize, max_ms: u64) -> Vec<Duration> {
    let mut state = 0x9e37_79b9_u32;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            Duration::from_micros(u64::from(state) % (max_ms * 1000))
        })
        .collect()
}
