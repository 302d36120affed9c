//! What the chapter's tests share: running an example binary in each of the
//! settings a reader may choose (the real clock and the virtual one), the
//! snapshot of what it printed, and reading a pool example's log
//! ([`pool_log`]).

#![allow(dead_code)] // each test binary uses a different part

pub mod pool_log;

/// The environments every example runs in: what each sets.
pub const SETTINGS: [&[(&str, &str)]; 2] = [&[], &[("AIO_CLOCK", "virtual")]];

#[path = "../../../../tests/support/example_runs.rs"]
mod example_runs;
#[allow(unused_imports)] // each test binary uses a different part
pub use example_runs::{command, logs, snapshot, succeeds};

/// What the snapshot `name` holds, if it has been stored.
pub fn stored_snapshot(name: &str) -> Option<String> {
    let path =
        format!("{}/tests/snapshots/{name}.snap", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::read_to_string(path).ok()?;
    // A header between two `---` lines, then the text.
    let (_, text) = file.strip_prefix("---\n")?.split_once("\n---\n")?;
    Some(text.to_owned())
}
