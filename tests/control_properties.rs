//! Property tests for the composition tools, on the virtual clock, against a
//! model.
//!
//! Children sleep a whole number of milliseconds; timeouts and deadlines sit at
//! half milliseconds (and deadline moves at a quarter past), so no two events
//! ever tie and the model is exact.

mod common;

use aio::{Error, ReturnWhen, TaskError};
use common::{DropCounter, virtual_loop};
use proptest::prelude::*;
use std::time::Duration;

const HALF_MS: Duration = Duration::from_micros(500);

#[derive(Debug, Clone)]
struct Child {
    ms: u64,
    fails: bool,
}

fn children() -> impl Strategy<Value = Vec<Child>> {
    prop::collection::vec(
        (0u64..6, prop::bool::weighted(0.2))
            .prop_map(|(ms, fails)| Child { ms, fails }),
        1..8,
    )
}

async fn child(index: usize, ms: u64, fails: bool) -> usize {
    aio::sleep(Duration::from_millis(ms)).await;
    if fails {
        panic!("child {index} failed");
    }
    index
}

fn run<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let event_loop = virtual_loop();
    let output = event_loop.run_until_complete(program).unwrap();
    event_loop.close().unwrap();
    output
}

/// The proptest cases panic on purpose inside tasks, and the runtime rightly
/// reports the panics nobody retrieved. Keep the panic hook and the runtime's
/// log quiet while `check` runs, and put the hook back for proptest's own
/// report.
fn quietly<T>(check: impl FnOnce() -> T) -> T {
    let _log = common::CapturedLog::start();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = check();
    std::panic::set_hook(default_hook);
    result
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// gather returns the values in argument order, or fails with the earliest
    /// failure (ties broken by argument order).
    #[test]
    fn gather_keeps_argument_order(kids in children()) {
        let plan = kids.clone();
        let outcome = quietly(|| run(async move {
            let futures: Vec<_> = plan.iter().enumerate().map(|(i, c)| child(i, c.ms, c.fails)).collect();
            aio::gather(futures).await
        }));
        let first_failure = kids.iter().enumerate().filter(|(_, c)| c.fails).min_by_key(|(i, c)| (c.ms, *i));
        match (first_failure, outcome) {
            (None, Ok(values)) => prop_assert_eq!(values, (0..kids.len()).collect::<Vec<_>>()),
            (Some((index, _)), Err(Error::Task(TaskError::Panicked { message }))) => {
                prop_assert_eq!(message, format!("child {index} failed"));
            }
            (expected, got) => prop_assert!(false, "expected failure {:?}, got {:?}", expected, got),
        }
    }

    /// wait's split matches the model at the instant it returns.
    #[test]
    fn wait_splits_done_and_pending_like_the_model(
        kids in children(),
        timeout_ms in 0u64..7,
        first_completed in any::<bool>(),
    ) {
        let plan = kids.clone();
        let timeout = Duration::from_millis(timeout_ms) + HALF_MS;
        let return_when = if first_completed { ReturnWhen::FirstCompleted } else { ReturnWhen::AllCompleted };
        let (done, pending, returned_at) = quietly(|| run(async move {
            let tasks: Vec<_> = plan.iter().enumerate().map(|(i, c)| aio::spawn(child(i, c.ms, c.fails)).unwrap()).collect();
            let (done, pending) = aio::wait(tasks, Some(timeout), return_when).await.unwrap();
            let now = aio::get_running_loop().unwrap().time();
            let names = |tasks: &[aio::Task<usize>]| tasks.iter().map(|t| t.name()).collect::<Vec<_>>();
            let split = (names(&done), names(&pending), now);
            for task in done.iter().chain(&pending) {
                task.cancel(); // leave nothing running; results were already read
            }
            split
        }));
        let finish: Vec<Duration> = kids.iter().map(|c| Duration::from_millis(c.ms)).collect();
        let first = *finish.iter().min().unwrap();
        let last = *finish.iter().max().unwrap();
        let condition_at = if first_completed { first } else { last };
        let expected_return = condition_at.min(timeout);
        let name = |i: usize| format!("Task-{}", i + 2);
        let expected_done: Vec<String> = (0..kids.len()).filter(|i| finish[*i] <= expected_return).map(name).collect();
        let expected_pending: Vec<String> = (0..kids.len()).filter(|i| finish[*i] > expected_return).map(name).collect();
        prop_assert_eq!(returned_at, expected_return);
        prop_assert_eq!(done, expected_done);
        prop_assert_eq!(pending, expected_pending);
    }

    /// as_completed yields in completion order, with spawn order among equal
    /// times.
    #[test]
    fn as_completed_follows_completion_order(kids in children()) {
        let plan = kids.clone();
        let order = quietly(|| run(async move {
            let mut stream = aio::as_completed(plan.iter().enumerate().map(|(i, c)| child(i, c.ms, false)), None);
            let mut order = Vec::new();
            while let Some(value) = stream.next().await {
                order.push(value.unwrap());
            }
            order
        }));
        let mut expected: Vec<usize> = (0..kids.len()).collect();
        expected.sort_by_key(|i| (kids[*i].ms, *i));
        prop_assert_eq!(order, expected);
    }

    /// A timeout never fires before its deadline nor after it (on the virtual
    /// clock it fires at the deadline exactly), and wait_for leaves nothing
    /// running afterwards.
    #[test]
    fn wait_for_fires_on_time_and_drops_the_inner_future(work_ms in 0u64..10, timeout_ms in 0u64..10) {
        let drops = DropCounter::default();
        let d = drops.clone();
        let timeout = Duration::from_millis(timeout_ms) + HALF_MS;
        let (outcome, at, alive) = run(async move {
            let guard = d.guard();
            let work = async move {
                let _guard = guard;
                aio::sleep(Duration::from_millis(work_ms)).await;
                work_ms
            };
            let outcome = aio::wait_for(work, timeout).await;
            (outcome.ok(), aio::get_running_loop().unwrap().time(), d.alive())
        });
        if Duration::from_millis(work_ms) < timeout {
            prop_assert_eq!(outcome, Some(work_ms));
            prop_assert_eq!(at, Duration::from_millis(work_ms));
        } else {
            prop_assert_eq!(outcome, None);
            prop_assert_eq!(at, timeout, "fired exactly at the deadline");
            prop_assert_eq!(alive, 0, "the inner future was dropped");
        }
    }

    /// A deadline moved while the block runs is the one that counts.
    #[test]
    fn a_rescheduled_timeout_expires_at_the_new_deadline(
        first_ms in 1u64..10,
        move_at_ms in 0u64..10,
        new_ms in 0u64..12,
        work_ms in 0u64..12,
    ) {
        let first = Duration::from_millis(first_ms) + HALF_MS;
        // A quarter past: never equal to a wake-up (whole) or a deadline
        // (half).
        let move_at = Duration::from_millis(move_at_ms) + Duration::from_micros(250);
        let new_deadline = Duration::from_millis(new_ms) + HALF_MS;
        let work = Duration::from_millis(work_ms);
        let (finished, at) = run(async move {
            let scope = aio::timeout_at(first);
            let mover = scope.clone();
            aio::spawn(async move {
                aio::sleep_until(move_at).await;
                mover.reschedule(Some(new_deadline));
            })
            .unwrap();
            let outcome = scope.run(aio::sleep(work)).await;
            (outcome.is_ok(), aio::get_running_loop().unwrap().time())
        });
        // The deadline in force at each instant: `first` until `move_at`, then
        // the new one.
        let expiry = if move_at < first { new_deadline.max(move_at) } else { first };
        if work < expiry {
            prop_assert!(finished);
            prop_assert_eq!(at, work);
        } else {
            prop_assert!(!finished);
            prop_assert_eq!(at, expiry);
        }
    }
}
