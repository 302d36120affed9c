//! What the loop's trace (chapter 1) costs when nobody records: the scheduler
//! benchmark's aio workloads (`benches/support/aio_workloads.rs`), on the
//! virtual clock, for an instruction count that repeats exactly:
//!
//! ```sh
//! cargo build --release --example trace_cost
//! valgrind --tool=callgrind target/release/examples/trace_cost
//! ```

use std::rc::Rc;
use std::time::Duration;

#[path = "../benches/support/aio_workloads.rs"]
#[allow(dead_code)] // `build_many` builds loops: no trace to cost
mod workloads;

fn main() {
    aio::with_clock(aio::ClockKind::Virtual, || {
        workloads::spawn_many(20_000);
        workloads::yield_many(100, 100);
        workloads::ping_pong(20_000);
        workloads::chained_spawn(1_000);
        let deadlines = (0..5_000u64)
            .map(|i| Duration::from_micros(i * 7919 % 100_000))
            .collect();
        workloads::timers(Rc::new(deadlines));
        workloads::timeouts(5_000);
        workloads::queue_round_trips(5_000);
    });
}
