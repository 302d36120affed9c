//! The examples, run as a reader runs them, in every setting of
//! `common::SETTINGS`. `debug` blocks its thread for real, so with `-v`
//! its warning says how long the step took and where the task was
//! created: the test checks both against what they must be, then its
//! snapshot has them redacted. `task_tree`'s tree is its snapshot as it
//! is, creation sites and all: they are the example's own lines.

mod common;

use common::{SETTINGS, command, snapshot};
use std::process::Output;

const DEBUG: &str = env!("CARGO_BIN_EXE_debug");
const TASK_TREE: &str = env!("CARGO_BIN_EXE_task_tree");
const CHAPTER: &str = env!("CARGO_BIN_EXE_ch14-debugging");

/// The example's file, as the runtime names it in a creation site.
const DEBUG_RS: &str = "chapters/14-debugging/src/debug.rs";

/// Runs `binary` with `args` in `setting`: it must succeed and print
/// nothing on standard output. Returns its log (standard error).
fn log_of(binary: &str, args: &[&str], setting: &[(&str, &str)]) -> String {
    let Output { status, stdout, stderr } =
        command(binary, setting).args(args).output().expect("the example runs");
    let stderr = String::from_utf8(stderr).expect("a UTF-8 log");
    assert!(status.success(), "{binary} {args:?} {setting:?}: {stderr}");
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(stdout.is_empty(), "{binary} {setting:?} printed: {stdout}");
    stderr
}

/// The lines of `log` that report a slow step.
fn slow_steps(log: &str) -> Vec<&str> {
    log.lines().filter(|line| line.contains("Executing")).collect()
}

/// Where `debug.rs` creates the task `inner`: `file:line:column` of the
/// `create_task` call, read from the source.
fn inner_created_at() -> String {
    let path = format!("{}/src/debug.rs", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(path).expect("debug.rs");
    let call = ".create_task(inner())";
    let (index, line) = source
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(call))
        .expect("debug.rs creates inner");
    // A method call's location is its method's name.
    let column = line.find("create_task").expect("the call") + 1;
    format!("{DEBUG_RS}:{}:{column}", index + 1)
}

/// The text of `line` between `before` and the next `after`.
fn between<'a>(line: &'a str, before: &str, after: &str) -> &'a str {
    let (_, rest) = line.split_once(before).unwrap_or_else(|| {
        panic!("no {before:?} in {line:?}");
    });
    rest.split_once(after).unwrap_or_else(|| panic!("{line:?}")).0
}

/// The verbose log with the warning's site and duration redacted, after
/// checking they are what they must be: the line that creates `inner`, and
/// at least the 0.1 s that `inner` blocks.
fn redact_warning(log: &str) -> String {
    let slow = slow_steps(log);
    assert_eq!(slow.len(), 1, "one slow step in:\n{log}");
    let warning = slow[0];
    assert!(warning.starts_with("WARNING: Executing <Task "), "{warning}");
    assert!(warning.contains(" name='inner' "), "{warning}");
    let site = between(warning, " created at ", ">");
    assert_eq!(site, inner_created_at(), "{warning}");
    let took = between(warning, "> took ", " seconds");
    let seconds: f64 = took.parse().unwrap_or_else(|_| panic!("{warning}"));
    assert!(seconds >= 0.100, "{warning}");
    let redacted = warning
        .replace(site, "[…]")
        .replace(&format!("took {took} "), "took [t] ");
    log.replace(warning, &redacted)
}

#[test]
fn debug_runs_plainly_without_a_warning() {
    for setting in SETTINGS {
        let log = log_of(DEBUG, &[], setting);
        assert_eq!(slow_steps(&log), [] as [&str; 0], "{log}");
        snapshot("debug", "cargo run -p ch14-debugging --bin debug", &log);
    }
}

#[test]
fn debug_verbose_warns_once_that_inner_was_slow() {
    for setting in SETTINGS {
        let log = log_of(DEBUG, &["-v"], setting);
        let how = "cargo run -p ch14-debugging --bin debug -- -v, the \
                   site and the duration redacted";
        snapshot("debug_verbose", how, &redact_warning(&log));
    }
}

#[test]
fn the_default_binary_runs_the_debug_example() {
    for args in [&[][..], &["-v"]] {
        let chapter = log_of(CHAPTER, args, &[]);
        let debug = log_of(DEBUG, args, &[]);
        let lines = |log: &str| -> Vec<String> {
            log.lines()
                .filter(|l| !l.contains("Executing"))
                .map(Into::into)
                .collect()
        };
        assert_eq!(lines(&chapter), lines(&debug));
        assert_eq!(slow_steps(&chapter).len(), slow_steps(&debug).len());
    }
}

/// A tree's line: its depth (four columns of branches a level) and text.
fn node(line: &str) -> (usize, &str) {
    let text = line.trim_start_matches(['│', '├', '└', '─', ' ']);
    let depth = (line.chars().count() - text.chars().count()) / 4;
    (depth, text)
}

/// Checks that `tree` has `parent` awaiting a gather of the three naps,
/// each waiting on its timer, and returns the timers' deadlines.
fn check_tree(tree: &str) -> Vec<f64> {
    let nodes: Vec<(usize, &str)> = tree.lines().map(node).collect();
    let parent = nodes
        .iter()
        .position(|(_, text)| text.contains(" 'parent' pending, from "))
        .unwrap_or_else(|| panic!("no parent in:\n{tree}"));
    let depth = nodes[parent].0;
    let below: Vec<(usize, &str)> = nodes[parent + 1..]
        .iter()
        .copied()
        .take_while(|(d, _)| *d > depth)
        .collect();
    assert_eq!(below.len(), 7, "gather, 3 naps, 3 timers:\n{tree}");
    assert_eq!(below[0].0, depth + 1, "{tree}");
    assert!(below[0].1.starts_with("gather at "), "{tree}");
    let mut deadlines = Vec::new();
    for (n, pair) in below[1..].chunks(2).enumerate() {
        let [(nap_depth, nap), (timer_depth, timer)] = pair else {
            unreachable!()
        };
        assert_eq!((*nap_depth, *timer_depth), (depth + 2, depth + 3));
        let name = format!(" 'nap {}' pending, from ", n + 1);
        assert!(nap.contains(&name), "{nap:?} in:\n{tree}");
        let at = between(timer, "timer due at ", " s");
        deadlines.push(at.parse().unwrap_or_else(|_| panic!("{timer}")));
    }
    deadlines
}

/// `tree` with each timer's deadline rounded down to whole seconds.
fn whole_seconds(tree: &str) -> String {
    tree.lines()
        .map(|line| match line.split_once("timer due at ") {
            Some((branches, at)) => {
                let at: f64 = between(at, "", " s").parse().expect(line);
                format!("{branches}timer due at {:.3} s\n", at.floor())
            }
            None => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn task_tree_shows_parent_gathering_three_sleeping_naps() {
    let [real, virtual_clock] =
        SETTINGS.map(|setting| common::succeeds(TASK_TREE, setting));
    // The virtual clock starts each sleep at 0 s exactly.
    assert_eq!(check_tree(&virtual_clock), [1.0, 2.0, 3.0]);
    // On the real clock the loop has run a little first.
    for (at, seconds) in check_tree(&real).into_iter().zip([1.0, 2.0, 3.0]) {
        assert!(at >= seconds && at < seconds + 0.5, "{real}");
    }
    assert_eq!(whole_seconds(&real), virtual_clock);
    snapshot(
        "task_tree",
        "cargo run -p ch14-debugging --bin task_tree",
        &virtual_clock,
    );
}

const TIMED_POLLS: &str = env!("CARGO_BIN_EXE_timed_polls");

/// The first cut's report, with its duration redacted after checking it is
/// at least the 0.1 s that `inner` blocks.
fn redact_poll_time(line: &str) -> String {
    let took = between(line, " took ", " seconds");
    let seconds: f64 = took.parse().unwrap_or_else(|_| panic!("{line}"));
    assert!(seconds >= 0.100, "{line}");
    line.replace(&format!("took {took} "), "took [duration] ")
}

#[test]
fn the_first_cut_finds_inner_s_poll_and_only_it() {
    for setting in SETTINGS {
        let log = log_of(TIMED_POLLS, &[], setting);
        let lines: Vec<&str> = log.lines().collect();
        let [line] = &lines[..] else {
            panic!("one slow poll, inner's:\n{log}")
        };
        assert!(line.starts_with("a poll of inner took "), "{log}");
        let how = "cargo run -p ch14-debugging --bin timed_polls, the \
                   duration redacted";
        snapshot("timed_polls", how, &redact_poll_time(line));
    }
}
