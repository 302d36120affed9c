//! Chapter 5 (control structures): deadlines: `wait_for`, `timeout` and
//! `timeout_at`.
//!
//! `asyncio.wait_for(aw, timeout)` cancels the awaitable when the time is up
//! and raises `TimeoutError`. `asyncio.timeout(delay)` (Python 3.11) is a
//! deadline scope around a block, and its deadline can be moved while the block
//! runs (`reschedule`). In aio the inner future is polled inline; "cancelling"
//! it means dropping it, which runs its destructors at once. The inner future
//! is always polled before the deadline is checked, so a result that is already
//! there wins, even with a zero timeout.
//!
//! Nested scopes whose deadlines pass together end as in asyncio, where both
//! timers fire on the same tick: every one of them is `expired()`, and the
//! outermost reports the timeout. An expiring scope finds the scopes around it
//! on a stack of the scopes being polled, and leaves the ending to them.
//!
//! A [`Task`](crate::Task) handle passed as the inner future is only dropped,
//! which detaches the task; wrap it with [`Task::cancel_on_drop`] to cancel it
//! as asyncio does.

use crate::ch01_coroutines::error::{Error, TaskError};
use crate::ch01_coroutines::task::Task;
use crate::ch05_control::deadline::{Deadline, DeadlineTimer};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

// ANCHOR: wait_for
/// Runs `future` for at most `timeout` (`asyncio.wait_for`). On timeout the
/// future is dropped, and the result is `Err(Error::TimedOut)`.
///
/// ```
/// use std::time::Duration;
///
/// let (quick, slow) = aio::run(async {
///     let quick = aio::wait_for(async { 7 }, Duration::from_millis(5)).await;
///     let nap = aio::sleep(Duration::from_secs(60));
///     let slow = aio::wait_for(nap, Duration::from_millis(2)).await;
///     (quick, slow)
/// })
/// .unwrap();
/// assert_eq!(quick.unwrap(), 7);
/// assert!(matches!(slow, Err(aio::Error::TimedOut)));
/// ```
pub fn wait_for<F: Future>(future: F, timeout: Duration) -> Timeout<F> {
    self::timeout(timeout).run(future)
}
// ANCHOR_END: wait_for

/// A deadline for a block of work (`asyncio.timeout` / `asyncio.timeout_at`).
/// Clone it to move the deadline from inside the block, or from another task.
#[derive(Clone)]
#[must_use = "a TimeoutScope does nothing until you `.run()` a future under it"]
pub struct TimeoutScope {
    shared: Rc<ScopeState>,
}

struct ScopeState {
    deadline: Cell<Deadline>,
    expired: Cell<bool>,
    /// Set by an inner scope that expired with this one and left the ending
    /// to it (asyncio's `EXPIRING`).
    expiring: Cell<bool>,
    /// The task running the block, woken when the deadline moves.
    runner: RefCell<Option<Waker>>,
}

/// A deadline `delay` from when the block starts (`asyncio.timeout`).
pub fn timeout(delay: Duration) -> TimeoutScope {
    TimeoutScope::new(Deadline::After(delay))
}

/// A deadline at loop time `deadline` (`asyncio.timeout_at`).
pub fn timeout_at(deadline: Duration) -> TimeoutScope {
    TimeoutScope::new(Deadline::At(deadline))
}

impl TimeoutScope {
    fn new(deadline: Deadline) -> TimeoutScope {
        TimeoutScope {
            shared: Rc::new(ScopeState {
                deadline: Cell::new(deadline),
                expired: Cell::new(false),
                expiring: Cell::new(false),
                runner: RefCell::new(None),
            }),
        }
    }

    /// Runs `future` under this deadline.
    pub fn run<F: Future>(&self, future: F) -> Timeout<F> {
        Timeout {
            future: Some(future),
            scope: self.clone(),
            timer: DeadlineTimer::default(),
        }
    }

    /// The deadline as a loop time, once known (`None` for no deadline, or for
    /// a delay whose block has not started yet).
    pub fn when(&self) -> Option<Duration> {
        match self.shared.deadline.get() {
            Deadline::At(at) => Some(at),
            Deadline::After(_) | Deadline::Never => None,
        }
    }

    /// Moves the deadline to loop time `deadline`, or removes it with `None`
    /// (asyncio's `reschedule`). The block notices at once.
    pub fn reschedule(&self, deadline: Option<Duration>) {
        self.shared
            .deadline
            .set(deadline.map_or(Deadline::Never, Deadline::At));
        if let Some(runner) = self.shared.runner.borrow().as_ref() {
            runner.wake_by_ref();
        }
    }

    /// Whether the deadline passed and cancelled the block.
    pub fn expired(&self) -> bool {
        self.shared.expired.get()
    }
}

// ANCHOR: timeout_poll
pin_project_lite::pin_project! {
    /// The future of a block under a deadline: its output, or
    /// `Err(Error::TimedOut)`.
    #[must_use = "futures do nothing unless you `.await` them"]
    pub struct Timeout<F> {
        // Pinned where it lies, then dropped there when the block ends.
        #[pin]
        future: Option<F>,
        scope: TimeoutScope,
        timer: DeadlineTimer,
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let Some(future) = this.future.as_mut().as_pin_mut() else {
            // Polled again after it completed: report what happened the first
            // time.
            let outcome = if this.scope.expired() {
                Error::TimedOut
            } else {
                Error::Task(TaskError::ResultTaken)
            };
            return Poll::Ready(Err(outcome));
        };
        let state = &this.scope.shared;
        state.deadline.set(state.deadline.get().start());
        // The inner future first: a result that is already there beats the
        // deadline, unless an inner scope has already ended the block for us.
        let polled = {
            let _polling = Polling::enter(state);
            future.poll(cx)
        };
        if !state.expiring.take() {
            if let Poll::Ready(output) = polled {
                this.future.set(None);
                return Poll::Ready(Ok(output));
            }
            // The inner future may have moved the deadline: read it now. A
            // deadline already past when the timer is armed would ring only
            // on the next tick, so the clock is checked too.
            let deadline = state.deadline.get();
            if !(this.timer.poll(deadline, cx).is_ready() || deadline.passed())
            {
                state.runner.replace(Some(cx.waker().clone()));
                return Poll::Pending;
            }
        }
        state.expired.set(true);
        this.future.set(None); // cancel: drop the inner future in place
        if expire_enclosing_scopes() {
            // An enclosing scope expires too: it ends the block, in this same
            // poll, and reports the timeout (asyncio's outermost scope raises
            // TimeoutError; the inner ones let the CancelledError through).
            return Poll::Pending;
        }
        Poll::Ready(Err(Error::TimedOut))
    }
}
// ANCHOR_END: timeout_poll

// ANCHOR: nested_scopes
thread_local! {
    /// The scopes whose blocks are being polled on this thread, outermost
    /// first: a block runs inline in its `Timeout`'s poll, so the scopes
    /// around an inner one are exactly those below it here.
    static POLLING: RefCell<Vec<Rc<ScopeState>>> = const {
        RefCell::new(Vec::new())
    };
}

/// A scope's place on the `POLLING` stack while its block is polled; leaving
/// (even by a panic) takes it off.
struct Polling;

impl Polling {
    fn enter(state: &Rc<ScopeState>) -> Polling {
        POLLING.with_borrow_mut(|scopes| scopes.push(state.clone()));
        Polling
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.with_borrow_mut(|scopes| scopes.pop());
    }
}

/// Marks every enclosing scope whose deadline has passed as expiring, and
/// tells whether there was one.
fn expire_enclosing_scopes() -> bool {
    POLLING.with_borrow(|scopes| {
        let mut any = false;
        for scope in scopes.iter().filter(|s| s.deadline.get().passed()) {
            scope.expiring.set(true);
            any = true;
        }
        any
    })
}
// ANCHOR_END: nested_scopes

impl<T: 'static> Task<T> {
    /// Turns the handle into a future that cancels the task if it is dropped
    /// before the task finishes, for use with [`wait_for`] and [`timeout`],
    /// which drop the future they time out. (Dropping a plain handle only
    /// detaches the task.)
    pub fn cancel_on_drop(self) -> CancelOnDrop<T> {
        CancelOnDrop { task: self }
    }
}

/// A task handle that cancels its task when dropped unfinished.
#[derive(Debug)]
#[must_use = "dropping a CancelOnDrop cancels its task; `.await` it"]
pub struct CancelOnDrop<T> {
    task: Task<T>,
}

impl<T: 'static> Future for CancelOnDrop<T> {
    type Output = Result<T, TaskError>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        Pin::new(&mut self.task).poll(cx)
    }
}

impl<T> Drop for CancelOnDrop<T> {
    fn drop(&mut self) {
        if !self.task.done() {
            self.task.cancel();
        }
    }
}

impl fmt::Debug for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutScope")
            .field("deadline", &self.shared.deadline.get())
            .field("expired", &self.expired())
            .finish()
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("scope", &self.scope)
            .field("finished", &self.future.is_none())
            .finish()
    }
}

#[cfg(test)]
mod timer_memory_tests {
    use super::wait_for;
    use crate::ch01_coroutines::event_loop::{EventLoop, get_running_loop};
    use crate::ch02_scheduling::sleep::sleep;
    use std::time::Duration;

    #[test]
    fn wait_for_calls_that_finish_in_time_leave_no_timers_behind() {
        let event_loop = EventLoop::builder().virtual_clock().build().unwrap();
        // A live timer due first keeps the heap's top (see chapter 2).
        let _live =
            event_loop.call_later(Duration::from_secs(1800), || {}).unwrap();
        let peak = event_loop
            .run_until_complete(async {
                let mut peak = 0;
                for _ in 0..10_000 {
                    // Pending once, so the deadline's timer is armed, then done.
                    let done = wait_for(
                        sleep(Duration::ZERO),
                        Duration::from_secs(3600),
                    );
                    done.await.expect("in time");
                    let entries = get_running_loop().unwrap().timer_entries();
                    peak = peak.max(entries);
                }
                peak
            })
            .unwrap();
        assert!(peak <= 110, "the timer queue peaked at {peak} entries");
        event_loop.close().unwrap();
    }
}
