//! Chapter 13 (executors): a result that one thread hands to another,
//! `concurrent.futures.Future`.
//!
//! A job runs on some thread; whoever submitted it waits on another, either
//! by blocking in [`ConcurrentFuture::result`] or, on a loop, by awaiting it
//! (`wrap_future`). Both sides share one small state machine behind a
//! mutex:
//!
//! - *pending*: queued, not started. [`cancel`](ConcurrentFuture::cancel)
//!   works only here.
//! - *running*: a worker took it ([`Completer::start`]); it runs to the end
//!   whatever happens to the waiter.
//! - *finished*, *cancelled*, or *taken* (the value was handed out).
//!
//! A condition variable wakes blocked waiters, and a [`Waker`] slot wakes an
//! awaiting task; both are woken after the lock is released. The producing
//! side holds a [`Completer`], and a completer dropped without completing
//! still settles the future, so a job that is thrown away (a pool shut down
//! with `cancel_futures`, a loop closed under a coroutine) is never waited
//! for in vain. The loom models at the end check the hand-over.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::event_loop::with_running;
use crate::ch01_coroutines::loom::{Arc, Condvar, Mutex, MutexGuard};
use crate::ch13_executors::executor_error::ExecutorError;
use std::fmt;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

// ANCHOR: state
/// Where a job stands.
enum State<T> {
    /// Submitted, not started: it can still be cancelled.
    Pending,
    /// A worker is running it.
    Running,
    /// It ended, with its value or its error.
    Finished(Result<T, ExecutorError>),
    /// It was cancelled before it started.
    Cancelled,
    /// `result` handed the value out.
    Taken,
}

struct Inner<T> {
    state: State<T>,
    /// The task awaiting the result (`wrap_future`).
    awaiter: Option<Waker>,
    /// The producer waiting to hear of a cancel (`run_coroutine_threadsafe`).
    producer: Option<Waker>,
}
// ANCHOR_END: state

struct Shared<T> {
    inner: Mutex<Inner<T>>,
    settled: Condvar,
    /// The loop whose thread produces the value, if a loop does.
    producing_loop: Option<u64>,
}

/// The value of a job running elsewhere: Python's
/// `concurrent.futures.Future`. `Send` and `Sync` (for `T: Send`), so any
/// thread may wait for it, cancel it, or hand it on.
pub struct ConcurrentFuture<T> {
    shared: Arc<Shared<T>>,
}

/// The producing side of a [`ConcurrentFuture`]: the worker that runs the
/// job holds it.
pub(crate) struct Completer<T> {
    shared: Arc<Shared<T>>,
    /// What the future says if this is dropped before completing it.
    if_dropped: fn() -> ExecutorError,
    completed: bool,
}

/// A new future and its completer. A completer dropped unused cancels the
/// future.
pub(crate) fn concurrent_pair<T>() -> (Completer<T>, ConcurrentFuture<T>) {
    pair(None, || ExecutorError::Cancelled)
}

/// A pair whose value the loop `loop_id` produces: `result` refuses to
/// block that loop's thread, and a completer dropped unused says
/// `if_dropped`.
pub(crate) fn pair<T>(
    producing_loop: Option<u64>,
    if_dropped: fn() -> ExecutorError,
) -> (Completer<T>, ConcurrentFuture<T>) {
    let shared = Arc::new(Shared {
        inner: Mutex::new(Inner {
            state: State::Pending,
            awaiter: None,
            producer: None,
        }),
        settled: Condvar::new(),
        producing_loop,
    });
    let completer =
        Completer { shared: Arc::clone(&shared), if_dropped, completed: false };
    (completer, ConcurrentFuture { shared })
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        // A poisoned lock only means a waker panicked while we held it; the
        // state itself is always whole.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets the final state and wakes everyone who waits for it.
    fn settle(&self, mut inner: MutexGuard<'_, Inner<T>>, state: State<T>) {
        inner.state = state;
        let wakers = [inner.awaiter.take(), inner.producer.take()];
        drop(inner);
        self.settled.notify_all();
        wakers.into_iter().flatten().for_each(Waker::wake);
    }
}

impl<T> Inner<T> {
    fn is_done(&self) -> bool {
        matches!(
            self.state,
            State::Finished(_) | State::Cancelled | State::Taken
        )
    }

    /// Takes the outcome of a settled job (once).
    fn take_outcome(&mut self) -> Result<T, ExecutorError> {
        match std::mem::replace(&mut self.state, State::Taken) {
            State::Finished(outcome) => outcome,
            State::Cancelled => {
                self.state = State::Cancelled;
                Err(ExecutorError::Cancelled)
            }
            State::Taken => Err(ExecutorError::ResultTaken),
            unsettled @ (State::Pending | State::Running) => {
                self.state = unsettled;
                unreachable!("only a settled job has an outcome")
            }
        }
    }
}

// ANCHOR: cancel
impl<T> ConcurrentFuture<T> {
    /// Cancels the job if it has not started, and says whether it is
    /// cancelled now. A job that is running or done is not touched: it runs
    /// to its end, and `false` says so.
    pub fn cancel(&self) -> bool {
        let inner = self.shared.lock();
        match inner.state {
            State::Pending => {
                self.shared.settle(inner, State::Cancelled);
                true
            }
            State::Cancelled => true,
            State::Running | State::Finished(_) | State::Taken => false,
        }
    }
    // ANCHOR_END: cancel

    /// Whether the job was cancelled before it started.
    pub fn cancelled(&self) -> bool {
        matches!(self.shared.lock().state, State::Cancelled)
    }

    /// Whether a worker is running the job now.
    pub fn running(&self) -> bool {
        matches!(self.shared.lock().state, State::Running)
    }

    /// Whether the job is over: finished, cancelled, or its value taken.
    pub fn done(&self) -> bool {
        self.shared.lock().is_done()
    }

    // ANCHOR: result
    /// Blocks this thread until the job is done, or for at most `timeout`,
    /// and takes its value out. A second call gets
    /// [`ExecutorError::ResultTaken`]; a cancelled job gives
    /// [`ExecutorError::Cancelled`] each time. On a loop's thread, await the
    /// job instead (`wrap_future`): blocking there stops the loop.
    pub fn result(
        &self,
        timeout: Option<Duration>,
    ) -> Result<T, ExecutorError> {
        if self.would_block_its_own_loop() {
            return Err(ExecutorError::WouldDeadlock);
        }
        let deadline = timeout.map(|timeout| Instant::now() + timeout);
        let mut inner = self.shared.lock();
        while !inner.is_done() {
            let settled = &self.shared.settled;
            inner = match deadline {
                None => settled.wait(inner).unwrap_or_else(|p| p.into_inner()),
                Some(deadline) => {
                    let left =
                        deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ExecutorError::TimedOut);
                    }
                    let (inner, _) = settled
                        .wait_timeout(inner, left)
                        .unwrap_or_else(|p| p.into_inner());
                    inner
                }
            };
        }
        inner.take_outcome()
    }
    // ANCHOR_END: result

    /// The outcome if the job is done; otherwise `cx` is woken when it is.
    pub(crate) fn poll_result(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, ExecutorError>> {
        let mut inner = self.shared.lock();
        if inner.is_done() {
            return Poll::Ready(inner.take_outcome());
        }
        inner.awaiter = Some(cx.waker().clone());
        awaiting::note(|| WaitingOn::Thread("an executor's job"));
        Poll::Pending
    }

    fn would_block_its_own_loop(&self) -> bool {
        let Some(producing) = self.shared.producing_loop else {
            return false;
        };
        with_running(|running| running.id() == producing).unwrap_or(false)
    }
}

// ANCHOR: completer
impl<T> Completer<T> {
    /// Marks the job running, unless it was cancelled: then the worker must
    /// skip it (`false`).
    pub(crate) fn start(&self) -> bool {
        let mut inner = self.shared.lock();
        match inner.state {
            State::Pending => {
                inner.state = State::Running;
                true
            }
            _ => false,
        }
    }

    /// Settles the future with the job's outcome. A job cancelled meanwhile
    /// keeps its cancelled state, and the outcome is dropped here.
    pub(crate) fn complete(mut self, outcome: Result<T, ExecutorError>) {
        self.completed = true;
        let inner = self.shared.lock();
        if matches!(inner.state, State::Pending | State::Running) {
            self.shared.settle(inner, State::Finished(outcome));
        }
    }
    // ANCHOR_END: completer

    /// Ready once the future was cancelled; otherwise `cx` is woken then.
    pub(crate) fn poll_cancelled(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = self.shared.lock();
        if matches!(inner.state, State::Cancelled) {
            return Poll::Ready(());
        }
        inner.producer = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Changes what the future says if this completer is dropped unused.
    pub(crate) fn if_dropped(&mut self, error: fn() -> ExecutorError) {
        self.if_dropped = error;
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        if self.completed {
            return;
        }
        let inner = self.shared.lock();
        if matches!(inner.state, State::Pending | State::Running) {
            let state = match (self.if_dropped)() {
                ExecutorError::Cancelled => State::Cancelled,
                error => State::Finished(Err(error)),
            };
            self.shared.settle(inner, state);
        }
    }
}

impl<T> fmt::Debug for ConcurrentFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.shared.lock().state {
            State::Pending => "pending",
            State::Running => "running",
            State::Finished(Ok(_)) => "finished",
            State::Finished(Err(_)) => "failed",
            State::Cancelled => "cancelled",
            State::Taken => "taken",
        };
        f.debug_struct("ConcurrentFuture").field("state", &state).finish()
    }
}

#[cfg(all(test, aio_loom))]
pub(crate) mod loom_models {
    //! Models of the hand-over: run with `RUSTFLAGS="--cfg aio_loom" cargo
    //! test --lib loom`.

    use super::*;
    use loom::thread;

    /// A value completed on one thread reaches a waiter blocked in `result`
    /// on another, exactly once.
    #[test]
    fn loom_a_blocked_result_gets_the_value_once() {
        loom::model(|| {
            let (completer, future) = concurrent_pair::<Box<u32>>();
            let worker = thread::spawn(move || {
                if completer.start() {
                    completer.complete(Ok(Box::new(7)));
                }
            });
            assert_eq!(future.result(None).map(|value| *value).ok(), Some(7));
            assert!(matches!(
                future.result(None),
                Err(ExecutorError::ResultTaken)
            ));
            worker.join().unwrap();
        });
    }

    /// `cancel` races the worker's `start`: exactly one wins. Either the job
    /// is skipped and the waiter hears "cancelled", or it runs and the
    /// waiter gets its value; never both, and never a waiter left waiting.
    #[test]
    fn loom_cancel_races_start_and_one_wins() {
        loom::model(|| {
            let (completer, future) = concurrent_pair::<u32>();
            let ran =
                Arc::new(crate::ch01_coroutines::loom::AtomicBool::new(false));
            let worker = {
                let ran = ran.clone();
                thread::spawn(move || {
                    if completer.start() {
                        ran.store(true, std::sync::atomic::Ordering::SeqCst);
                        completer.complete(Ok(1));
                    }
                    // A skipped job's completer is dropped here.
                })
            };
            let cancelled = future.cancel();
            let outcome = future.result(None);
            worker.join().unwrap();
            let ran = ran.load(std::sync::atomic::Ordering::SeqCst);
            assert_eq!(cancelled, !ran);
            match outcome {
                Ok(1) => assert!(ran),
                Err(ExecutorError::Cancelled) => assert!(!ran),
                other => panic!("unexpected outcome {other:?}"),
            }
        });
    }

    /// `run_coroutine_threadsafe`'s way back: a thread's `cancel` wakes the
    /// producer (the chain task on the loop) waiting in `poll_cancelled`.
    #[test]
    fn loom_a_cancel_on_another_thread_wakes_the_producer() {
        loom::model(|| {
            let (completer, future) = concurrent_pair::<u32>();
            let canceller = thread::spawn(move || future.cancel());
            loom::future::block_on(std::future::poll_fn(|cx| {
                completer.poll_cancelled(cx)
            }));
            assert!(canceller.join().unwrap(), "it had not started");
        });
    }

    /// An awaiting task is woken by a completion on another thread (the
    /// path `wrap_future` takes), and a completer dropped unused still
    /// settles the future.
    #[test]
    fn loom_an_awaiter_is_woken_by_completion_or_by_a_dropped_completer() {
        loom::model(|| {
            let (completer, future) = concurrent_pair::<u32>();
            let (dropped, second) = concurrent_pair::<u32>();
            let worker = thread::spawn(move || {
                assert!(completer.start());
                completer.complete(Ok(3));
                drop(dropped);
            });
            let first = loom::future::block_on(std::future::poll_fn(|cx| {
                future.poll_result(cx)
            }));
            let second = loom::future::block_on(std::future::poll_fn(|cx| {
                second.poll_result(cx)
            }));
            worker.join().unwrap();
            assert_eq!(first.ok(), Some(3));
            assert!(matches!(second, Err(ExecutorError::Cancelled)));
        });
    }
}
