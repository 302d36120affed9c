//! The graders of chapter 8's exercises, one module per exercise.
//!
//! `cargo test -p ch08-streams --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
