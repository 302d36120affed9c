//! Chapter 1's exercises: one module per exercise, each a starter that
//! compiles and fails its grader (`cargo test -p ch01-coroutines --test exercises`).
//! Edit a module until its grader passes; the book's chapter page says what
//! each one asks.

// A starter's parameters are unused until you write the code that uses them.
#![allow(unused_variables, dead_code)]

pub mod pending_once;
pub mod on_thread;
pub mod tick_count;
pub mod scoped;
pub mod tiny_loop;
