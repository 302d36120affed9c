//! Chapter 5's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch05-control --test exercises --features solutions`.

pub mod race;
pub mod retry;
pub mod finishing_order;
pub mod counted_wait;
