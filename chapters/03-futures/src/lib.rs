//! Chapter 3: producing results asynchronously.
//!
//! The ports of PyMOTW-3's `asyncio` future examples. Each example is a module
//! with a `main`, run by its own binary (`cargo run -p ch03-futures --bin
//! future_await`); the chapter's default binary runs them all in book order.

pub mod future_await;
pub mod future_callback;
pub mod future_event_loop;

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
    ("future_event_loop", future_event_loop::main),
    ("future_await", future_await::main),
    ("future_callback", future_callback::main),
];
