//! What the chapter's tests share: running an example binary in each of the
//! settings a reader may choose (the default child watcher, the thread
//! watcher that is the fallback where the kernel has no pidfd, and the
//! virtual clock), and `df`'s own answer to compare the examples with.

#![allow(dead_code)] // each test binary uses a different part

use ch11_subprocess::free_space::parse_results;
use std::process::Command;

/// The environments every example runs in: what each sets.
pub const SETTINGS: [&[(&str, &str)]; 4] = [
    &[],
    &[("AIO_CHILD_WATCHER", "thread")],
    &[("AIO_CLOCK", "virtual")],
    &[("AIO_CHILD_WATCHER", "thread"), ("AIO_CLOCK", "virtual")],
];

#[path = "../../../../tests/support/example_runs.rs"]
mod example_runs;
#[allow(unused_imports)] // each test binary uses a different part
pub use example_runs::{command, redact_pid, succeeds};

/// Checks `text` against the snapshot `name`, which `cargo run -p
/// ch11-subprocess --bin BINARY` printed.
pub fn snapshot(name: &str, binary: &str, text: &str) {
    let how = format!("cargo run -p ch11-subprocess --bin {binary}");
    example_runs::snapshot(name, &how, text);
}

/// One file system of `df -hl`: its mount point and its free space.
#[derive(Debug, Clone, PartialEq)]
pub struct Free {
    /// Where it is mounted.
    pub mounted: String,
    /// The `Avail` column, as `df -h` prints it (`70G`, `4.0K`, `0`).
    pub avail: String,
}

/// What `df -hl` says now, parsed as the examples parse it.
pub fn df() -> Vec<Free> {
    let output = Command::new("df").arg("-hl").output().expect("df runs");
    assert!(output.status.success(), "df -hl fails here");
    let text = String::from_utf8_lossy(&output.stdout);
    let free = |row: ch11_subprocess::free_space::Row| Free {
        mounted: row["Mounted"].clone(),
        avail: row["Avail"].clone(),
    };
    parse_results(&text).into_iter().map(free).collect()
}

/// A size as `df -h` prints it (`70G`, `9.9M`, `0`): its value in bytes,
/// and what one step of its last digit is worth.
pub fn size(text: &str) -> Option<(f64, f64)> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let power = match &text[digits.len()..] {
        "" => 0,
        "K" => 1,
        "M" => 2,
        "G" => 3,
        "T" => 4,
        "P" => 5,
        "E" => 6,
        _ => return None,
    };
    if digits.is_empty() || digits.starts_with('.') || digits.ends_with('.') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let decimals = digits.split_once('.').map_or(0, |(_, after)| after.len());
    let unit = 1024f64.powi(power);
    Some((value * unit, unit / 10f64.powi(decimals as i32)))
}

/// Checks the free-space table at the end of an example's `output` against
/// what `df -hl` said `before` and `after` the example ran: the same mount
/// points in the same order, each line formatted as PyMOTW's
/// `{Mounted:25}: {Avail}`, and each `Avail` a size between the two
/// readings, give or take one step of the last digit shown.
///
/// Why not the same `Avail`: the file systems are in use (this machine
/// builds while the tests run), so free space moves, and the example's `df`
/// ran between the test's two. `df -h` rounds, so a reading a moment apart
/// may differ by one step of its last digit even when the two readings of
/// the test agree.
pub fn check_free_space(output: &str, before: &[Free], after: &[Free]) {
    let (_, table) = output
        .split_once("\nFree space:\n")
        .unwrap_or_else(|| panic!("no free-space table in:\n{output}"));
    let printed: Vec<Free> = table
        .lines()
        .map(|line| {
            let (mounted, avail) = line
                .rsplit_once(": ")
                .unwrap_or_else(|| panic!("{line:?} is not MOUNT: AVAIL"));
            let mounted = mounted.trim_end().to_owned();
            assert_eq!(line, format!("{mounted:25}: {avail}"));
            Free { mounted, avail: avail.to_owned() }
        })
        .collect();
    let mounts = |table: &[Free]| -> Vec<String> {
        table.iter().map(|free| free.mounted.clone()).collect()
    };
    assert_eq!(mounts(&printed), mounts(before), "{output}");
    assert_eq!(mounts(before), mounts(after), "a file system came or went");
    for ((printed, before), after) in printed.iter().zip(before).zip(after) {
        let sized = |free: &Free| {
            size(&free.avail).unwrap_or_else(|| {
                panic!("{:?} is not a size, for {}", free.avail, free.mounted)
            })
        };
        let (shown, a) = sized(printed);
        let (low, b) = sized(before);
        let (high, c) = sized(after);
        let (low, high) = (low.min(high), low.max(high));
        let step = a.max(b).max(c);
        assert!(
            low - step <= shown && shown <= high + step,
            "{}: the example saw {}, df said {} then {}",
            printed.mounted,
            printed.avail,
            before.avail,
            after.avail
        );
    }
}
