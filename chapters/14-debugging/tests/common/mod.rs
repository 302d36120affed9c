//! What the chapter's tests share: running an example binary in each of the
//! settings a reader may choose (the real clock and the virtual one), and
//! the snapshot of what it printed.

#![allow(dead_code)] // each test binary uses a different part

/// The environments every example runs in: what each sets.
pub const SETTINGS: [&[(&str, &str)]; 2] = [&[], &[("AIO_CLOCK", "virtual")]];

#[path = "../../../../tests/support/example_runs.rs"]
mod example_runs;
#[allow(unused_imports)] // each test binary uses a different part
pub use example_runs::{command, logs, succeeds};

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
