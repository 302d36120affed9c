//! Chapter 1: cooperative multitasking with coroutines.
//!
//! The ports of PyMOTW-3's `asyncio` coroutine examples. Each example is a
//! module with a `main`, run by its own binary (`cargo run -p ch01-coroutines
//! --bin coroutine`); the chapter's default binary runs them all in book order.
//!
//! [`first_cut`] is the smallest loop that works, which the chapter shows
//! before the real one; its tests are in `tests/first_cut.rs`.

pub mod coroutine;
pub mod coroutine_chain;
pub mod coroutine_return;
pub mod first_cut;
pub mod generator;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// An example's entry point.
pub type Example = fn() -> Result<(), aio::Error>;

/// The chapter's examples in book order: binary name and entry point.
pub const EXAMPLES: &[(&str, Example)] = &[
    ("coroutine", coroutine::main),
    ("coroutine_return", coroutine_return::main),
    ("coroutine_chain", coroutine_chain::main),
    ("generator", generator::main),
];
