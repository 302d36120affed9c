//! Running a chapter's example binaries as a reader runs them, for the
//! chapter crates' tests (included with `#[path]` by chapters 11 to 14):
//! in a chosen setting of the environment, checked to succeed quietly (or,
//! for an example that logs, to log and print nothing), with a pid in the
//! output redacted; and the snapshot of what one printed.

#![allow(dead_code)] // each test binary uses a different part

use std::process::{Command, Output};

/// The variables the chapters' settings choose from, unset unless a setting
/// sets them, so that the caller's own environment does not leak into a run.
const CHOSEN: [&str; 2] = ["AIO_CHILD_WATCHER", "AIO_CLOCK"];

/// A command that runs `binary` in `setting`.
pub fn command(binary: &str, setting: &[(&str, &str)]) -> Command {
    let mut command = Command::new(binary);
    for name in CHOSEN {
        command.env_remove(name);
    }
    command.envs(setting.iter().copied());
    command
}

/// Runs an example that must succeed without a word on stderr, and returns
/// its standard output.
pub fn succeeds(binary: &str, setting: &[(&str, &str)]) -> String {
    let Output { status, stdout, stderr } =
        command(binary, setting).output().expect("the example runs");
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(status.success(), "{binary} {setting:?} failed: {stderr}");
    assert!(stderr.is_empty(), "{binary} {setting:?} wrote: {stderr}");
    String::from_utf8(stdout).expect("UTF-8 output")
}

/// Runs an example that must succeed and log to standard error, printing
/// nothing on standard output, and returns its log.
pub fn logs(binary: &str, setting: &[(&str, &str)]) -> String {
    let Output { status, stdout, stderr } =
        command(binary, setting).output().expect("the example runs");
    let stderr = String::from_utf8(stderr).expect("a UTF-8 log");
    assert!(status.success(), "{binary} {setting:?} failed: {stderr}");
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(stdout.is_empty(), "{binary} {setting:?} printed: {stdout}");
    stderr
}

/// Replaces the number of `prefix NUMBER` lines with `[pid]`, after checking
/// that it is a process id (a number above 1).
pub fn redact_pid(output: &str, prefix: &str) -> String {
    let mut seen = 0;
    let lines = output.lines().map(|line| match line.strip_prefix(prefix) {
        Some(pid) => {
            let pid: u32 = pid.parse().unwrap_or_else(|_| {
                panic!("{line:?}: not a process id in:\n{output}")
            });
            assert!(pid > 1, "{line:?}");
            seen += 1;
            format!("{prefix}[pid]\n")
        }
        None => format!("{line}\n"),
    });
    let redacted = lines.collect();
    assert_eq!(seen, 1, "one {prefix:?} line in:\n{output}");
    redacted
}

/// Checks `text` against the snapshot `name` in the including crate's
/// `tests/snapshots/`; `how` says what printed it (a command line, and what
/// was done to it if anything), for the snapshot's description.
pub fn snapshot(name: &str, how: &str, text: &str) {
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => how,
        // This file is compiled into each chapter's tests: the manifest is
        // that chapter's.
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"),
    }, {
        insta::assert_snapshot!(name, text);
    });
}
