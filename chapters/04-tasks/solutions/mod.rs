//! Chapter 4's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch04-tasks --test exercises --features solutions`.

pub mod cancel_guard;
pub mod cancel_message;
pub mod task_group;
