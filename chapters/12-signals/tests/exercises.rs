//! The graders of chapter 12's exercises, one module per exercise.
//!
//! `cargo test -p ch12-signals --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
