//! What the chapter's tests share: running an example binary in each of the
//! settings a reader may choose (the real clock and the virtual one), and
//! the snapshot of what it printed.

#![allow(dead_code)] // each test binary uses a different part

/// The environments every example runs in: what each sets.
pub const SETTINGS: [&[(&str, &str)]; 2] = [&[], &[("AIO_CLOCK", "virtual")]];

#[path = "../../../../tests/support/example_runs.rs"]
mod example_runs;
#[allow(unused_imports)] // each test binary uses a different part
pub use example_runs::{command, redact_pid, snapshot, succeeds};
