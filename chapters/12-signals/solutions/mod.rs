//! Chapter 12's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch12-signals --test exercises --features solutions`.

pub mod next_signal;
pub mod until_signal;
pub mod ctrl_c_run;
