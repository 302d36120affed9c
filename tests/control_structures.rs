//! The composition tools (`wait`, `gather`, `as_completed`, `wait_for`,
//! `timeout`, `shield`) match asyncio's semantics.

mod common;

use aio::{Error, ReturnWhen, TaskError};
use common::{DropCounter, Journal, virtual_loop};
use std::future::{pending, poll_fn};
use std::pin::Pin;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

async fn after(ms: u64, value: u32) -> u32 {
    aio::sleep(Duration::from_millis(ms)).await;
    value
}

async fn fail_after(ms: u64) -> u32 {
    aio::sleep(Duration::from_millis(ms)).await;
    panic!("failed after {ms} ms");
}

/// The next item of any stream, through the `futures_core::Stream` trait alone.
async fn next_item<S: futures_core::Stream + Unpin>(
    stream: &mut S,
) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

fn run<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let event_loop = virtual_loop();
    let output = event_loop.run_until_complete(program).unwrap();
    event_loop.close().unwrap();
    output
}

#[test]
fn wait_first_completed_returns_early_and_cancels_nothing() {
    let (done, pending, later) = run(async {
        let tasks = vec![
            aio::spawn(after(30, 3)).unwrap(),
            aio::spawn(after(10, 1)).unwrap(),
        ];
        let (done, pending) =
            aio::wait(tasks, None, ReturnWhen::FirstCompleted).await.unwrap();
        let now = aio::get_running_loop().unwrap().time();
        let values: Vec<u32> =
            done.iter().map(|t| t.result().unwrap().unwrap()).collect();
        assert_eq!(now, 10 * MS);
        let mut rest = Vec::new();
        for task in pending {
            rest.push(task.await.unwrap());
        }
        (values, 1, rest)
    });
    assert_eq!((done, pending, later), (vec![1], 1, vec![3]));
}

#[test]
fn wait_first_exception_counts_panics_not_cancellations() {
    run(async {
        let cancelled = aio::spawn(after(50, 0)).unwrap();
        cancelled.cancel();
        let tasks = vec![
            cancelled,
            aio::spawn(fail_after(20)).unwrap(),
            aio::spawn(after(40, 4)).unwrap(),
        ];
        let (done, pending) =
            aio::wait(tasks, None, ReturnWhen::FirstException).await.unwrap();
        assert_eq!(
            aio::get_running_loop().unwrap().time(),
            20 * MS,
            "returned at the panic"
        );
        assert_eq!(
            done.len(),
            2,
            "the cancelled task and the failed one are done"
        );
        assert!(matches!((&done[1]).await, Err(TaskError::Panicked { .. })));
        assert_eq!(pending.len(), 1);
    });
}

#[test]
fn wait_on_a_timeout_leaves_the_pending_running_and_an_empty_wait_is_an_error()
{
    run(async {
        let tasks = vec![
            aio::spawn(after(5, 5)).unwrap(),
            aio::spawn(after(50, 50)).unwrap(),
        ];
        let (done, pending) =
            aio::wait(tasks, Some(20 * MS), ReturnWhen::AllCompleted)
                .await
                .unwrap();
        assert_eq!((done.len(), pending.len()), (1, 1));
        assert_eq!(aio::get_running_loop().unwrap().time(), 20 * MS);
        let slow = pending.into_iter().next().unwrap();
        assert_eq!(slow.await, Ok(50), "not cancelled by the timeout");
        let nothing: Vec<aio::Task<u32>> = Vec::new();
        assert!(matches!(
            aio::wait(nothing, None, ReturnWhen::AllCompleted).await,
            Err(Error::NothingToWaitFor)
        ));
    });
}

/// A waker that counts how often it is woken, and passes each wake on to the
/// task that polls through it.
struct CountingWake {
    wakes: std::sync::atomic::AtomicUsize,
    task: std::sync::Mutex<Option<std::task::Waker>>,
}

impl std::task::Wake for CountingWake {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.wakes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Some(task) = self.task.lock().unwrap().as_ref() {
            task.wake_by_ref();
        }
    }
}

impl CountingWake {
    fn new() -> std::sync::Arc<CountingWake> {
        std::sync::Arc::new(CountingWake {
            wakes: 0.into(),
            task: std::sync::Mutex::new(None),
        })
    }

    fn count(&self) -> usize {
        self.wakes.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Polls `future` through this waker, on behalf of the task in `cx`.
    fn poll<F: Future + ?Sized>(
        self: &std::sync::Arc<Self>,
        future: Pin<&mut F>,
        cx: &std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        *self.task.lock().unwrap() = Some(cx.waker().clone());
        let own = std::task::Waker::from(std::sync::Arc::clone(self));
        future.poll(&mut std::task::Context::from_waker(&own))
    }
}

/// Awaits `wait` through a counting waker, and returns its answer and the
/// waker, so the test can count the wakes that come after it returned.
async fn wait_counting_wakes<W: aio::Waitable>(
    wait: aio::Wait<W>,
) -> (Result<aio::DoneAndPending<W>, Error>, std::sync::Arc<CountingWake>) {
    let counter = CountingWake::new();
    let mut wait = std::pin::pin!(wait);
    let answer = poll_fn(|cx| counter.poll(wait.as_mut(), cx)).await;
    (answer, counter)
}

#[test]
fn wait_takes_its_wakers_back_when_it_returns() {
    // asyncio's wait removes its done-callbacks when it returns; the tasks
    // and promises still pending must not wake the caller later.
    let late_wakes = run(async {
        let tasks = vec![
            aio::spawn(after(10, 1)).unwrap(),
            aio::spawn(after(20, 2)).unwrap(),
            aio::spawn(after(30, 3)).unwrap(),
        ];
        let promise: aio::Promise<u32> =
            aio::get_running_loop().unwrap().create_future();
        let waitables = vec![promise.clone()];
        let (split, tasks_wakes) = wait_counting_wakes(aio::wait(
            tasks,
            None,
            ReturnWhen::FirstCompleted,
        ))
        .await;
        let (done, pending) = split.unwrap();
        assert_eq!((done.len(), pending.len()), (1, 2));
        let (timed_out, promise_wakes) = wait_counting_wakes(aio::wait(
            waitables,
            Some(5 * MS),
            ReturnWhen::AllCompleted,
        ))
        .await;
        assert_eq!(timed_out.unwrap().1.len(), 1, "the promise is pending");
        let (task_count, promise_count) =
            (tasks_wakes.count(), promise_wakes.count());
        promise.set_result(4).unwrap();
        aio::sleep(50 * MS).await;
        assert!(pending.iter().all(aio::Task::done));
        (
            tasks_wakes.count() - task_count,
            promise_wakes.count() - promise_count,
        )
    });
    assert_eq!(late_wakes, (0, 0), "wakes after wait returned");
}

#[test]
fn a_dropped_wait_takes_its_wakers_back() {
    // (Tasks take care of themselves: a dropped wait drops their handles, and
    // a dropped handle forgets its awaiters. A promise has other owners.)
    let late_wakes = run(async {
        let promise: aio::Promise<u32> =
            aio::get_running_loop().unwrap().create_future();
        let counter = CountingWake::new();
        let waitables = vec![promise.clone()];
        let mut wait =
            Box::pin(aio::wait(waitables, None, ReturnWhen::AllCompleted));
        let polled = poll_fn(|cx| {
            std::task::Poll::Ready(counter.poll(wait.as_mut(), cx))
        })
        .await;
        assert!(polled.is_pending());
        drop(wait);
        promise.set_result(1).unwrap();
        aio::sleep(50 * MS).await;
        counter.count()
    });
    assert_eq!(late_wakes, 0, "a dropped wait's promise woke its poller");
}

#[test]
fn wait_accepts_promises() {
    run(async {
        let event_loop = aio::get_running_loop().unwrap();
        let promises: Vec<aio::Promise<u8>> =
            (0..3).map(|_| event_loop.create_future()).collect();
        let second = promises[1].clone();
        event_loop
            .call_later(MS, move || second.set_result(2).unwrap())
            .unwrap();
        let (done, pending) =
            aio::wait(promises, None, ReturnWhen::FirstCompleted)
                .await
                .unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].result().unwrap(), 2);
        assert_eq!(pending.len(), 2);
    });
}

#[test]
fn gather_returns_results_in_argument_order() {
    let results = run(async {
        aio::gather([after(30, 0), after(10, 1), after(20, 2)]).await.unwrap()
    });
    assert_eq!(results, [0, 1, 2]);
}

#[test]
fn gather_fails_with_the_first_failure_and_the_others_keep_running() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let slow = {
            let j = j.clone();
            async move {
                aio::sleep(50 * MS).await;
                j.log("slow sibling finished");
                0
            }
        };
        let outcome = aio::gather!(slow, fail_after(10), fail_after(20)).await;
        match outcome {
            Err(Error::Task(TaskError::Panicked { message })) => {
                assert_eq!(message, "failed after 10 ms")
            }
            other => panic!("expected the first failure, got {other:?}"),
        }
        j.log("gather failed");
        aio::sleep(100 * MS).await;
    });
    assert_eq!(journal.entries(), ["gather failed", "slow sibling finished"]);
}

#[test]
fn dropping_an_unfinished_gather_cancels_its_children() {
    let drops = DropCounter::default();
    let d = drops.clone();
    run(async move {
        let children: Vec<_> = (0..3)
            .map(|_| {
                let guard = d.guard();
                async move {
                    let _guard = guard;
                    pending::<()>().await;
                }
            })
            .collect();
        let gatherer =
            aio::spawn(async move { aio::gather(children).await }).unwrap();
        aio::sleep(MS).await;
        assert_eq!(d.alive(), 3);
        gatherer.cancel();
        aio::sleep(MS).await;
        assert_eq!(d.alive(), 0, "cancelling the gather cancelled every child");
    });
}

#[test]
fn gather_settled_collects_every_outcome_in_order() {
    let outcomes = run(async {
        let futures: Vec<Pin<Box<dyn Future<Output = u32>>>> = vec![
            Box::pin(after(20, 1)),
            Box::pin(fail_after(5)),
            Box::pin(after(10, 3)),
        ];
        aio::gather_settled(futures).await
    });
    assert!(matches!(outcomes[0], Ok(1)));
    assert!(matches!(
        outcomes[1],
        Err(Error::Task(TaskError::Panicked { .. }))
    ));
    assert!(matches!(outcomes[2], Ok(3)));
}

#[test]
fn as_completed_yields_in_completion_order_then_ends() {
    let order = run(async {
        let mut stream = aio::as_completed(
            [after(30, 30), after(10, 10), after(20, 20), after(10, 11)],
            None,
        );
        let mut order = Vec::new();
        while let Some(value) = stream.next().await {
            order.push(value.unwrap());
        }
        order
    });
    assert_eq!(
        order,
        [10, 11, 20, 30],
        "equal finishing times come out in spawn order"
    );
}

#[test]
fn as_completed_is_a_stream_and_times_out_without_cancelling() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let slow = {
            let j = j.clone();
            async move {
                aio::sleep(50 * MS).await;
                j.log("slow one finished anyway");
                50
            }
        };
        let futures: Vec<Pin<Box<dyn Future<Output = u32>>>> =
            vec![Box::pin(after(5, 5)), Box::pin(slow)];
        let mut stream = aio::as_completed(futures, Some(20 * MS));
        assert!(matches!(next_item(&mut stream).await, Some(Ok(5))));
        assert!(matches!(
            next_item(&mut stream).await,
            Some(Err(Error::TimedOut))
        ));
        assert_eq!(aio::get_running_loop().unwrap().time(), 20 * MS);
        assert!(
            next_item(&mut stream).await.is_none(),
            "the stream ends after the timeout"
        );
        aio::sleep(100 * MS).await;
    });
    assert_eq!(journal.entries(), ["slow one finished anyway"]);
}

#[test]
fn wait_for_drops_the_inner_future_exactly_at_the_deadline() {
    let drops = DropCounter::default();
    let d = drops.clone();
    run(async move {
        let guard = d.guard();
        let slow = async move {
            let _guard = guard;
            aio::sleep(Duration::from_secs(1)).await;
        };
        let outcome = aio::wait_for(slow, 25 * MS).await;
        assert!(matches!(outcome, Err(Error::TimedOut)));
        assert_eq!(aio::get_running_loop().unwrap().time(), 25 * MS);
        assert_eq!(
            d.alive(),
            0,
            "the inner future is gone the moment wait_for returns"
        );
        assert_eq!(
            aio::wait_for(async { 9 }, Duration::ZERO).await.unwrap(),
            9,
            "ready beats a zero timeout"
        );
        assert_eq!(aio::wait_for(after(5, 5), 10 * MS).await.unwrap(), 5);
    });
}

#[test]
fn wait_for_with_cancel_on_drop_cancels_a_task() {
    run(async {
        let task = aio::spawn(after(100, 1)).unwrap();
        let watcher = task.as_task_ref();
        assert!(matches!(
            aio::wait_for(task.cancel_on_drop(), 10 * MS).await,
            Err(Error::TimedOut)
        ));
        aio::sleep(Duration::ZERO).await;
        assert!(watcher.cancelled());
        let detached = aio::spawn(after(20, 2)).unwrap();
        let watcher = detached.as_task_ref();
        assert!(aio::wait_for(detached, 10 * MS).await.is_err());
        aio::sleep(20 * MS).await;
        assert!(
            watcher.done() && !watcher.cancelled(),
            "a plain handle is only detached"
        );
    });
}

#[test]
fn a_timeout_scope_can_move_its_deadline() {
    run(async {
        let event_loop = aio::get_running_loop().unwrap();
        // Moved later from inside the block: the block completes.
        let scope = aio::timeout(10 * MS);
        let inner = scope.clone();
        let lp = event_loop.clone();
        let outcome = scope
            .run(async move {
                aio::sleep(5 * MS).await;
                inner.reschedule(Some(lp.time() + 20 * MS));
                aio::sleep(10 * MS).await;
                "finished"
            })
            .await;
        assert_eq!(outcome.unwrap(), "finished");
        assert!(!scope.expired());

        // Moved earlier from another task: the block expires at the new
        // deadline.
        let start = event_loop.time();
        let scope = aio::timeout_at(start + Duration::from_secs(10));
        let mover = scope.clone();
        let lp = event_loop.clone();
        aio::spawn(async move {
            aio::sleep(3 * MS).await;
            mover.reschedule(Some(lp.time() + 2 * MS));
        })
        .unwrap();
        assert!(matches!(
            scope.run(pending::<()>()).await,
            Err(Error::TimedOut)
        ));
        assert_eq!(event_loop.time(), start + 5 * MS);
        assert!(scope.expired());

        // No deadline at all.
        let scope = aio::timeout(MS);
        scope.reschedule(None);
        assert_eq!(scope.run(after(20, 7)).await.unwrap(), 7);
        assert_eq!(scope.when(), None);
    });
}

/// An outer scope around an inner one, which runs `pending()`; records
/// whether the code after the inner block ran.
async fn nested(
    outer: &aio::TimeoutScope,
    inner: &aio::TimeoutScope,
    journal: &Journal,
) -> Result<Result<(), Error>, Error> {
    outer
        .run(async {
            let inner_outcome = inner.run(pending::<()>()).await;
            journal.log("after the inner block");
            inner_outcome
        })
        .await
}

#[test]
fn nested_timeouts_with_one_deadline_expire_together_the_outermost_reports() {
    // asyncio: both timers fire on the same tick; the inner scope lets the
    // cancellation through and the outermost raises TimeoutError; both are
    // expired().
    run(async {
        let now = aio::get_running_loop().unwrap().time();
        let scopes = [
            (aio::timeout_at(now + 10 * MS), aio::timeout_at(now + 10 * MS)),
            (aio::timeout(10 * MS), aio::timeout(10 * MS)),
            (aio::timeout_at(Duration::ZERO), aio::timeout_at(Duration::ZERO)),
            (aio::timeout(Duration::ZERO), aio::timeout(Duration::ZERO)),
        ];
        for (outer, inner) in scopes {
            let journal = Journal::default();
            let outcome = nested(&outer, &inner, &journal).await;
            assert!(matches!(outcome, Err(Error::TimedOut)), "{outcome:?}");
            assert!(journal.entries().is_empty(), "the outer block is cut");
            assert!(inner.expired() && outer.expired(), "{outer:?} {inner:?}");
        }
    });
}

#[test]
fn three_nested_timeouts_with_one_deadline_all_expire() {
    run(async {
        let deadline = aio::get_running_loop().unwrap().time() + 5 * MS;
        let scopes: Vec<_> =
            (0..3).map(|_| aio::timeout_at(deadline)).collect();
        let [a, b, c] = [&scopes[0], &scopes[1], &scopes[2]];
        let outcome = a
            .run(async { b.run(async { c.run(pending::<()>()).await }).await })
            .await;
        assert!(matches!(outcome, Err(Error::TimedOut)), "{outcome:?}");
        assert!(scopes.iter().all(aio::TimeoutScope::expired));
    });
}

#[test]
fn nested_timeouts_with_different_deadlines_expire_alone() {
    run(async {
        let now = aio::get_running_loop().unwrap().time();
        // The inner deadline first: the inner block times out and the outer
        // block goes on.
        let (outer, inner) =
            (aio::timeout_at(now + 10 * MS), aio::timeout_at(now + 5 * MS));
        let journal = Journal::default();
        let outcome = nested(&outer, &inner, &journal).await;
        assert!(matches!(outcome, Ok(Err(Error::TimedOut))), "{outcome:?}");
        assert_eq!(journal.entries(), ["after the inner block"]);
        assert!(inner.expired() && !outer.expired());

        // The outer deadline first: the outer scope times out, the inner one
        // is only cancelled.
        let now = aio::get_running_loop().unwrap().time();
        let (outer, inner) =
            (aio::timeout_at(now + 5 * MS), aio::timeout_at(now + 10 * MS));
        let journal = Journal::default();
        let outcome = nested(&outer, &inner, &journal).await;
        assert!(matches!(outcome, Err(Error::TimedOut)), "{outcome:?}");
        assert!(journal.entries().is_empty());
        assert!(!inner.expired() && outer.expired());
    });
}

#[test]
fn shield_keeps_the_inner_task_running_when_the_outer_is_cancelled() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let work = {
            let j = j.clone();
            async move {
                aio::sleep(20 * MS).await;
                j.log("shielded work finished");
            }
        };
        let outer = aio::spawn(async move { aio::shield(work).await }).unwrap();
        aio::sleep(5 * MS).await;
        outer.cancel();
        assert!(matches!(outer.await, Err(TaskError::Cancelled)));
        aio::sleep(30 * MS).await;
    });
    assert_eq!(journal.entries(), ["shielded work finished"]);
}
