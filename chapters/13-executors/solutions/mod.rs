//! Chapter 13's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch13-executors --test exercises --features solutions`.

pub mod executor_map;
pub mod cancelling_timeout;
pub mod bounded_threads;
pub mod loop_thread;
