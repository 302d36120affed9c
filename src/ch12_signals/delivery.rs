//! Chapter 12 (signals): one signal's slot, where the signal handler leaves
//! news of it for the loop.
//!
//! A signal handler may interrupt any thread at any instruction, even one
//! holding a lock or halfway through `malloc`. So it may do almost nothing:
//! no allocation, no lock, no `RefCell`; only atomics and the few system
//! calls that are *async-signal-safe*, such as `write(2)`. Each signal has a
//! slot in a process-wide table. The handler marks the slot pending and
//! writes one byte, the signal's number, to the self-pipe of the loop that
//! owns the signal. The loop reads the pipe, then takes the mark. The mark is
//! the truth and the byte a wake-up: a full pipe loses bytes, never marks.
//!
//! The slot also says where the bytes go, in one atomic word: the pipe's
//! write end, and how many handlers are using it right now. A loop that
//! gives the signal up clears the pipe and then waits until that count is
//! zero, so that no handler can still write to the descriptor once the loop
//! closes it (and the number is reused for another file). This file is all
//! of chapter 12's cross-thread code; the loom models at the end check it.

use crate::ch01_coroutines::loom::{
    AtomicBool, AtomicU64, Ordering, yield_now,
};
use std::os::fd::RawFd;

/// The low half of a route: handlers using the pipe right now.
const USERS: u64 = 0xFFFF_FFFF;

/// Where a signal handler sends its wake-up byte.
pub(crate) trait WakeUp {
    /// Writes `byte` to pipe `fd`, without blocking; a full pipe drops it.
    fn wake(&self, fd: RawFd, byte: u8);
}

/// What a delivery came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The loop will run the signal's callback.
    Queued,
    /// No loop takes it: the signal's default action applies.
    NotHandled,
}

// ANCHOR: signal_slot
/// What the handler and the loop share about one signal.
pub(crate) struct SignalSlot {
    /// High half: the owning loop's pipe, plus one (0: no loop owns it).
    /// Low half: handlers using that pipe right now.
    route: AtomicU64,
    /// Set by the handler, taken by the loop.
    pending: AtomicBool,
    /// Ctrl-C in `aio::run`: a delivery after the first is not handled.
    once_only: AtomicBool,
    /// Set by the first delivery while `once_only` is set.
    delivered: AtomicBool,
}
// ANCHOR_END: signal_slot

impl SignalSlot {
    /// A slot no loop owns.
    #[cfg(not(aio_loom))]
    pub(crate) const fn new() -> SignalSlot {
        SignalSlot {
            route: AtomicU64::new(0),
            pending: AtomicBool::new(false),
            once_only: AtomicBool::new(false),
            delivered: AtomicBool::new(false),
        }
    }

    /// A slot no loop owns (loom's atomics are made at run time).
    #[cfg(aio_loom)]
    pub(crate) fn new() -> SignalSlot {
        SignalSlot {
            route: AtomicU64::new(0),
            pending: AtomicBool::new(false),
            once_only: AtomicBool::new(false),
            delivered: AtomicBool::new(false),
        }
    }

    // ANCHOR: deliver
    /// The signal handler's half: async-signal-safe, and wait-free.
    pub(crate) fn deliver(&self, byte: u8, pipe: &impl WakeUp) -> Delivery {
        // Take a use of the route and read it in one step.
        let route = self.route.fetch_add(1, Ordering::Acquire);
        let fd = (route >> 32) as i64 - 1;
        let second_ctrl_c = || {
            self.once_only.load(Ordering::Relaxed)
                && self.delivered.swap(true, Ordering::Relaxed)
        };
        let outcome = if fd < 0 || second_ctrl_c() {
            Delivery::NotHandled
        } else {
            // Mark first, then wake: a loop that reads the byte finds the
            // mark.
            self.pending.store(true, Ordering::Release);
            pipe.wake(fd as RawFd, byte);
            Delivery::Queued
        };
        self.route.fetch_sub(1, Ordering::Release);
        outcome
    }
    // ANCHOR_END: deliver

    /// The loop's half, after reading its pipe: whether the signal arrived
    /// since the last take.
    pub(crate) fn take_pending(&self) -> bool {
        self.pending.swap(false, Ordering::Acquire)
    }

    /// Sends the signal's wake-ups to pipe `fd` from now on. With
    /// `once_only`, only the first delivery is handled.
    pub(crate) fn route_to(&self, fd: RawFd, once_only: bool) {
        self.pending.store(false, Ordering::Relaxed);
        self.delivered.store(false, Ordering::Relaxed);
        self.once_only.store(once_only, Ordering::Relaxed);
        // The Release publishes the flags to the handler that reads this.
        let pipe = (fd as u64 + 1) << 32;
        self.route.fetch_add(pipe, Ordering::Release);
    }

    /// Handles every delivery from now on, the first included.
    pub(crate) fn handle_every_delivery(&self) {
        self.once_only.store(false, Ordering::Relaxed);
    }

    // ANCHOR: stop_routing
    /// Stops sending wake-ups to the pipe, and returns once no handler is
    /// still using it: then the pipe may be closed.
    pub(crate) fn stop_routing(&self) {
        self.route.fetch_and(USERS, Ordering::AcqRel);
        // A handler runs to its end without waiting for anything, so this
        // wait is short, even when the handler interrupted this thread.
        while self.route.load(Ordering::Acquire) & USERS != 0 {
            yield_now();
        }
        self.pending.store(false, Ordering::Relaxed);
    }
    // ANCHOR_END: stop_routing
}

#[cfg(all(test, aio_loom))]
mod loom_models {
    use super::*;
    use loom::sync::Arc;
    use loom::sync::atomic::AtomicUsize;

    const FD: RawFd = 7;

    /// A pipe the model can see: bytes in it, and whether it is closed.
    struct ModelPipe {
        bytes: AtomicUsize,
        open: AtomicBool,
    }

    impl ModelPipe {
        fn new() -> ModelPipe {
            ModelPipe {
                bytes: AtomicUsize::new(0),
                open: AtomicBool::new(true),
            }
        }

        /// The loop reads every byte there is.
        fn read_all(&self) -> usize {
            self.bytes.swap(0, Ordering::AcqRel)
        }

        fn close(&self) {
            self.open.store(false, Ordering::Relaxed);
        }
    }

    impl WakeUp for ModelPipe {
        fn wake(&self, fd: RawFd, _byte: u8) {
            assert_eq!(fd, FD);
            assert!(
                self.open.load(Ordering::Relaxed),
                "a handler wrote to a pipe the loop had closed"
            );
            self.bytes.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// What the loop does when its pipe is readable: read, then take the
    /// mark. Returns the callbacks it queued.
    fn drain(slot: &SignalSlot, pipe: &ModelPipe) -> usize {
        pipe.read_all();
        usize::from(slot.take_pending())
    }

    // ANCHOR: loom_never_lost
    /// Two deliveries race the loop's drain. However they interleave, they
    /// make one or two callbacks, and nothing is left marked without a byte
    /// in the pipe to wake the loop for it.
    #[test]
    fn loom_a_delivered_signal_always_reaches_the_loop() {
        loom::model(|| {
            let slot = Arc::new(SignalSlot::new());
            let pipe = Arc::new(ModelPipe::new());
            slot.route_to(FD, false);
            let handlers: Vec<_> = (0..2)
                .map(|_| {
                    let (slot, pipe) = (slot.clone(), pipe.clone());
                    loom::thread::spawn(move || slot.deliver(1, &*pipe))
                })
                .collect();
            let mut callbacks = drain(&slot, &pipe);
            for handler in handlers {
                assert_eq!(handler.join().unwrap(), Delivery::Queued);
            }
            // The poller reports the pipe readable while a byte is in it.
            while pipe.bytes.load(Ordering::Acquire) > 0 {
                callbacks += drain(&slot, &pipe);
            }
            assert!((1..=2).contains(&callbacks), "{callbacks} callbacks");
            assert!(!slot.pending.load(Ordering::Acquire), "a lost signal");
        });
    }
    // ANCHOR_END: loom_never_lost

    // ANCHOR: loom_close
    /// A loop gives the signal up and closes its pipe while a handler is
    /// delivering: the handler either wrote before the close or found no
    /// route, and never wrote to the closed pipe.
    #[test]
    fn loom_a_pipe_is_closed_only_after_the_handlers_leave_it() {
        loom::model(|| {
            let slot = Arc::new(SignalSlot::new());
            let pipe = Arc::new(ModelPipe::new());
            slot.route_to(FD, false);
            let handler = {
                let (slot, pipe) = (slot.clone(), pipe.clone());
                loom::thread::spawn(move || slot.deliver(1, &*pipe))
            };
            slot.stop_routing();
            pipe.close();
            let outcome = handler.join().unwrap();
            let wrote = pipe.read_all() == 1;
            assert_eq!(outcome == Delivery::Queued, wrote);
        });
    }
    // ANCHOR_END: loom_close

    /// Ctrl-C in `aio::run`: of two deliveries, exactly one is handled.
    #[test]
    fn loom_only_the_first_interrupt_is_handled() {
        loom::model(|| {
            let slot = Arc::new(SignalSlot::new());
            let pipe = Arc::new(ModelPipe::new());
            slot.route_to(FD, true);
            let handlers: Vec<_> = (0..2)
                .map(|_| {
                    let (slot, pipe) = (slot.clone(), pipe.clone());
                    loom::thread::spawn(move || slot.deliver(2, &*pipe))
                })
                .collect();
            let outcomes: Vec<Delivery> =
                handlers.into_iter().map(|h| h.join().unwrap()).collect();
            let queued =
                outcomes.iter().filter(|o| **o == Delivery::Queued).count();
            assert_eq!(queued, 1, "{outcomes:?}");
            assert_eq!(pipe.read_all(), 1);
        });
    }
}

#[cfg(all(test, not(aio_loom)))]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[derive(Default)]
    struct Recorded(RefCell<Vec<(RawFd, u8)>>);

    impl WakeUp for Recorded {
        fn wake(&self, fd: RawFd, byte: u8) {
            self.0.borrow_mut().push((fd, byte));
        }
    }

    #[test]
    fn an_unrouted_signal_is_not_handled_and_writes_nothing() {
        let (slot, pipe) = (SignalSlot::new(), Recorded::default());
        assert_eq!(slot.deliver(10, &pipe), Delivery::NotHandled);
        assert!(pipe.0.borrow().is_empty());
        assert!(!slot.take_pending());
        assert_eq!(slot.route.load(Ordering::Relaxed), 0, "use given back");
    }

    #[test]
    fn a_burst_leaves_one_mark_and_a_byte_per_delivery() {
        let (slot, pipe) = (SignalSlot::new(), Recorded::default());
        slot.route_to(0, false); // descriptor 0 is a valid route
        for _ in 0..3 {
            assert_eq!(slot.deliver(10, &pipe), Delivery::Queued);
        }
        assert_eq!(*pipe.0.borrow(), [(0, 10); 3]);
        assert!(slot.take_pending());
        assert!(!slot.take_pending(), "one mark, taken once");
        slot.stop_routing();
        assert_eq!(slot.deliver(10, &pipe), Delivery::NotHandled);
    }

    #[test]
    fn once_only_handles_the_first_delivery_until_told_otherwise() {
        let (slot, pipe) = (SignalSlot::new(), Recorded::default());
        slot.route_to(5, true);
        assert_eq!(slot.deliver(2, &pipe), Delivery::Queued);
        assert_eq!(slot.deliver(2, &pipe), Delivery::NotHandled);
        slot.handle_every_delivery();
        assert_eq!(slot.deliver(2, &pipe), Delivery::Queued);
        slot.stop_routing();
        slot.route_to(5, true);
        assert_eq!(slot.deliver(2, &pipe), Delivery::Queued, "a fresh start");
    }
}
