//! Chapter 1 (coroutines): a future stored inline and pinned where it lies.
//!
//! A task keeps its future inside its own allocation, not in a second `Box`.
//! Polling needs `Pin<&mut F>`, and the promise `Pin` makes is "this value
//! will not move again until it is dropped". The slot keeps that promise by
//! construction: the future is written once, polled where it is, and dropped
//! in place, never moved out. That is the one thing `unsafe` here relies on.

use crate::ch01_coroutines::loom::UnsafeCell;
use std::cell::Cell;
use std::future::Future;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: future_slot
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotState {
    Empty,
    Idle,
    Polling,
}

/// A future stored inline and pinned in place. It is polled and dropped where
/// it is, never moved, which is what makes `Pin::new_unchecked` below sound.
pub(crate) struct FutureSlot<F> {
    state: Cell<SlotState>,
    future: UnsafeCell<MaybeUninit<F>>,
}
// ANCHOR_END: future_slot

impl<F: Future> FutureSlot<F> {
    /// Stores `future`, ready to be polled.
    // Inlined, so the task's parts are built where the task is, not built
    // aside and copied (one `memcpy` fewer per spawn, measured).
    #[inline(always)]
    pub(crate) fn new(future: F) -> Self {
        FutureSlot {
            state: Cell::new(SlotState::Idle),
            future: UnsafeCell::new(MaybeUninit::new(future)),
        }
    }

    // ANCHOR: poll_in_place
    /// Polls the future, or returns `None` if it is gone (or already being
    /// polled).
    pub(crate) fn poll(&self, cx: &mut Context<'_>) -> Option<Poll<F::Output>> {
        if self.state.get() != SlotState::Idle {
            return None;
        }
        self.state.set(SlotState::Polling);
        let _back_to_idle = SetOnDrop(&self.state, SlotState::Idle);
        // SAFETY: `Idle` means the slot holds an initialised future, and
        // `Polling` keeps every other access out until this borrow ends. The
        // slot lives inside the task's `Arc` allocation, which never moves, and
        // the future is only ever dropped in place (`drop_future`), never moved
        // out, so pinning it here is sound.
        self.future.with_mut(|slot| {
            // SAFETY: as above: initialised, unaliased while `Polling`, never
            // moved.
            let future =
                unsafe { Pin::new_unchecked((*slot).assume_init_mut()) };
            Some(future.poll(cx))
        })
    }
    // ANCHOR_END: poll_in_place

    /// Drops the future in place. Returns whether there was one to drop.
    pub(crate) fn drop_future(&self) -> bool {
        if self.state.get() != SlotState::Idle {
            return false;
        }
        // Mark the slot empty first: if the future's destructor panics, it is
        // still never dropped twice.
        self.state.set(SlotState::Empty);
        self.future.with_mut(|slot| {
            // SAFETY: the slot was `Idle`, so it held an initialised future
            // that nothing borrows (no poll is in progress), and it is now
            // marked `Empty`.
            unsafe { (*slot).assume_init_drop() }
        });
        true
    }
}

impl<F> Drop for FutureSlot<F> {
    fn drop(&mut self) {
        if self.state.get() == SlotState::Idle {
            self.state.set(SlotState::Empty);
            self.future.with_mut(|slot| {
                // SAFETY: `Idle` means initialised, and `&mut self` means
                // nothing borrows it.
                unsafe { (*slot).assume_init_drop() }
            });
        }
    }
}

/// Sets a cell to a value when dropped, even during a panic.
struct SetOnDrop<'a, T: Copy>(&'a Cell<T>, T);

impl<T: Copy> Drop for SetOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.set(self.1);
    }
}
