//! Exercise 2 (medium): a repeating timer that does not drift.
//!
//! Each call schedules the next one with `call_at(due + period)`, so the due
//! times stay on the grid however late each call runs. `call_later(period)`
//! from inside the call would add every call's lateness to all later ones.

use aio::{EventLoop, TimerHandle};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: state
/// A repeating call made by [`call_every`]; cancel it to stop the calls.
#[derive(Debug, Clone)]
pub struct Repeating {
    state: Rc<RepeatState>,
}

/// What the handle and the scheduled calls share.
#[derive(Debug, Default)]
struct RepeatState {
    cancelled: Cell<bool>,
    /// The timer of the next call, to cancel it.
    next: RefCell<Option<TimerHandle>>,
}

impl Repeating {
    /// Stops the calls: `f` is not called again, even if this is called from
    /// inside `f`. Cancelling twice does nothing.
    pub fn cancel(&self) {
        self.state.cancelled.set(true);
        if let Some(timer) = self.state.next.take() {
            timer.cancel();
        }
    }

    /// Whether [`cancel`](Repeating::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.state.cancelled.get()
    }
}
// ANCHOR_END: state

// ANCHOR: call_every
/// Calls `f(due)` at loop times `start + period`, `start + 2 * period`, and
/// so on, where `start` is `event_loop.time()` now and `due` is the time the
/// call was due at. `period` must not be zero. Fails with
/// [`aio::Error::LoopClosed`] on a closed loop.
pub fn call_every(
    event_loop: &EventLoop,
    period: Duration,
    f: impl FnMut(Duration) + 'static,
) -> Result<Repeating, aio::Error> {
    let state = Rc::new(RepeatState::default());
    let f: Rc<RefCell<dyn FnMut(Duration)>> = Rc::new(RefCell::new(f));
    let first = event_loop.time() + period;
    schedule(event_loop, &state, f, first, period)?;
    Ok(Repeating { state })
}

/// Schedules the call due at `due`, which calls `f` and then schedules the
/// one due a period later, unless `f` cancelled.
fn schedule(
    event_loop: &EventLoop,
    state: &Rc<RepeatState>,
    f: Rc<RefCell<dyn FnMut(Duration)>>,
    due: Duration,
    period: Duration,
) -> Result<(), aio::Error> {
    let (lp, shared) = (event_loop.clone(), state.clone());
    let timer = event_loop.call_at(due, move || {
        (f.borrow_mut())(due);
        if !shared.cancelled.get() {
            // Fails only if the loop was closed: then there is no next call.
            let _ = schedule(&lp, &shared, f, due + period, period);
        }
    })?;
    state.next.replace(Some(timer));
    Ok(())
}
// ANCHOR_END: call_every
