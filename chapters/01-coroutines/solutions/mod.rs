//! Chapter 1's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch01-coroutines --test exercises --features solutions`.

pub mod pending_once;
pub mod on_thread;
pub mod tick_count;
pub mod scoped;
pub mod tiny_loop;
