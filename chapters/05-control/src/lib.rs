//! Chapter 5: composing coroutines with control structures.
//!
//! The ports of PyMOTW-3's `asyncio` control-structure examples. Each example
//! is a module with a `main`, run by its own binary (`cargo run -p ch05-control
//! --bin gather`); the chapter's default binary runs them all in book order.

pub mod as_completed;
pub mod gather;
pub mod wait;
pub mod wait_timeout;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// An example's entry point.
pub type Example = fn() -> Result<(), Box<dyn std::error::Error>>;

/// The chapter's examples in book order: binary name and entry point.
pub const EXAMPLES: &[(&str, Example)] = &[
    ("wait", wait::main),
    ("wait_timeout", wait_timeout::main),
    ("gather", gather::main),
    ("as_completed", as_completed::main),
];
