//! Chapter 14's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch14-debugging --test exercises --features solutions`.

pub mod poll_stats;
pub mod lock_cycle;
pub mod tree_rows;
pub mod debug_report;
