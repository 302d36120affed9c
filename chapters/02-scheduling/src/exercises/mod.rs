//! Chapter 2's exercises: one module per exercise, each a starter that
//! compiles and fails its grader (`cargo test -p ch02-scheduling --test exercises`).
//! Edit a module until its grader passes; the book's chapter page says what
//! each one asks.

// A starter's parameters are unused until you write the code that uses them.
#![allow(unused_variables, dead_code)]

// Exercise 1 (small): predict the tick.
pub mod tick_order;

// Exercise 2 (medium): a repeating timer that does not drift.
pub mod call_every;

// Exercise 3 (medium): sleep, built from `call_later` and a waker.
pub mod nap;

// Exercise 4 (project): the tick, written again.
pub mod mini_loop;
