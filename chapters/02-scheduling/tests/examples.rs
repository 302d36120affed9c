//! Snapshot tests: every example's output, exactly as the book shows it. Each
//! example binary runs with the virtual clock, so its loop times are exact;
//! only wall-clock time is redacted.

#[path = "../../../tests/support/chapter_examples.rs"]
#[macro_use]
mod harness;

snapshot_tests!(call_soon, call_later, call_at, stop);
