//! Chapter 1 (coroutines): the loop's one door for other threads.
//!
//! Everything about a loop is single-threaded except this: a queue that other
//! threads push onto (a task their waker woke, or a callback sent with
//! `call_soon_threadsafe`), and a [`mio::Waker`] that interrupts the loop's
//! sleep in `Poll::poll`. This is the loop's only lock, and the one path into
//! the loop where cross-thread bugs could live, so it is kept as small as
//! possible.

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{
    Arc, AtomicBool, Mutex, MutexGuard, Ordering, TaskArc,
};
use crate::ch01_coroutines::seam::Runnable;
#[cfg(all(test, aio_loom))]
use crate::ch01_coroutines::seam::{Header, Schedule};
use std::collections::VecDeque;

/// What interrupts the loop's sleep in the poller: a `mio::Waker` in the
/// runtime, and a model of one in the loom models.
pub(crate) trait PollWake: Send + Sync {
    /// Makes the poller's current or next wait return.
    fn wake(&self) -> std::io::Result<()>;
}

impl PollWake for mio::Waker {
    fn wake(&self) -> std::io::Result<()> {
        mio::Waker::wake(self)
    }
}

/// Work that another thread hands to the loop.
pub(crate) enum RemoteItem {
    /// A task woken from another thread.
    Task(TaskArc<dyn Runnable>),
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
    poll_waker: Box<dyn PollWake>,
    /// True from the first push after a drain until the loop drains again:
    /// pushes in between need no second system call to wake the poller.
    wake_pending: AtomicBool,
}

// ANCHOR: remote_push
impl LoopShared {
    /// Creates the shared part of loop `loop_id`, waking the poller through
    /// `poll_waker`.
    pub(crate) fn new(
        loop_id: u64,
        poll_waker: Box<dyn PollWake>,
    ) -> LoopShared {
        LoopShared {
            loop_id,
            queue: Mutex::new(RemoteQueue::default()),
            poll_waker,
            wake_pending: AtomicBool::new(false),
        }
    }

    /// Queues `item` for the loop and wakes the loop if it sleeps. Fails once
    /// the loop is closed; the item is then dropped here.
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
            logging::error!(
                "aio.remote",
                "could not wake the event loop's poller: {error}"
            );
        }
        Ok(())
    }

    /// Takes everything queued so far (loop thread). The flag is cleared first,
    /// so a push that races with the drain either lands in this batch or wakes
    /// the poller again. The clear is a read-modify-write, like the pushers'
    /// `swap`: all of them then sit in one order on the flag. With a plain
    /// store, the loom model of two senders found an execution in which a
    /// sender's `swap` still read the old `true` and skipped the wake-up,
    /// leaving the loop asleep with work queued.
    pub(crate) fn drain(&self) -> VecDeque<RemoteItem> {
        self.wake_pending.swap(false, Ordering::AcqRel);
        std::mem::take(&mut self.lock().items)
    }

    /// Whether anything may have been pushed since the last drain (loop
    /// thread). A push sets the flag after queueing its item, so a `true`
    /// read here (acquire) makes every item pushed before it visible to the
    /// drain that follows.
    #[inline]
    pub(crate) fn has_pending(&self) -> bool {
        self.wake_pending.load(Ordering::Acquire)
    }

    /// Refuses all further pushes and returns what was still queued (loop
    /// thread).
    pub(crate) fn close(&self) -> VecDeque<RemoteItem> {
        let mut queue = self.lock();
        queue.closed = true;
        std::mem::take(&mut queue.items)
    }

    fn lock(&self) -> MutexGuard<'_, RemoteQueue> {
        // A panic while the lock is held cannot leave the queue half-updated
        // (each step is a single push or take), so a poisoned lock is still
        // safe to use.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
// ANCHOR_END: remote_push

/// A handle to a loop that can be sent to, and used from, any thread.
///
/// Get one with [`EventLoop::remote`](crate::EventLoop::remote). It is how
/// another thread calls
/// [`call_soon_threadsafe`](RemoteLoop::call_soon_threadsafe), asyncio's one
/// thread-safe loop method.
#[derive(Clone)]
pub struct RemoteLoop {
    pub(crate) shared: Arc<LoopShared>,
}

impl std::fmt::Debug for RemoteLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteLoop")
            .field("loop_id", &self.shared.loop_id)
            .finish()
    }
}

/// The bug museum's exhibit: a drain that clears the "wake pending" flag
/// *after* taking the queue. A push that lands between the two finds the flag
/// still set, skips the wake-up, and the loop goes back to sleep with work
/// queued. Only the loom models use it.
#[cfg(all(test, aio_loom))]
impl LoopShared {
    // ANCHOR: museum_drain
    pub(crate) fn drain_then_clear_flag(&self) -> VecDeque<RemoteItem> {
        let items = std::mem::take(&mut self.lock().items);
        // Too late: see `drain`.
        self.wake_pending.store(false, Ordering::Release);
        items
    }
    // ANCHOR_END: museum_drain
}

#[cfg(all(test, aio_loom))]
pub(crate) mod loom_models {
    //! Models of the remote queue: run with `RUSTFLAGS="--cfg aio_loom" cargo
    //! test --lib loom`.

    use super::*;
    use loom::sync::Notify;
    use loom::thread;

    /// The poller, modelled: `wake` leaves a permit (as an eventfd does), and
    /// the loop's `wait` blocks until there is one, then takes it.
    pub(crate) struct ModelPoller(pub(crate) Arc<Notify>);

    impl PollWake for ModelPoller {
        fn wake(&self) -> std::io::Result<()> {
            self.0.notify();
            Ok(())
        }
    }

    /// A loop's shared part wired to a modelled poller.
    pub(crate) fn modelled_loop() -> (Arc<LoopShared>, Arc<Notify>) {
        let poller = Arc::new(Notify::new());
        (
            Arc::new(LoopShared::new(1, Box::new(ModelPoller(poller.clone())))),
            poller,
        )
    }

    /// A task scheduler with no loop behind it, only the remote queue: every
    /// wake goes the cross-thread way. The task models run tasks on it.
    pub(crate) struct RemoteOnly(pub(crate) Arc<LoopShared>);

    impl Schedule for RemoteOnly {
        fn schedule_local(
            &self,
            task: TaskArc<dyn Runnable>,
        ) -> Result<(), TaskArc<dyn Runnable>> {
            Err(task)
        }

        fn schedule_remote(&self, task: TaskArc<dyn Runnable>) {
            let _ = self.0.push(RemoteItem::Task(task));
        }

        fn release(&self, _task: &Header) {}

        fn call_soon(&self, callback: Box<dyn FnOnce()>) {
            drop(callback); // the models register no done-callbacks
        }
    }

    type Log = Arc<Mutex<Vec<(usize, usize)>>>;

    fn callback(log: &Log, sender: usize, n: usize) -> RemoteItem {
        let log = log.clone();
        RemoteItem::Callback(Box::new(move || {
            log.lock().unwrap().push((sender, n))
        }))
    }

    /// The loop with nothing else to do, as `run_once` drives it: sleep in the
    /// poller until woken, then drain and run. Returns once `expected`
    /// callbacks have run.
    fn run_loop(
        shared: &LoopShared,
        poller: &Notify,
        expected: usize,
        drain: fn(&LoopShared) -> VecDeque<RemoteItem>,
    ) {
        let mut ran = 0;
        while ran < expected {
            poller.wait();
            for item in drain(shared) {
                if let RemoteItem::Callback(callback) = item {
                    callback();
                    ran += 1;
                }
            }
        }
    }

    /// Model 1: a push from another thread that lands while the loop is
    /// deciding to sleep, or sleeping, always wakes it.
    pub(crate) fn remote_wake_model(
        drain: fn(&LoopShared) -> VecDeque<RemoteItem>,
    ) {
        two_pushes_from_another_thread(|shared, poller| {
            run_loop(shared, poller, 2, drain)
        });
    }

    /// Another thread pushes two callbacks while `run` drives the loop; both
    /// must run, in order. Two pushes, so one can land mid-drain.
    fn two_pushes_from_another_thread(run: impl FnOnce(&LoopShared, &Notify)) {
        let (shared, poller) = modelled_loop();
        let log: Log = Arc::default();
        let sender = {
            let (shared, log) = (shared.clone(), log.clone());
            thread::spawn(move || {
                shared.push(callback(&log, 0, 0)).unwrap();
                shared.push(callback(&log, 0, 1)).unwrap();
            })
        };
        run(&shared, &poller);
        sender.join().unwrap();
        assert_eq!(*log.lock().unwrap(), [(0, 0), (0, 1)]);
    }

    #[test]
    fn loom_remote_wake_is_never_lost() {
        loom::model(|| remote_wake_model(LoopShared::drain));
    }

    /// The loop as it really drains: only when the flag says there is work
    /// (`LoopCore::take_remote_work`), both before it would sleep (a local
    /// push takes in remote work first) and after the poller wakes it.
    fn run_loop_by_flag(shared: &LoopShared, poller: &Notify, expected: usize) {
        let mut ran = 0;
        let take_remote_work = |ran: &mut usize| {
            if shared.has_pending() {
                for item in shared.drain() {
                    if let RemoteItem::Callback(callback) = item {
                        callback();
                        *ran += 1;
                    }
                }
            }
        };
        take_remote_work(&mut ran);
        while ran < expected {
            poller.wait();
            take_remote_work(&mut ran);
        }
    }

    #[test]
    fn loom_a_drain_gated_by_the_flag_never_misses_work() {
        loom::model(|| {
            two_pushes_from_another_thread(|shared, poller| {
                run_loop_by_flag(shared, poller, 2)
            });
        });
    }

    #[test]
    fn loom_call_soon_threadsafe_from_two_threads() {
        loom::model(|| {
            let (shared, poller) = modelled_loop();
            let log: Log = Arc::default();
            let senders: Vec<_> = (0..2)
                .map(|sender| {
                    let (shared, log) = (shared.clone(), log.clone());
                    thread::spawn(move || {
                        for n in 0..2 {
                            shared.push(callback(&log, sender, n)).unwrap();
                        }
                    })
                })
                .collect();
            run_loop(&shared, &poller, 4, LoopShared::drain);
            senders.into_iter().for_each(|sender| sender.join().unwrap());
            let log = log.lock().unwrap();
            for sender in 0..2 {
                let calls: Vec<usize> = log
                    .iter()
                    .filter(|(s, _)| *s == sender)
                    .map(|(_, n)| *n)
                    .collect();
                assert_eq!(
                    calls,
                    [0, 1],
                    "each callback ran exactly once, in its sender's order"
                );
            }
        });
    }

    #[test]
    fn loom_a_push_after_close_is_refused_and_dropped() {
        loom::model(|| {
            let (shared, _poller) = modelled_loop();
            let log: Log = Arc::default();
            let sender = {
                let (shared, log) = (shared.clone(), log.clone());
                thread::spawn(move || shared.push(callback(&log, 0, 0)).is_ok())
            };
            let left = shared.close();
            let accepted = sender.join().unwrap();
            // Either the push came first and close handed it back, or close
            // came first and the push was refused: never both, never neither.
            assert_eq!(accepted, left.len() == 1);
            assert!(shared.push(callback(&log, 0, 1)).is_err());
        });
    }
}
