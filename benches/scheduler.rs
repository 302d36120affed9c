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

use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A tiny xorshift, so every runtime gets the same "random" deadlines.
fn deadlines(n: usize, max_ms: u64) -> Vec<Duration> {
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

struct Sizes {
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

// ---------------------------------------------------------------- tokio

mod on_tokio {
    use super::*;

    pub fn block_on<T>(future: impl Future<Output = T>) -> T {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(future)
    }

    pub fn spawn_many(n: usize) {
        block_on(async move {
            let tasks: Vec<_> =
                (0..n).map(|i| tokio::spawn(async move { i })).collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
    }

    pub fn yield_many(tasks: usize, yields: usize) {
        block_on(async move {
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    tokio::spawn(async move {
                        for _ in 0..yields {
                            tokio::task::yield_now().await;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
    }

    pub fn ping_pong(round_trips: usize) {
        block_on(async move {
            for _ in 0..round_trips {
                let (ping_tx, ping_rx) = tokio::sync::oneshot::channel::<()>();
                let (pong_tx, pong_rx) = tokio::sync::oneshot::channel::<()>();
                tokio::spawn(async move {
                    ping_rx.await.unwrap();
                    pong_tx.send(()).unwrap();
                });
                ping_tx.send(()).unwrap();
                pong_rx.await.unwrap();
            }
        });
    }

    pub fn chained_spawn(depth: usize) {
        fn link(remaining: usize, done: tokio::sync::oneshot::Sender<()>) {
            if remaining == 0 {
                done.send(()).unwrap();
            } else {
                tokio::spawn(async move { link(remaining - 1, done) });
            }
        }
        block_on(async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            link(depth, tx);
            rx.await.unwrap();
        });
    }

    pub fn timers(deadlines: Rc<Vec<Duration>>) {
        block_on(async move {
            let tasks: Vec<_> = deadlines
                .iter()
                .map(|d| tokio::spawn(tokio::time::sleep(*d)))
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
    }

    pub fn timeouts(n: usize) {
        block_on(async move {
            for _ in 0..n {
                tokio::time::timeout(
                    Duration::from_secs(1),
                    tokio::task::yield_now(),
                )
                .await
                .unwrap();
            }
        });
    }

    pub fn queue_round_trips(n: usize) {
        block_on(async move {
            let (request_tx, mut request_rx) =
                tokio::sync::mpsc::channel::<usize>(1);
            let (reply_tx, mut reply_rx) =
                tokio::sync::mpsc::channel::<usize>(1);
            tokio::spawn(async move {
                for _ in 0..n {
                    let request = request_rx.recv().await.unwrap();
                    reply_tx.send(request + 1).await.unwrap();
                }
            });
            for i in 0..n {
                request_tx.send(i).await.unwrap();
                assert_eq!(reply_rx.recv().await.unwrap(), i + 1);
            }
        });
    }
}

// ---------------------------------------------------------------- smol

mod on_smol {
    use super::*;

    pub fn block_on<T>(future: impl Future<Output = T>) -> T {
        let executor = smol::LocalExecutor::new();
        smol::block_on(executor.run(future))
    }

    pub fn spawn_many(n: usize) {
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let tasks: Vec<_> =
                (0..n).map(|i| ex.spawn(async move { i })).collect();
            for task in tasks {
                task.await;
            }
        }));
    }

    pub fn yield_many(tasks: usize, yields: usize) {
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    ex.spawn(async move {
                        for _ in 0..yields {
                            smol::future::yield_now().await;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.await;
            }
        }));
    }

    pub fn ping_pong(round_trips: usize) {
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            for _ in 0..round_trips {
                let (ping_tx, ping_rx) = smol::channel::bounded::<()>(1);
                let (pong_tx, pong_rx) = smol::channel::bounded::<()>(1);
                ex.spawn(async move {
                    ping_rx.recv().await.unwrap();
                    pong_tx.send(()).await.unwrap();
                })
                .detach();
                ping_tx.send(()).await.unwrap();
                pong_rx.recv().await.unwrap();
            }
        }));
    }

    pub fn chained_spawn(depth: usize) {
        fn link(
            ex: Rc<smol::LocalExecutor<'static>>,
            remaining: usize,
            done: smol::channel::Sender<()>,
        ) {
            if remaining == 0 {
                done.try_send(()).unwrap();
            } else {
                let next = ex.clone();
                ex.spawn(async move { link(next, remaining - 1, done) })
                    .detach();
            }
        }
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let (tx, rx) = smol::channel::bounded(1);
            link(ex, depth, tx);
            rx.recv().await.unwrap();
        }));
    }

    pub fn timers(deadlines: Rc<Vec<Duration>>) {
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let tasks: Vec<_> = deadlines
                .iter()
                .map(|d| {
                    let d = *d;
                    ex.spawn(async move {
                        smol::Timer::after(d).await;
                    })
                })
                .collect();
            for task in tasks {
                task.await;
            }
        }));
    }

    pub fn timeouts(n: usize) {
        block_on(async move {
            for _ in 0..n {
                let work = async {
                    smol::future::yield_now().await;
                    true
                };
                let timeout = async {
                    smol::Timer::after(Duration::from_secs(1)).await;
                    false
                };
                assert!(smol::future::or(work, timeout).await);
            }
        });
    }

    pub fn queue_round_trips(n: usize) {
        let executor = Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let (request_tx, request_rx) = smol::channel::bounded::<usize>(1);
            let (reply_tx, reply_rx) = smol::channel::bounded::<usize>(1);
            ex.spawn(async move {
                for _ in 0..n {
                    let request = request_rx.recv().await.unwrap();
                    reply_tx.send(request + 1).await.unwrap();
                }
            })
            .detach();
            for i in 0..n {
                request_tx.send(i).await.unwrap();
                assert_eq!(reply_rx.recv().await.unwrap(), i + 1);
            }
        }));
    }
}

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
