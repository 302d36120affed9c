//! The examples, run as a reader runs them, in every setting of
//! `common::SETTINGS`. The pool examples' workers race, so their logs are
//! checked for what the pool promises and against their snapshots once
//! normalised (`common::pool_log`); `blocking_freezes` prints real times,
//! so its output is checked for what they must show, and its snapshot has
//! them redacted.

mod common;

use common::pool_log::{Pool, check_promises, check_with_snapshot, normalise};
use common::pool_log::{parse_log, redact_pids};
use common::{SETTINGS, logs, snapshot, succeeds};

const EXECUTOR_THREAD: &str = env!("CARGO_BIN_EXE_executor_thread");
const EXECUTOR_PROCESS: &str = env!("CARGO_BIN_EXE_executor_process");
const THREAD_PER_CALL: &str = env!("CARGO_BIN_EXE_thread_per_call");
const BLOCKING_FREEZES: &str = env!("CARGO_BIN_EXE_blocking_freezes");
const CHAPTER: &str = env!("CARGO_BIN_EXE_ch13-executors");

/// A pool of three workers, each call on one of them.
const THREE_WORKERS: Pool = Pool { workers: 3, at_once: 3 };

#[test]
fn executor_thread_runs_six_calls_on_three_reused_threads() {
    for setting in SETTINGS {
        let log = logs(EXECUTOR_THREAD, setting);
        let workers = check_promises(&log, THREE_WORKERS);
        let names =
            ["0", "1", "2"].map(|m| format!("ThreadPoolExecutor-0_{m}"));
        assert!(workers.iter().eq(&names), "{workers:?}");
        assert_eq!(parse_log(&log)[0].who, "main", "{log}");
        let how = "cargo run -p ch13-executors --bin executor_thread";
        check_with_snapshot("executor_thread", how, &log, THREE_WORKERS);
    }
}

#[test]
fn executor_process_runs_six_calls_in_three_reused_processes() {
    for setting in SETTINGS {
        // The redacted log names the main process and each worker by the
        // order they first log in, so a worker with the main one's PID
        // would be `<main>`, and break the promises.
        let log = redact_pids(&logs(EXECUTOR_PROCESS, setting));
        let workers = check_promises(&log, THREE_WORKERS);
        let names = [1, 2, 3].map(|n| format!("PID <worker {n}>"));
        assert!(workers.iter().eq(&names), "{workers:?}");
        let how = "cargo run -p ch13-executors --bin executor_process, \
                   the PIDs redacted";
        check_with_snapshot("executor_process", how, &log, THREE_WORKERS);
    }
}

#[test]
fn thread_per_call_runs_each_call_on_a_new_thread() {
    let six_threads = Pool { workers: 6, at_once: 6 };
    for setting in SETTINGS {
        let log = logs(THREAD_PER_CALL, setting);
        let workers = check_promises(&log, six_threads);
        // Threads without names: their ids stand in.
        assert!(workers.iter().all(|who| who.starts_with("ThreadId(")));
        let how = "cargo run -p ch13-executors --bin thread_per_call";
        check_with_snapshot("thread_per_call", how, &log, six_threads);
    }
}

#[test]
fn the_default_binary_runs_the_executor_thread_example() {
    let chapter = logs(CHAPTER, &[]);
    check_promises(&chapter, THREE_WORKERS);
    assert_eq!(normalise(&chapter), normalise(&logs(EXECUTOR_THREAD, &[])));
}

/// A tick line's gap, in milliseconds, if `line` is one.
fn gap(line: &str) -> Option<f64> {
    let gap = line.strip_prefix("ticker: ")?;
    let gap = gap.strip_suffix(" ms since the last tick")?;
    Some(gap.parse().unwrap_or_else(|_| panic!("{line:?}")))
}

/// The lines of `lines` strictly between the line `from` and the next
/// line `to`.
fn between<'a>(lines: &[&'a str], from: &str, to: &str) -> Vec<&'a str> {
    let start = lines.iter().position(|l| *l == from).expect(from) + 1;
    let length = lines[start..].iter().position(|l| *l == to).expect(to);
    lines[start..start + length].to_vec()
}

/// `output` as its snapshot holds it: each time `[ms]`, and each run of
/// ticks, whose length varies with the machine, shown once.
fn redact_times(output: &str) -> String {
    let mut redacted: Vec<&str> = Vec::new();
    for line in output.lines() {
        let line = match gap(line) {
            Some(_) => "ticker: [ms] ms since the last tick",
            None => line,
        };
        if redacted.last() != Some(&line) {
            redacted.push(line);
        }
    }
    redacted.iter().map(|line| format!("{line}\n")).collect()
}

#[test]
fn blocking_freezes_the_ticker_until_the_call_goes_to_a_thread() {
    let output = succeeds(BLOCKING_FREEZES, &[]);
    let lines: Vec<&str> = output.lines().collect();
    let (on_the_loop, on_a_worker) = (
        "blocker: std::thread::sleep(100 ms) on the loop's thread",
        "blocker: the same sleep through aio::to_thread",
    );
    let awake = "blocker: awake";
    // On the loop's thread: no tick while it sleeps, and the next one
    // comes at least the sleep's 100 ms after the tick before it.
    assert_eq!(between(&lines, on_the_loop, awake), [] as [&str; 0]);
    let after = lines.iter().position(|l| *l == awake).expect(awake) + 1;
    let late = gap(lines[after]).expect("a tick after the sleep");
    assert!(late >= 100.0, "{late} ms: {output}");
    // On a worker: the ticks go on while it sleeps.
    let ticks = between(&lines, on_a_worker, awake);
    assert!(!ticks.is_empty(), "no tick while the worker slept: {output}");
    assert!(ticks.iter().all(|line| gap(line).is_some()), "{output}");
    let how = "cargo run -p ch13-executors --bin blocking_freezes, the times \
               redacted and each run of ticks shown once";
    snapshot("blocking_freezes", how, &redact_times(&output));
}
