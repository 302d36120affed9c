//! Chapter 5 (control structures): deadlines on the loop's clock, and the
//! timer that wakes a future when one passes.
//!
//! `wait`, `as_completed` and the timeouts each wait for two things at once:
//! the work, and a deadline. The work wakes its task when it makes progress,
//! but nothing wakes the task when time is up, unless a timer does. So each of
//! them polls a [`DeadlineTimer`] next to the work: a [`Sleep`] until the
//! deadline, armed on the first poll and armed again if the deadline moves.

use crate::ch01_coroutines::event_loop;
use crate::ch02_scheduling::sleep::{Sleep, sleep_until};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

// ANCHOR: deadline
/// When time is up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// A delay that counts from the first poll, not yet a loop time.
    After(Duration),
    /// A loop time.
    At(Duration),
    /// No deadline.
    Never,
}

impl Deadline {
    /// `timeout` counted from the first poll; no deadline for `None`.
    pub(crate) fn after(timeout: Option<Duration>) -> Deadline {
        timeout.map_or(Deadline::Never, Deadline::After)
    }

    /// Starts a delay: it becomes the loop time `delay` from now. A loop time,
    /// or no deadline, stays as it is, so starting twice changes nothing.
    pub(crate) fn start(self) -> Deadline {
        match self {
            Deadline::After(delay) => {
                Deadline::At(loop_time().saturating_add(delay))
            }
            started => started,
        }
    }

    /// Whether the loop's clock has reached this deadline.
    pub(crate) fn passed(self) -> bool {
        matches!(self, Deadline::At(when) if loop_time() >= when)
    }
}

/// The running loop's time: the clock deadlines are on. Zero with no loop
/// running.
pub(crate) fn loop_time() -> Duration {
    event_loop::with_running(|event_loop| event_loop.time()).unwrap_or_default()
}

/// The timer for a deadline: a sleep until it, which wakes the task that
/// polls it when the deadline comes.
#[derive(Debug, Default)]
pub(crate) struct DeadlineTimer {
    /// The loop time the sleep was armed for, and the sleep.
    armed: Option<(Duration, Sleep)>,
}

impl DeadlineTimer {
    /// Ready once the sleep until `deadline` has completed; otherwise `cx` is
    /// woken when it does. The first poll arms the sleep; a poll with another
    /// time arms a new one and drops the old one, which cancels its timer. No
    /// deadline (or a delay not started yet) disarms the timer.
    pub(crate) fn poll(
        &mut self,
        deadline: Deadline,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        let Deadline::At(when) = deadline else {
            self.armed = None;
            return Poll::Pending;
        };
        let sleep = match &mut self.armed {
            Some((armed_for, sleep)) if *armed_for == when => sleep,
            armed => &mut armed.insert((when, sleep_until(when))).1,
        };
        Pin::new(sleep).poll(cx)
    }
}
// ANCHOR_END: deadline
