//! Chapter 1 (coroutines): the synchronisation primitives used on cross-thread paths.
//!
//! Every type that another thread can touch (the remote queue, the waker's "scheduled"
//! flag) is imported from here rather than from `std::sync`. Keeping them in one place
//! means a model checker such as loom can swap in checked versions without touching the
//! rest of the runtime.

pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
