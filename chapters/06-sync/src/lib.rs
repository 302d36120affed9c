//! Chapter 6: synchronization primitives.
//!
//! The ports of PyMOTW-3's `asyncio` synchronization examples. Each example is
//! a module with a `main`, run by its own binary (`cargo run -p ch06-sync --bin
//! queue`); the chapter's default binary runs them all in book order.

pub mod cancel_race;
pub mod condition;
pub mod event;
pub mod lock;
pub mod queue;

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
    ("lock", lock::main),
    ("event", event::main),
    ("condition", condition::main),
    ("queue", queue::main),
    ("cancel_race", cancel_race::main),
];
