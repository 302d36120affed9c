//! Scheduler and timer workloads, side by side: aio, tokio's `current_thread`
//! runtime, and smol's `LocalExecutor`, in one run. Writes every run's time
//! to `book/generated/scheduler.tsv` and the table rendered from it (time per
//! operation, and each runtime's time relative to tokio's) to
//! `book/generated/scheduler.md`; `cargo run -p figures` draws the chart.
//!
//! ```sh
//! cargo bench --bench scheduler            # the full suite
//! cargo bench --bench scheduler -- --quick # fewer runs, smaller sizes
//! ```

use std::rc::Rc;
use std::time::{Duration, Instant};

#[path = "support/timer_deadlines.rs"]
mod timer_deadlines;
use timer_deadlines::deadlines;

struct Sizes {
    builds: usize,
    spawn_small: usize,
    spawn_large: usize,
    yield_tasks: usize,
    yields: usize,
    round_trips: usize,
    chain: usize,
    timers: usize,
    timeouts: usize,
    runs: usize,
}

const FULL: Sizes = Sizes {
    builds: 1_000,
    spawn_small: 1_000,
    spawn_large: 25_000,
    yield_tasks: 200,
    yields: 1_000,
    round_trips: 1_000,
    chain: 1_000,
    timers: 100_000,
    timeouts: 100_000,
    runs: 7,
};

const QUICK: Sizes = Sizes {
    builds: 200,
    spawn_small: 1_000,
    spawn_large: 25_000,
    yield_tasks: 200,
    yields: 200,
    round_trips: 1_000,
    chain: 1_000,
    timers: 20_000,
    timeouts: 20_000,
    runs: 3,
};

// ---------------------------------------------------------------- aio

#[path = "support/aio_workloads.rs"]
mod on_aio;

#[path = "support/tokio_workloads.rs"]
mod on_tokio;

#[path = "support/smol_workloads.rs"]
mod on_smol;

// ---------------------------------------------------------------- harness

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

/// Runs `work` once to warm up, then `runs` times, and returns each run's
/// time, fastest first.
fn timed_runs(runs: usize, work: impl Fn()) -> Vec<Duration> {
    work();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// A workload, as each runtime runs it.
struct Workload {
    /// Its name, with its size in brackets.
    name: String,
    /// How many operations (spawns, yields, round trips, ...) one run makes.
    operations: usize,
    aio: Box<dyn Fn()>,
    tokio: Box<dyn Fn()>,
    smol: Box<dyn Fn()>,
}

fn workloads(sizes: &Sizes) -> Vec<Workload> {
    let deadlines = Rc::new(deadlines(sizes.timers, 10));
    let (d1, d2, d3) = (deadlines.clone(), deadlines.clone(), deadlines);
    let &Sizes {
        builds,
        spawn_small,
        spawn_large,
        yield_tasks,
        yields,
        round_trips,
        chain,
        timers,
        timeouts,
        ..
    } = sizes;
    vec![
        Workload {
            name: format!("empty runtime ({builds})"),
            operations: builds,
            aio: Box::new(move || on_aio::build_many(builds)),
            tokio: Box::new(move || on_tokio::build_many(builds)),
            smol: Box::new(move || on_smol::build_many(builds)),
        },
        Workload {
            name: format!("spawn_many ({spawn_small})"),
            operations: spawn_small,
            aio: Box::new(move || on_aio::spawn_many(spawn_small)),
            tokio: Box::new(move || on_tokio::spawn_many(spawn_small)),
            smol: Box::new(move || on_smol::spawn_many(spawn_small)),
        },
        Workload {
            name: format!("spawn_many ({spawn_large})"),
            operations: spawn_large,
            aio: Box::new(move || on_aio::spawn_many(spawn_large)),
            tokio: Box::new(move || on_tokio::spawn_many(spawn_large)),
            smol: Box::new(move || on_smol::spawn_many(spawn_large)),
        },
        Workload {
            name: format!("yield_many ({yield_tasks} × {yields})"),
            operations: yield_tasks * yields,
            aio: Box::new(move || on_aio::yield_many(yield_tasks, yields)),
            tokio: Box::new(move || on_tokio::yield_many(yield_tasks, yields)),
            smol: Box::new(move || on_smol::yield_many(yield_tasks, yields)),
        },
        Workload {
            name: format!("ping_pong ({round_trips})"),
            operations: round_trips,
            aio: Box::new(move || on_aio::ping_pong(round_trips)),
            tokio: Box::new(move || on_tokio::ping_pong(round_trips)),
            smol: Box::new(move || on_smol::ping_pong(round_trips)),
        },
        Workload {
            name: format!("chained_spawn ({chain})"),
            operations: chain,
            aio: Box::new(move || on_aio::chained_spawn(chain)),
            tokio: Box::new(move || on_tokio::chained_spawn(chain)),
            smol: Box::new(move || on_smol::chained_spawn(chain)),
        },
        Workload {
            name: format!("timers ({timers}, ≤ 10 ms)"),
            operations: timers,
            aio: Box::new(move || on_aio::timers(d1.clone())),
            tokio: Box::new(move || on_tokio::timers(d2.clone())),
            smol: Box::new(move || on_smol::timers(d3.clone())),
        },
        Workload {
            name: format!("timeout armed and cancelled ({timeouts})"),
            operations: timeouts,
            aio: Box::new(move || on_aio::timeouts(timeouts)),
            tokio: Box::new(move || on_tokio::timeouts(timeouts)),
            smol: Box::new(move || on_smol::timeouts(timeouts)),
        },
        Workload {
            name: format!("queue request/reply ({round_trips})"),
            operations: round_trips,
            aio: Box::new(move || on_aio::queue_round_trips(round_trips)),
            tokio: Box::new(move || on_tokio::queue_round_trips(round_trips)),
            smol: Box::new(move || on_smol::queue_round_trips(round_trips)),
        },
    ]
}

/// The aio workloads run on the real clock, whatever `AIO_CLOCK` says.
fn main() {
    aio::with_clock(aio::ClockKind::Real, run);
}

fn run() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let sizes = if quick { QUICK } else { FULL };
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::SCHEDULER_COLUMNS);
    data.set_meta(
        "command",
        if quick {
            "cargo bench --bench scheduler -- --quick"
        } else {
            "cargo bench --bench scheduler"
        },
    );
    for workload in workloads(&sizes) {
        for (runtime, work) in [
            ("aio", &workload.aio),
            (bench_data::REFERENCE, &workload.tokio),
            ("smol LocalExecutor", &workload.smol),
        ] {
            let times = timed_runs(sizes.runs, work);
            let nanos: Vec<String> =
                times.iter().map(|time| time.as_nanos().to_string()).collect();
            let median = &nanos[nanos.len() / 2];
            println!("{} on {runtime}: median {median} ns", workload.name);
            data.push(vec![
                workload.name.clone(),
                workload.operations.to_string(),
                runtime.to_owned(),
                median.clone(),
                nanos.join(","),
            ]);
        }
    }
    data.set_meta(
        "note",
        &format!(
            "Median of {} runs{}, each runtime building a fresh runtime per \
             run, after a warm-up run, on {}.",
            sizes.runs,
            if quick { " (quick mode: fewer runs, smaller sizes)" } else { "" },
            bench_data::machine(started)
        ),
    );
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/generated");
    data.save(&dir, "scheduler").unwrap();
    print!("\n{}", bench_data::scheduler_table(&data));
    println!(
        "\nwritten to {0}/scheduler.tsv and scheduler.md; \
         run `cargo run -p figures` to redraw the chart",
        dir.display()
    );
}
