//! The graders of chapter 14's exercises, one module per exercise.
//!
//! `cargo test -p ch14-debugging --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
