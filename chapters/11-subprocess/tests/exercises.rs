//! The graders of chapter 11's exercises, one module per exercise.
//!
//! `cargo test -p ch11-subprocess --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
