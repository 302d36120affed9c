//! Reading the log of a pool example (`executor_thread`, `executor_process`,
//! `thread_per_call`), whose worker lines come in a different order from
//! run to run: the workers race.
//!
//! So a snapshot holds one real run's log, and a test checks a fresh run
//! three ways: the pool's promises on the fresh log ([`check_promises`]),
//! the same promises on the stored snapshot, and the two logs compared once
//! what may vary is taken out ([`normalise`]). If they agree, the snapshot
//! is asserted equal to itself, which passes; if not, the fresh log is
//! asserted, so that insta shows the difference and offers the new run
//! ([`check_with_snapshot`]).

use super::{snapshot, stored_snapshot};
use std::collections::{BTreeMap, BTreeSet};

/// One log line: who wrote it (a thread's name, or `PID` and a process
/// id), the logger's name, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The thread or the process.
    pub who: String,
    /// The logger: `run_blocking_tasks` or `blocks(N)`.
    pub logger: String,
    /// What it said.
    pub message: String,
}

impl Line {
    /// Reads `WHO LOGGER: MESSAGE`, where the logger's name has no space
    /// and the padding is any number of spaces.
    pub fn parse(line: &str) -> Line {
        let (head, message) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{line:?} is not WHO LOGGER: MESSAGE"));
        let mut words: Vec<&str> = head.split_whitespace().collect();
        let logger = words.pop().expect("a logger's name");
        assert!(!words.is_empty(), "{line:?} names no thread or process");
        Line {
            who: words.join(" "),
            logger: logger.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Every line of `log`.
pub fn parse_log(log: &str) -> Vec<Line> {
    log.lines().map(Line::parse).collect()
}

/// What a run of six calls on a pool must show.
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    /// How many workers run the six calls.
    pub workers: usize,
    /// How many calls may run at once, at most.
    pub at_once: usize,
}

/// The main thread's or process's lines, in their one possible order; the
/// workers' lines come between the second and the fourth.
const MAIN_LINES: [&str; 5] = [
    "starting",
    "creating executor tasks",
    "waiting for executor tasks",
    "results: [0, 1, 4, 9, 16, 25]",
    "exiting",
];

/// Checks what `pool` promises on `log`: the main lines in order, from
/// one thread or process; each call `blocks(0)` to `blocks(5)` running
/// once then done, both on one worker that is not the main one, and
/// between those two lines; at most `pool.at_once` calls running at any
/// point; and `pool.workers` workers in all. Returns the workers' names.
pub fn check_promises(log: &str, pool: Pool) -> BTreeSet<String> {
    let lines = parse_log(log);
    let main = &lines.first().expect("a log").who;
    let of_main: Vec<&str> = lines
        .iter()
        .filter(|line| line.logger == "run_blocking_tasks")
        .inspect(|line| assert_eq!(&line.who, main, "{log}"))
        .map(|line| line.message.as_str())
        .collect();
    assert_eq!(of_main, MAIN_LINES, "{log}");
    let is_between = |line: &Line| {
        line.logger != "run_blocking_tasks"
            || line.message == "waiting for executor tasks"
    };
    let results = lines.len() - 2;
    assert!(lines[2..results].iter().all(is_between), "{log}");
    let mut running: BTreeMap<&str, &str> = BTreeMap::new();
    let mut done: Vec<&str> = Vec::new();
    let mut workers = BTreeSet::new();
    for line in lines.iter().filter(|line| line.logger != "run_blocking_tasks")
    {
        let (call, who) = (line.logger.as_str(), line.who.as_str());
        assert_ne!(who, main, "a call on the main one: {log}");
        workers.insert(who.to_owned());
        match line.message.as_str() {
            "running" => {
                let again = running.insert(call, who).is_some();
                assert!(!again && !done.contains(&call), "{call}: {log}");
                let count = running.len();
                assert!(count <= pool.at_once, "{count} at once: {log}");
            }
            "done" => {
                let ran_on = running.remove(call);
                assert_eq!(ran_on, Some(who), "{call} done where: {log}");
                done.push(call);
            }
            other => panic!("{call} said {other:?}: {log}"),
        }
    }
    done.sort();
    let calls: Vec<String> = (0..6).map(|n| format!("blocks({n})")).collect();
    assert_eq!(done, calls, "every call runs once: {log}");
    assert_eq!(workers.len(), pool.workers, "{workers:?}: {log}");
    workers
}

/// `log` with what may vary from run to run taken out: each worker's name
/// becomes `<worker>` (the rest of the line is kept as it is, spaces and
/// all), and the lines between `creating executor tasks` and the results,
/// where the workers' lines and the main one's `waiting` line race, are
/// sorted.
pub fn normalise(log: &str) -> String {
    let main = Line::parse(log.lines().next().expect("a log")).who;
    let mut lines: Vec<String> = log
        .lines()
        .map(|line| match Line::parse(line).who {
            who if who == main => line.to_owned(),
            worker => line.replacen(&worker, "<worker>", 1),
        })
        .collect();
    let last = lines.len() - 2;
    lines[2..last].sort();
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Checks a fresh run's `log` and the stored snapshot `name` (which `how`
/// printed) as the module's doc says.
pub fn check_with_snapshot(name: &str, how: &str, log: &str, pool: Pool) {
    check_promises(log, pool);
    let Some(stored) = stored_snapshot(name) else {
        return snapshot(name, how, log); // the first run: store it
    };
    eprintln!("checking the stored snapshot {name}.snap");
    check_promises(&stored, pool);
    if normalise(&stored) == normalise(log) {
        snapshot(name, how, &stored);
    } else {
        snapshot(name, how, log);
    }
}

/// `log` with each process id replaced by whose it is, in order of first
/// appearance: `<main>`, then `<worker 1>`, `<worker 2>`... Each must be
/// a process id (a number above 1).
pub fn redact_pids(log: &str) -> String {
    let mut pids: Vec<u32> = Vec::new();
    let mut redacted = String::new();
    for line in log.lines() {
        let (pid, rest) = line
            .strip_prefix("PID ")
            .and_then(|rest| rest.trim_start().split_once(' '))
            .unwrap_or_else(|| panic!("{line:?}: no PID in:\n{log}"));
        let pid: u32 = pid.parse().unwrap_or_else(|_| panic!("{line:?}"));
        assert!(pid > 1, "{line:?}");
        let at = match pids.iter().position(|&seen| seen == pid) {
            Some(at) => at,
            None => {
                pids.push(pid);
                pids.len() - 1
            }
        };
        let whose = match at {
            0 => "<main>".to_owned(),
            n => format!("<worker {n}>"),
        };
        redacted.push_str(&format!("PID {whose} {rest}\n"));
    }
    redacted
}
