//! Chapter 7's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch07-protocols --test exercises --features solutions`.

// In exercise order (a comment per line keeps rustfmt from sorting them).
// 1 (small)
pub mod counting_echo;
// 2 (medium)
pub mod paced_sender;
// 3 (project)
pub mod kv_server;
