//! Chapter 1 (coroutines): the loop's one door for other threads.
//!
//! Everything about a loop is single-threaded except this: a queue that other threads
//! push onto (a task their waker woke, or a callback sent with `call_soon_threadsafe`),
//! and a [`mio::Waker`] that interrupts the loop's sleep in `Poll::poll`. This is the
//! only lock in the runtime, and the one path where cross-thread bugs could live, so it
//! is kept as small as possible.

use crate::error::Error;
use crate::logging;
use crate::sync::{Arc, AtomicBool, Mutex, MutexGuard, Ordering};
use crate::task::Runnable;
use std::collections::VecDeque;

/// Work that another thread hands to the loop.
pub(crate) enum RemoteItem {
    /// A task woken from another thread.
    Task(Arc<dyn Runnable>),
    /// A callback sent with `call_soon_threadsafe`.
    Callback(Box<dyn FnOnce() + Send>),
}

#[derive(Default)]
struct RemoteQueue {
    items: VecDeque<RemoteItem>,
    closed: bool,
}

/// The part of a loop that any thread may use.
pub(crate) struct LoopShared {
    /// A number that identifies the loop for the life of the process.
    pub(crate) loop_id: u64,
    queue: Mutex<RemoteQueue>,
    poll_waker: mio::Waker,
    /// True from the first push after a drain until the loop drains again: pushes in
    /// between need no second system call to wake the poller.
    wake_pending: AtomicBool,
}

// ANCHOR: remote_push
impl LoopShared {
    /// Creates the shared part of loop `loop_id`, waking the poller through `poll_waker`.
    pub(crate) fn new(loop_id: u64, poll_waker: mio::Waker) -> LoopShared {
        LoopShared {
            loop_id,
            queue: Mutex::new(RemoteQueue::default()),
            poll_waker,
            wake_pending: AtomicBool::new(false),
        }
    }

    /// Queues `item` for the loop and wakes the loop if it sleeps. Fails once the loop is
    /// closed; the item is then dropped here.
    pub(crate) fn push(&self, item: RemoteItem) -> Result<(), Error> {
        let mut queue = self.lock();
        if queue.closed {
            drop(queue);
            drop(item);
            return Err(Error::LoopClosed);
        }
        queue.items.push_back(item);
        drop(queue);
        if !self.wake_pending.swap(true, Ordering::AcqRel)
            && let Err(error) = self.poll_waker.wake()
        {
            logging::error!("aio.remote", "could not wake the event loop's poller: {error}");
        }
        Ok(())
    }

    /// Takes everything queued so far (loop thread). The flag is cleared first, so a push
    /// that races with the drain either lands in this batch or wakes the poller again.
    pub(crate) fn drain(&self) -> VecDeque<RemoteItem> {
        self.wake_pending.store(false, Ordering::Release);
        std::mem::take(&mut self.lock().items)
    }

    /// Refuses all further pushes and returns what was still queued (loop thread).
    pub(crate) fn close(&self) -> VecDeque<RemoteItem> {
        let mut queue = self.lock();
        queue.closed = true;
        std::mem::take(&mut queue.items)
    }

    fn lock(&self) -> MutexGuard<'_, RemoteQueue> {
        // A panic while the lock is held cannot leave the queue half-updated (each step
        // is a single push or take), so a poisoned lock is still safe to use.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
// ANCHOR_END: remote_push

/// A handle to a loop that can be sent to, and used from, any thread.
///
/// Get one with [`EventLoop::remote`](crate::EventLoop::remote). It is how another thread
/// calls [`call_soon_threadsafe`](RemoteLoop::call_soon_threadsafe), asyncio's one
/// thread-safe loop method.
#[derive(Clone)]
pub struct RemoteLoop {
    pub(crate) shared: Arc<LoopShared>,
}

impl std::fmt::Debug for RemoteLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteLoop").field("loop_id", &self.shared.loop_id).finish()
    }
}
