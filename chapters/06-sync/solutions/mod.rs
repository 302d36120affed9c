//! Chapter 6's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch06-sync --test exercises --features solutions`.

// In exercise order (a comment per line keeps rustfmt from sorting them).
// 1 (small)
pub mod get_many;
// 2 (medium)
pub mod rw_lock;
// 3 (medium)
pub mod promise_lock;
// 4 (project)
pub mod tokio_notify;
