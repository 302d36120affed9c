//! Chapter 11's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch11-subprocess --test exercises --features solutions`.

pub mod collect_output;
pub mod terminate_then_kill;
pub mod live_lines;
pub mod pipeline;
