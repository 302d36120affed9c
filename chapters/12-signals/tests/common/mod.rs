//! What the chapter's tests share: running an example binary in each of the
//! settings a reader may choose (the real clock and the virtual one), and
//! the snapshot of what it printed.

#![allow(dead_code)] // each test binary uses a different part

use std::process::{Command, Output};

/// The environments every example runs in: what each sets.
pub const SETTINGS: [&[(&str, &str)]; 2] = [&[], &[("AIO_CLOCK", "virtual")]];

/// The variables [`SETTINGS`] choose from, unset unless a setting sets them,
/// so that the caller's own environment does not leak into a run.
const CHOSEN: [&str; 1] = ["AIO_CLOCK"];

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

/// Checks `text` against the snapshot `name`, which `how` printed (a
/// command line, and what was done to it if anything).
pub fn snapshot(name: &str, how: &str, text: &str) {
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => how,
        snapshot_path => "../snapshots",
    }, {
        insta::assert_snapshot!(name, text);
    });
}
