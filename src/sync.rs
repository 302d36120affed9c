//! Chapter 1 (coroutines): the synchronisation primitives used on cross-thread paths.
//!
//! Every type that another thread can touch (the remote queue, the waker's "scheduled"
//! flag) is imported from here rather than from `std::sync`. Keeping them in one place
//! lets the loom models swap in loom's checked versions without touching the runtime.

pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
