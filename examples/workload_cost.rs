//! Instructions per operation, for the scheduler benchmark's workloads on aio,
//! tokio and smol alike (`benches/support/*_workloads.rs`): run one workload
//! on one runtime at a given size, under callgrind, at two sizes, and the
//! difference divided by the difference in size is the cost of one more
//! operation, with the process's start and the runtime's construction taken
//! out. The `build` workload builds and closes `N` runtimes that run nothing.
//!
//! ```sh
//! cargo build --release --example workload_cost
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \
//!     target/release/examples/workload_cost aio timers 20000
//! ```

use std::rc::Rc;
use std::time::Duration;

#[path = "../benches/support/aio_workloads.rs"]
mod on_aio;
#[path = "../benches/support/smol_workloads.rs"]
mod on_smol;
#[path = "../benches/support/tokio_workloads.rs"]
mod on_tokio;

#[path = "../benches/support/timer_deadlines.rs"]
mod timer_deadlines;

/// The benchmark's deadlines, up to `max_ms`, shared by every runtime.
fn deadlines(n: usize, max_ms: u64) -> Rc<Vec<Duration>> {
    Rc::new(timer_deadlines::deadlines(n, max_ms))
}

macro_rules! run_on {
    ($runtime:ident, $workload:expr, $n:expr) => {{
        let n = $n;
        match $workload {
            "build" => $runtime::build_many(n),
            "spawn_many" => $runtime::spawn_many(n),
            "yield_many" => $runtime::yield_many(100, n / 100),
            "ping_pong" => $runtime::ping_pong(n),
            "chained_spawn" => $runtime::chained_spawn(n),
            "timers" => $runtime::timers(deadlines(n, 10)),
            "timeouts" => $runtime::timeouts(n),
            "queue" => $runtime::queue_round_trips(n),
            other => panic!("no workload {other:?}"),
        }
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [runtime, workload, n] = &args[..] else {
        panic!("usage: workload_cost aio|tokio|smol WORKLOAD N");
    };
    let n: usize = n.parse().expect("N is a number");
    match runtime.as_str() {
        "aio" => aio::with_clock(aio::ClockKind::Real, || {
            run_on!(on_aio, workload.as_str(), n)
        }),
        "tokio" => run_on!(on_tokio, workload.as_str(), n),
        "smol" => run_on!(on_smol, workload.as_str(), n),
        other => panic!("no runtime {other:?}"),
    }
}
