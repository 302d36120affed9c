//! Chapter 2 (scheduling): sleeping, built from a timer and a waker.
//!
//! `asyncio.sleep(delay)` makes a future, schedules `call_later(delay,
//! set_result)` and awaits the future. [`Sleep`] does the same in one object:
//! on its first poll it asks the loop for a timer whose callback wakes the
//! sleeping task. Dropping a `Sleep` cancels its timer. `sleep(Duration::ZERO)`
//! skips the timer and just yields for one tick.

use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::ready_queue::Callback;
use std::cell::{Cell, RefCell};
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

    fn cancel(&self) {
        self.cancelled.set(true);
        self.waker.take();
    }

    fn cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

enum SleepState {
    /// Not polled yet: the deadline is relative to the first poll for `sleep`.
    Created,
    /// `sleep(ZERO)` yielded once and is ready on its next poll.
    Yielded,
    /// A timer is scheduled.
    Waiting { alarm: Rc<Alarm> },
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
            SleepState::Waiting { alarm, .. } => {
                if alarm.rung.get() {
                    self.state = SleepState::Done;
                    return Poll::Ready(());
                }
                alarm.waker.replace(Some(cx.waker().clone()));
                return Poll::Pending;
            }
        }
        let Ok(event_loop) = event_loop::get_running_loop() else {
            logging::error!(
                "aio.sleep",
                "a Sleep was polled outside a running aio loop; \
                 it completes at once"
            );
            self.state = SleepState::Done;
            return Poll::Ready(());
        };
        let when = match self.deadline {
            Deadline::After(Duration::ZERO) => {
                self.state = SleepState::Yielded;
                // Back of the ready queue: runs next tick.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            Deadline::After(delay) => event_loop.time().saturating_add(delay),
            Deadline::At(deadline) => deadline,
        };
        let alarm = Rc::new(Alarm {
            waker: RefCell::new(Some(cx.waker().clone())),
            ..Alarm::default()
        });
        if event_loop.push_timer(when, alarm.clone()).is_err() {
            logging::error!(
                "aio.sleep",
                "a Sleep was polled on a closed loop; it completes at once"
            );
            self.state = SleepState::Done;
            return Poll::Ready(());
        }
        self.state = SleepState::Waiting { alarm };
        Poll::Pending
    }
}
// ANCHOR_END: sleep_poll

impl Drop for Sleep {
    fn drop(&mut self) {
        if let SleepState::Waiting { alarm } = &self.state {
            alarm.cancel();
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
