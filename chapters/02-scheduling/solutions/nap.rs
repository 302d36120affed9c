//! Exercise 3 (medium): sleep, built from `call_later` and a waker.
//!
//! The first poll schedules a timer whose callback sets a flag and wakes the
//! stored waker; later polls look at the flag and store the newest waker.
//! Dropping the future cancels the timer, which drops its callback, and with
//! it the last reference to the shared state and the waker inside.

use aio::TimerHandle;
use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

// ANCHOR: nap
/// A future that completes `delay` of loop time after its first poll.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Nap {
    delay: Duration,
    state: NapState,
}

/// Where a nap is in its life.
#[derive(Debug)]
enum NapState {
    /// Not polled yet.
    Unstarted,
    /// A zero delay that has yielded once.
    Yielded,
    /// Waiting for its timer.
    Waiting { alarm: Rc<Alarm>, timer: TimerHandle },
}

/// What the timer's callback shares with the future.
#[derive(Debug, Default)]
struct Alarm {
    rung: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// A [`Nap`] of `delay`.
pub fn nap(delay: Duration) -> Nap {
    Nap { delay, state: NapState::Unstarted }
}
// ANCHOR_END: nap

// ANCHOR: poll
impl Future for Nap {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.state {
            NapState::Unstarted if self.delay.is_zero() => {
                self.state = NapState::Yielded;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            NapState::Unstarted => {
                self.state = start(self.delay, cx.waker());
                Poll::Pending
            }
            NapState::Yielded => Poll::Ready(()),
            NapState::Waiting { alarm, .. } if alarm.rung.get() => {
                Poll::Ready(())
            }
            NapState::Waiting { alarm, .. } => {
                alarm.waker.replace(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

/// Sets the timer on the running loop: its callback rings the alarm.
fn start(delay: Duration, waker: &Waker) -> NapState {
    let Ok(event_loop) = aio::get_running_loop() else {
        panic!("a Nap must be awaited in a task or callback of an aio loop");
    };
    let alarm = Rc::new(Alarm::default());
    alarm.waker.replace(Some(waker.clone()));
    let ringing = alarm.clone();
    let timer = event_loop
        .call_later(delay, move || {
            ringing.rung.set(true);
            if let Some(waker) = ringing.waker.take() {
                waker.wake();
            }
        })
        .expect("a running loop is open: close() refuses to close it");
    NapState::Waiting { alarm, timer }
}

impl Drop for Nap {
    /// Cancelling drops the timer's callback, its `Rc<Alarm>`, and so the
    /// waker, now rather than when the deadline comes.
    fn drop(&mut self) {
        if let NapState::Waiting { timer, .. } = &self.state {
            timer.cancel();
        }
    }
}
// ANCHOR_END: poll
