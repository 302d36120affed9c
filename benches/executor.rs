//! Round trips through a thread pool: 10,000 small jobs (`i + 1`), each
//! handed to a pool of four threads and its answer awaited on the loop. Once
//! one at a time (submit, await, the next) and once all at once (submit all
//! 10,000, then await them all). A job does almost nothing, so what is timed
//! is the trip: the hand-over to a worker thread, the wake-up of the loop,
//! and the answer back to the task.
//!
//! The contenders, each with at most four worker threads:
//!
//! - aio's `run_in_executor` on a `ThreadPoolExecutor::new(4)` (a job is
//!   submitted at the call), and `aio::to_thread` with that pool as the
//!   loop's default executor (submitted when first polled, so all at once
//!   it runs each job in a task of its own, with `aio::gather`, as Python
//!   must);
//! - aio's `ProcessPoolExecutor::new(4)`, the job a registered function:
//!   each trip is a request frame down a pipe to a worker process and a
//!   reply back, what isolation costs next to a thread;
//! - tokio's `spawn_blocking` on a `current_thread` runtime with
//!   `max_blocking_threads(4)`, the reference;
//! - Python 3.11's `asyncio.to_thread` with a `ThreadPoolExecutor(4)` as
//!   the default executor (all at once: `asyncio.gather`), and the same on
//!   uvloop; uvloop is installed with pip if missing, and skipped with a
//!   note if that fails.
//!
//! Before the clock starts, every contender runs one round of four jobs at
//! once, so that each pool's threads exist: what is timed is the trips, not
//! the threads' start. Python times itself in its own process, so its
//! interpreter's start is not counted.
//!
//! ```sh
//! cargo bench --bench executor            # 5 runs of each, the median
//! cargo bench --bench executor -- --quick # 1 run of each
//! cargo bench --bench executor -- --only aio # only the contenders named so
//! ```
//!
//! It writes `book/generated/executor.tsv` and the table rendered from it,
//! `book/generated/executor.md`: jobs per second, and each contender's time
//! relative to tokio's; `cargo run -p figures` draws the chart.

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

#[path = "support/bench_args.rs"]
mod bench_args;

#[path = "support/in_turns.rs"]
mod in_turns;

use bench_args::{BenchArgs, ensure_uvloop, python_seconds};
use in_turns::{Contender, measure_in_turns};

use std::cell::OnceCell;
use std::process::Command;
use std::time::{Duration, Instant};

/// How many jobs each run hands to the pool.
const JOBS: u64 = 10_000;

/// How many worker threads every pool may have.
const WORKERS: usize = 4;

/// The job: next to nothing, so that the trip is what is timed.
fn job(i: u64) -> u64 {
    i + 1
}

/// How the jobs of one run are awaited.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    OneAtATime,
    AllAtOnce,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::OneAtATime => "one at a time",
            Mode::AllAtOnce => "all at once",
        }
    }
}

// ------------------------------------------------------------ the contenders

/// Checks a run's answers: job `i` answered `i + 1`.
fn check(answers: impl IntoIterator<Item = u64>) {
    let mut count = 0;
    for (i, answer) in answers.into_iter().enumerate() {
        assert_eq!(answer, job(i as u64));
        count += 1;
    }
    assert_eq!(count, JOBS as usize);
}

/// `aio::run_in_executor` on `executor`, job `i` made by `make(i)`.
fn aio_run_in_executor<E, J>(
    mode: Mode,
    executor: E,
    make: impl Fn(u64) -> J + 'static,
) -> Duration
where
    E: aio::Executor<J, Output = u64> + 'static,
    J: 'static,
{
    aio::run(async move {
        let round = |jobs: u64| {
            let submitted: Vec<_> = (0..jobs)
                .map(|i| aio::run_in_executor(&executor, make(i)))
                .collect();
            async move {
                let mut answers = Vec::with_capacity(submitted.len());
                for answer in submitted {
                    answers.push(answer.await.unwrap());
                }
                answers
            }
        };
        round(WORKERS as u64).await; // the workers start
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..JOBS {
                    let answer = aio::run_in_executor(&executor, make(i));
                    assert_eq!(answer.await.unwrap(), job(i));
                }
            }
            Mode::AllAtOnce => check(round(JOBS).await),
        }
        started.elapsed()
    })
    .unwrap()
}

/// `aio::run_in_executor` on a pool of [`WORKERS`] threads.
fn aio_thread_pool(mode: Mode) -> Duration {
    let pool = aio::ThreadPoolExecutor::new(WORKERS).unwrap();
    aio_run_in_executor(mode, pool, |i| move || job(i))
}

/// `aio::run_in_executor` on a pool of [`WORKERS`] worker processes:
/// `pooled` is `job`, registered in `main` (this benchmark is its own
/// worker program).
fn aio_process_pool(
    mode: Mode,
    pooled: aio::PoolFunction<u64, u64>,
) -> Duration {
    let pool = aio::ProcessPoolExecutor::new(WORKERS).unwrap();
    let elapsed =
        aio_run_in_executor(mode, pool.clone(), move |i| pooled.call(i));
    pool.shutdown(true, false); // the workers go before the next run
    elapsed
}

/// `aio::to_thread`, the loop's default executor a pool of [`WORKERS`].
fn aio_to_thread(mode: Mode) -> Duration {
    let pool = aio::ThreadPoolExecutor::new(WORKERS).unwrap();
    aio::run(async move {
        aio::get_running_loop().unwrap().set_default_executor(pool);
        let round = |jobs: u64| {
            let calls = (0..jobs).map(|i| aio::to_thread(move || job(i)));
            async move {
                let answers = aio::gather(calls).await.unwrap();
                answers.into_iter().map(Result::unwrap).collect::<Vec<_>>()
            }
        };
        round(WORKERS as u64).await; // the threads start
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..JOBS {
                    let answer = aio::to_thread(move || job(i)).await;
                    assert_eq!(answer.unwrap(), job(i));
                }
            }
            Mode::AllAtOnce => check(round(JOBS).await),
        }
        started.elapsed()
    })
    .unwrap()
}

/// tokio's `spawn_blocking`, at most [`WORKERS`] blocking threads.
fn tokio_spawn_blocking(mode: Mode) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(WORKERS)
        .build()
        .unwrap();
    runtime.block_on(async move {
        let round = |jobs: u64| {
            let handles: Vec<_> = (0..jobs)
                .map(|i| tokio::task::spawn_blocking(move || job(i)))
                .collect();
            async move {
                let mut answers = Vec::with_capacity(handles.len());
                for handle in handles {
                    answers.push(handle.await.unwrap());
                }
                answers
            }
        };
        round(WORKERS as u64).await; // the threads start
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..JOBS {
                    let answer = tokio::task::spawn_blocking(move || job(i));
                    assert_eq!(answer.await.unwrap(), job(i));
                }
            }
            Mode::AllAtOnce => check(round(JOBS).await),
        }
        started.elapsed()
    })
}

/// Python's round trips: `python3 -c PYTHON STYLE MODE JOBS WORKERS` prints
/// the seconds they took, timed in the interpreter.
const PYTHON: &str = r#"
import asyncio, concurrent.futures, sys, time
style, mode, jobs, workers = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:5])
if style == 'uvloop':
    import uvloop
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
def job(i):
    return i + 1
async def round_of(jobs):
    return await asyncio.gather(*(asyncio.to_thread(job, i) for i in range(jobs)))
async def main():
    pool = concurrent.futures.ThreadPoolExecutor(workers)
    asyncio.get_running_loop().set_default_executor(pool)
    await round_of(workers)  # the threads start
    started = time.perf_counter()
    if mode == 'one':
        for i in range(jobs):
            if await asyncio.to_thread(job, i) != i + 1:
                raise SystemExit(f'job {i} answered wrong')
    elif await round_of(jobs) != [job(i) for i in range(jobs)]:
        raise SystemExit('a job answered wrong')
    print(time.perf_counter() - started)
asyncio.run(main())
"#;

fn python(style: &str, mode: Mode) -> Result<Duration, String> {
    let mode = match mode {
        Mode::OneAtATime => "one",
        Mode::AllAtOnce => "all",
    };
    let output = Command::new("python3")
        .args([
            "-c",
            PYTHON,
            style,
            mode,
            &JOBS.to_string(),
            &WORKERS.to_string(),
        ])
        .output();
    python_seconds(output)
}

// ------------------------------------------------------------ the run

fn contenders(pooled: aio::PoolFunction<u64, u64>) -> Vec<Contender<Mode>> {
    let uvloop = OnceCell::new();
    vec![
        ("aio run_in_executor", Box::new(|mode| Ok(aio_thread_pool(mode)))),
        ("aio to_thread", Box::new(|mode| Ok(aio_to_thread(mode)))),
        (
            "aio ProcessPoolExecutor",
            Box::new(move |mode| Ok(aio_process_pool(mode, pooled))),
        ),
        (
            bench_data::EXECUTOR_REFERENCE,
            Box::new(|mode| Ok(tokio_spawn_blocking(mode))),
        ),
        ("Python asyncio to_thread", Box::new(|mode| python("asyncio", mode))),
        (
            "uvloop to_thread",
            Box::new(move |mode| {
                uvloop.get_or_init(ensure_uvloop).clone()?;
                python("uvloop", mode)
            }),
        ),
    ]
}

fn main() {
    // The process pool's workers are this program run again: they serve
    // here, before anything else happens.
    let mut functions = aio::PoolFunctions::new();
    let pooled = functions.register("job", job).unwrap();
    functions.serve_if_worker();
    let args = BenchArgs::from_env();
    let runs = args.runs();
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::EXECUTOR_COLUMNS);
    data.set_meta("command", &args.command("executor"));
    let contenders: Vec<Contender<Mode>> = contenders(pooled)
        .into_iter()
        .filter(|(name, _)| args.includes(name))
        .collect();
    let measurements = measure_in_turns(
        &contenders,
        &[
            (Mode::OneAtATime, Mode::OneAtATime.label()),
            (Mode::AllAtOnce, Mode::AllAtOnce.label()),
        ],
        runs,
    );
    for measurement in measurements {
        println!("{}", measurement.summary(JOBS, "jobs"));
        data.push(measurement.cells(JOBS));
    }
    data.set_meta(
        "note",
        &format!(
            "{JOBS} jobs (`i + 1`) through a pool of {WORKERS} threads (or \
             {WORKERS} worker processes), each awaited on the loop, one at a time and all at once, the \
             median of {runs} run{}, on {}.",
            if runs == 1 { "" } else { "s" },
            bench_data::machine(started),
        ),
    );
    print!("\n{}", bench_data::table("executor", &data));
    if args.only.is_none() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("book/generated");
        data.save(&dir, "executor").unwrap();
        println!(
            "\nwritten to {}/executor.tsv and executor.md; run `cargo run -p \
             figures` to redraw the chart",
            dir.display()
        );
    }
}
