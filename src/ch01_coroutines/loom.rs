//! Chapter 1 (coroutines): the loom shim, std or loom sync types for
//! cross-thread paths.
//!
//! Every type that another thread can touch (the remote queue, the waker's
//! "scheduled" flag, the one-shot channel's slot) is imported from here rather
//! than from `std::sync`. Under `cfg(aio_loom)` they are loom's checked
//! versions, so the loom models (`RUSTFLAGS="--cfg aio_loom" cargo test --lib
//! loom`) explore every interleaving of the real code; otherwise they are
//! std's, at no cost. The flag is `aio_loom`, not the usual `loom`: some
//! dependencies (smol's `concurrent-queue`, used by the benchmarks) switch on
//! `cfg(loom)` too, and would then need loom themselves.

#[cfg(not(aio_loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
#[cfg(not(aio_loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(aio_loom)]
pub(crate) use loom::sync::atomic::{
    AtomicBool, AtomicU8, AtomicU64, Ordering,
};
#[cfg(aio_loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Threads the model checker can see: chapter 13's pool starts its workers
/// with this `Builder`, so the loom models run the real pool.
#[cfg(aio_loom)]
pub(crate) use loom::thread::{Builder as ThreadBuilder, JoinHandle};
#[cfg(not(aio_loom))]
pub(crate) use std::thread::{Builder as ThreadBuilder, JoinHandle};

/// Gives way to other threads while spinning on a flag: under loom, lets the
/// checker run the thread being waited for.
#[cfg(aio_loom)]
pub(crate) use loom::thread::yield_now;
#[cfg(not(aio_loom))]
pub(crate) use std::thread::yield_now;

/// Thread-local storage that the model checker can see (each loom thread gets
/// its own).
#[cfg(aio_loom)]
pub(crate) use loom::thread_local;
#[cfg(not(aio_loom))]
pub(crate) use std::thread_local;

// ANCHOR: task_arc
/// Tasks are counted with std's `Arc` even under loom: `std::task::Waker` can
/// only be built from it. What tasks share across threads (their `scheduled`
/// flag, the remote queue, the owner cell's flag) goes through the loom-visible
/// types above.
pub(crate) use std::sync::Arc as TaskArc;
// ANCHOR_END: task_arc

/// Process-wide id counters (loops, tasks, threads). They live in statics,
/// where loom's atomics cannot, and their only promise is that each number is
/// handed out once.
pub(crate) use std::sync::atomic::AtomicU64 as IdCounter;

/// An `UnsafeCell` whose every access goes through a closure, as loom's does,
/// so that under loom the checker sees each read and write and reports
/// unsynchronised ones.
#[cfg(aio_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// An `UnsafeCell` with loom's `with_mut` shape (std version; add `with` when a
/// reader needs it).
#[cfg(not(aio_loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(aio_loom))]
impl<T> UnsafeCell<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> UnsafeCell<T> {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// Writes through a unique pointer.
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
