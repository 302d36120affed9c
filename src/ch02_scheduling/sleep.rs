//! Chapter 2 (scheduling): sleeping, built from a timer and a waker.
//!
//! `asyncio.sleep(delay)` makes a future, schedules `call_later(delay,
//! set_result)` and awaits the future. [`Sleep`] does the same in one object:
//! on its first poll it asks the loop for a timer whose callback wakes the
//! sleeping task. Dropping a `Sleep` cancels its timer. `sleep(Duration::ZERO)`
//! skips the timer and just yields for one tick.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::ready_queue::Callback;
use crate::ch01_coroutines::timers::CancelledTimers;
use std::cell::{Cell, OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// The sleep's timer: both the entry in the loop's timer queue and the state
/// the sleeping future looks at, in one allocation. Ringing it wakes the
/// sleeper.
#[derive(Default)]
struct Alarm {
    rung: Cell<bool>,
    cancelled: Cell<bool>,
    /// What to cancel it through, so the loop's timer queue knows it is dead.
    /// It lives here, in the timer's own allocation, and not in the `Sleep`,
    /// which is moved around with the future that holds it.
    cancelled_timers: OnceCell<CancelledTimers>,
    waker: RefCell<Option<Waker>>,
}

impl Callback for Alarm {
    fn run(&self) {
        if self.cancelled.get() {
            return;
        }
        self.rung.set(true);
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    fn cancel(&self) -> bool {
        let was_pending = !self.rung.get() && !self.cancelled.replace(true);
        self.waker.take();
        was_pending
    }

    fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    fn label(&self) -> &'static str {
        "sleep"
    }
}

enum SleepState {
    /// Not polled yet: the deadline is relative to the first poll for `sleep`.
    Created,
    /// `sleep(ZERO)` yielded once and is ready on its next poll.
    Yielded,
    /// A timer is scheduled for loop time `when`; dropping the sleep cancels
    /// it.
    Waiting { alarm: Rc<Alarm>, when: Duration },
    /// The deadline passed.
    Done,
}

enum Deadline {
    After(Duration),
    At(Duration),
}

/// A future that completes at a loop time. Made by [`sleep`] and
/// [`sleep_until`].
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Sleep {
    deadline: Deadline,
    state: SleepState,
}

/// Completes after `delay` of loop time (`asyncio.sleep`). The delay counts
/// from the first poll. A zero delay yields to the loop for exactly one tick.
///
/// On the virtual clock, a sleep takes no real time: the loop jumps to the
/// next timer when nothing else is ready.
///
/// ```
/// use std::time::Duration;
///
/// let event_loop = aio::EventLoop::builder().virtual_clock().build()?;
/// let woke_at = event_loop.run_until_complete(async {
///     aio::sleep(Duration::from_secs(60)).await;
///     aio::get_running_loop().map(|running| running.time())
/// })?;
/// assert_eq!(woke_at?, Duration::from_secs(60));
/// # Ok::<(), aio::Error>(())
/// ```
///
/// A sleep does nothing unless it is awaited, so forgetting the `.await` is
/// a warning (here made an error):
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// async fn nap() {
///     aio::sleep(std::time::Duration::from_millis(1)); // no .await
/// }
/// ```
pub fn sleep(delay: Duration) -> Sleep {
    Sleep { deadline: Deadline::After(delay), state: SleepState::Created }
}

/// Completes when the loop time reaches `deadline`. A deadline in the past
/// completes on the next tick.
pub fn sleep_until(deadline: Duration) -> Sleep {
    Sleep { deadline: Deadline::At(deadline), state: SleepState::Created }
}

// ANCHOR: sleep_poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.state {
            SleepState::Created => {}
            SleepState::Yielded | SleepState::Done => {
                self.state = SleepState::Done;
                return Poll::Ready(());
            }
            SleepState::Waiting { alarm, when } => {
                if alarm.rung.get() {
                    self.state = SleepState::Done;
                    return Poll::Ready(());
                }
                alarm.waker.replace(Some(cx.waker().clone()));
                awaiting::note(|| WaitingOn::Timer(*when));
                return Poll::Pending;
            }
        }
        if let Deadline::After(Duration::ZERO) = self.deadline {
            // A yield needs no loop: back of the ready queue, next tick.
            self.state = SleepState::Yielded;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        // Only a loop can time a sleep. Without one, completing now would be
        // early, and waiting would hang: fail loudly, as tokio does and as
        // asyncio's `sleep` raises `RuntimeError`.
        let event_loop = event_loop::get_running_loop()
            .unwrap_or_else(|error| outside_a_loop(error));
        let when = match self.deadline {
            Deadline::After(delay) => event_loop.time().saturating_add(delay),
            Deadline::At(deadline) => deadline,
        };
        let alarm = Rc::new(Alarm {
            waker: RefCell::new(Some(cx.waker().clone())),
            ..Alarm::default()
        });
        let cancelled_timers = event_loop
            .push_timer(when, alarm.clone())
            .unwrap_or_else(|error| outside_a_loop(error));
        let _ = alarm.cancelled_timers.set(cancelled_timers);
        self.state = SleepState::Waiting { alarm, when };
        awaiting::note(|| WaitingOn::Timer(when));
        Poll::Pending
    }
}

/// The one way a sleep can fail: it was polled where no aio loop runs (by
/// another executor, or by hand). The panic is the error the caller sees.
#[cold]
fn outside_a_loop(error: Error) -> ! {
    panic!(
        "aio::sleep was polled outside a running aio loop ({error}); \
         await it inside aio::run, EventLoop::run_until_complete or a task"
    )
}
// ANCHOR_END: sleep_poll

impl Drop for Sleep {
    fn drop(&mut self) {
        if let SleepState::Waiting { alarm, .. } = &self.state
            && let Some(cancelled_timers) = alarm.cancelled_timers.get()
        {
            cancelled_timers.cancel(&**alarm);
        }
    }
}

impl std::fmt::Debug for Sleep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            SleepState::Created => "created",
            SleepState::Yielded => "yielded",
            SleepState::Waiting { .. } => "waiting",
            SleepState::Done => "done",
        };
        f.debug_struct("Sleep").field("state", &state).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::event_loop::{EventLoop, get_running_loop};
    use std::future::poll_fn;

    /// Polls `future` once, then drops it.
    async fn poll_once_and_drop(mut future: impl Future + Unpin) {
        poll_fn(|cx| {
            let _ = Pin::new(&mut future).poll(cx);
            Poll::Ready(())
        })
        .await;
    }

    #[test]
    fn cancelled_sleeps_do_not_pile_up_in_the_timer_queue() {
        let event_loop = EventLoop::builder().virtual_clock().build().unwrap();
        // A live timer due before all of them keeps the heap's top, so the
        // cancelled entries are never simply popped off it.
        let live =
            event_loop.call_later(Duration::from_secs(1800), || {}).unwrap();
        let peak = event_loop
            .run_until_complete(async {
                let mut peak = 0;
                for round in 0..200 {
                    for _ in 0..50 {
                        let nap = sleep(Duration::from_secs(3600 + round));
                        poll_once_and_drop(nap).await;
                    }
                    sleep(Duration::ZERO).await; // a tick: the loop sweeps
                    let entries = get_running_loop().unwrap().timer_entries();
                    peak = peak.max(entries);
                }
                peak
            })
            .unwrap();
        // 10,000 cancelled sleeps; the queue never held more than a sweep's
        // threshold (100) plus one round's worth.
        assert!(peak <= 150, "the timer queue peaked at {peak} entries");
        assert!(!live.cancelled());
        event_loop.close().unwrap();
    }

    #[test]
    fn a_sleep_polled_outside_a_loop_fails_loudly_instead_of_ending_early() {
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut nap = sleep(Duration::from_secs(5));
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Pin::new(&mut nap).poll(&mut cx)
            }));
        let payload = outcome.expect_err("it must not complete, or wait");
        let message = crate::ch01_coroutines::error::panic_message(&*payload);
        assert!(
            message.contains("outside a running aio loop"),
            "the message says what went wrong: {message}"
        );
        // A zero sleep only yields, which needs no loop (as in asyncio).
        let mut zero = sleep(Duration::ZERO);
        assert!(Pin::new(&mut zero).poll(&mut cx).is_pending());
        assert!(Pin::new(&mut zero).poll(&mut cx).is_ready());
    }
}
