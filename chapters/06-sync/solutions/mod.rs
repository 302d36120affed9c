//! Chapter 6's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch06-sync --test exercises --features solutions`.
