//! Chapter 10 (DNS): a one-shot channel from any thread to a task.
//!
//! A worker thread computes a value (chapter 10's first: the answer of a
//! blocking name lookup); a task on the loop awaits it. The
//! [`Sender`] is `Send`, the [`Receiver`] is a future. The value travels
//! through a slot that only the sender writes and only the receiver reads, and
//! an atomic state that says whose turn it is: the sender writes the slot, then
//! publishes `SENT` with release ordering; the receiver sees `SENT` with
//! acquire ordering, and only then reads the slot. The loom models check
//! exactly that hand-over, and the bug museum keeps a broken variant.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::loom::{
    Arc, AtomicU8, Mutex, Ordering, UnsafeCell,
};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

const EMPTY: u8 = 0;
const SENT: u8 = 1;
const SENDER_GONE: u8 = 2;
const RECEIVER_GONE: u8 = 3;

struct Shared<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<T>>,
    receiver_waker: Mutex<Option<Waker>>,
}

// SAFETY: the slot is written only by the sender before it publishes `SENT`
// (release), and read only by the receiver after it observes `SENT` (acquire),
// or by whoever drops the last `Arc`, after both sides are gone. So
// `&Shared<T>` never gives two threads access to the slot at once, and moving a
// `T` between threads needs `T: Send`.
unsafe impl<T: Send> Sync for Shared<T> {}
// SAFETY: see `Sync`: the `T` inside may be dropped on either thread, so `T:
// Send`.
unsafe impl<T: Send> Send for Shared<T> {}

/// The sending half: `Send`, used once.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
    sent: bool,
}

/// The receiving half: a future that completes with the value, or with
/// [`RecvError`] if the sender was dropped without sending.
#[must_use = "a Receiver does nothing unless you .await it"]
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// The sender was dropped without sending a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError;

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the sender was dropped without sending a value; make sure the worker sends, even on error",
        )
    }
}

impl std::error::Error for RecvError {}

/// A new one-shot channel.
pub fn channel<T: Send>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: AtomicU8::new(EMPTY),
        value: UnsafeCell::new(None),
        receiver_waker: Mutex::new(None),
    });
    (Sender { shared: Arc::clone(&shared), sent: false }, Receiver { shared })
}

// ANCHOR: send
impl<T: Send> Sender<T> {
    /// Sends `value` and wakes the receiver. Gives the value back if the
    /// receiver is gone.
    pub fn send(mut self, value: T) -> Result<(), T> {
        let shared = &*self.shared;
        if shared.state.load(Ordering::Acquire) == RECEIVER_GONE {
            return Err(value);
        }
        // SAFETY: the state is not `SENT`, so the receiver does not read the
        // slot, and this sender (used once, by value) is the only writer.
        shared.value.with_mut(|slot| unsafe { *slot = Some(value) });
        // Publish: everything written above happens-before the receiver's read.
        match shared.state.compare_exchange(
            EMPTY,
            SENT,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => {
                self.sent = true;
                wake_receiver(shared);
                Ok(())
            }
            Err(_) => {
                // The receiver left meanwhile: take the value back.
                self.sent = true;
                // SAFETY: the receiver is gone and never published `SENT`: we
                // are alone.
                let value =
                    shared.value.with_mut(|slot| unsafe { (*slot).take() });
                Err(value.expect("the value written above"))
            }
        }
    }
}
// ANCHOR_END: send

fn wake_receiver<T>(shared: &Shared<T>) {
    let waker = shared
        .receiver_waker
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if !self.sent
            && self
                .shared
                .state
                .compare_exchange(
                    EMPTY,
                    SENDER_GONE,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
        {
            wake_receiver(&self.shared);
        }
    }
}

// ANCHOR: receive
impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let shared = &*self.shared;
        loop {
            match shared.state.load(Ordering::Acquire) {
                SENT => {
                    // SAFETY: `SENT` was published with release ordering after
                    // the sender's last write, and we observed it with acquire
                    // ordering.
                    let value =
                        shared.value.with_mut(|slot| unsafe { (*slot).take() });
                    return Poll::Ready(value.ok_or(RecvError));
                }
                SENDER_GONE => return Poll::Ready(Err(RecvError)),
                _ => {}
            }
            // Register, then look again: a send between the first look and the
            // registration would otherwise find no waker to wake.
            *shared
                .receiver_waker
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Some(cx.waker().clone());
            if shared.state.load(Ordering::Acquire) == EMPTY {
                awaiting::note(|| {
                    WaitingOn::Thread("a worker thread's answer")
                });
                return Poll::Pending;
            }
        }
    }
}
// ANCHOR_END: receive

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let _ = self.shared.state.compare_exchange(
            EMPTY,
            RECEIVER_GONE,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: both halves are gone, nobody else can reach the
        // slot.
        self.value.with_mut(|slot| unsafe { drop((*slot).take()) });
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// The bug museum's exhibit: a send that writes the slot but publishes `SENT`
/// with relaxed ordering, so the receiver may see the flag and still not see
/// the value. Only the loom models use it.
#[cfg(all(test, aio_loom))]
impl<T: Send> Sender<T> {
    // ANCHOR: museum_send
    pub(crate) fn send_unpublished(mut self, value: T) {
        let shared = &*self.shared;
        // SAFETY: (claimed) the receiver does not read the slot before it sees
        // `SENT`.
        shared.value.with_mut(|slot| unsafe { *slot = Some(value) });
        // The bug: nothing is published.
        shared.state.store(SENT, Ordering::Relaxed);
        self.sent = true;
        wake_receiver(shared);
    }
    // ANCHOR_END: museum_send
}

#[cfg(all(test, aio_loom))]
pub(crate) mod loom_models {
    //! Models of the one-shot hand-over: run with `RUSTFLAGS="--cfg aio_loom"
    //! cargo test --lib loom`.

    use super::*;
    use loom::thread;

    /// Model 4: a value sent from another thread reaches the receiver exactly
    /// once, whatever the interleaving of send, poll and registration.
    pub(crate) fn hand_over_model(send: fn(Sender<Box<u32>>, Box<u32>)) {
        let (sender, receiver) = channel::<Box<u32>>();
        let worker = thread::spawn(move || send(sender, Box::new(7)));
        let value = loom::future::block_on(receiver);
        worker.join().unwrap();
        assert_eq!(value.map(|boxed| *boxed), Ok(7));
    }

    #[test]
    fn loom_oneshot_hands_the_value_over() {
        loom::model(|| {
            hand_over_model(|sender, value| {
                let _ = sender.send(value);
            })
        });
    }

    #[test]
    fn loom_oneshot_a_dropped_sender_wakes_the_receiver() {
        loom::model(|| {
            let (sender, receiver) = channel::<u32>();
            let worker = thread::spawn(move || drop(sender));
            assert_eq!(loom::future::block_on(receiver), Err(RecvError));
            worker.join().unwrap();
        });
    }

    #[test]
    fn loom_oneshot_a_dropped_receiver_gets_the_value_back_or_drops_it_once() {
        loom::model(|| {
            let (sender, receiver) = channel::<Arc<()>>();
            let marker = Arc::new(());
            let sent = marker.clone();
            let worker = thread::spawn(move || sender.send(sent).is_ok());
            drop(receiver);
            let delivered = worker.join().unwrap();
            // Delivered or handed back: either way, no copy is left behind.
            let _ = delivered;
            assert_eq!(Arc::strong_count(&marker), 1);
        });
    }
}
