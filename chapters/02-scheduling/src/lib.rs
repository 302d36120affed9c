//! Chapter 2: scheduling calls to regular functions.
//!
//! The ports of PyMOTW-3's `asyncio` scheduling examples, plus `stop`. Each
//! example is a module with a `main`, run by its own binary (`cargo run -p
//! ch02-scheduling --bin call_soon`); the chapter's default binary runs them
//! all in book order.

pub mod call_at;
pub mod call_later;
pub mod call_soon;
pub mod stop;
pub mod tick_scenario;

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
    ("call_soon", call_soon::main),
    ("call_later", call_later::main),
    ("call_at", call_at::main),
    ("stop", stop::main),
];
