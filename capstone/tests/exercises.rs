//! The capstone's grader: the book's examples, run on the reader's runtime.
//!
//! `cargo test -p capstone --test exercises` grades `src/exercises/`; with
//! `--features solutions` it grades the reference runtime in `solutions/`.
