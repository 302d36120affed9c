//! Chapter 3's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch03-futures --test exercises --features solutions`.

// Exercise 1 (small): chain two promises.
pub mod then;

// Exercise 2 (medium): set a promise from another thread.
pub mod remote_setter;

// Exercise 3 (project): a promise of your own.
pub mod my_promise;
