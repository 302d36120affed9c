//! Chapter 3's exercises: one module per exercise, each a starter that
//! compiles and fails its grader (`cargo test -p ch03-futures --test exercises`).
//! Edit a module until its grader passes; the book's chapter page says what
//! each one asks.

// A starter's parameters are unused until you write the code that uses them.
#![allow(unused_variables, dead_code)]

// Exercise 1 (small): chain two promises.
pub mod then;

// Exercise 2 (medium): set a promise from another thread.
pub mod remote_setter;

// Exercise 3 (project): a promise of your own.
pub mod my_promise;
