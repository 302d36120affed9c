//! Chapter 2's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch02-scheduling --test exercises --features solutions`.

// Exercise 1 (small): predict the tick.
pub mod tick_order;

// Exercise 2 (medium): a repeating timer that does not drift.
pub mod call_every;

// Exercise 3 (medium): sleep, built from `call_later` and a waker.
pub mod nap;

// Exercise 4 (project): the tick, written again.
pub mod mini_loop;
