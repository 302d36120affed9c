//! Chapter 4: executing tasks concurrently.
//!
//! The ports of PyMOTW-3's `asyncio` task examples. Each example is a module
//! with a `main`, run by its own binary (`cargo run -p ch04-tasks --bin
//! cancel_task2`); the chapter's default binary runs them all in book order.
//!
//! [`first_cut`] is a task built the simple way, from a boxed future, a
//! result slot and a waker, which the chapter shows before the real cell.

pub mod cancel_task;
pub mod cancel_task2;
pub mod create_task;
pub mod ensure_future;
pub mod first_cut;

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
    ("create_task", create_task::main),
    ("cancel_task", cancel_task::main),
    ("cancel_task2", cancel_task2::main),
    ("ensure_future", ensure_future::main),
];
