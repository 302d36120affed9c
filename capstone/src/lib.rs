//! The capstone: your own runtime, behind the book's `Runtime` trait.

// The exercise: the reader's starter, or with the `solutions` feature the
// reference runtime, which lives outside src/ to keep it out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;
