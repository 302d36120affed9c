//! Property tests: random programs of spawn / await / cancel / complete / panic
//! / drop-handle, with timers on the virtual clock, checked against a model.
//!
//! Each generated task sleeps a whole number of milliseconds, then completes or
//! panics. It may be cancelled before it starts or at a half-millisecond
//! instant (never equal to a wake-up time, so the model is exact). Its handle
//! is awaited by a watcher task, dropped at some instant, or kept to the end.
//! It has up to three done-callbacks.

mod common;

use common::{CapturedLog, DropCounter, virtual_loop};
use proptest::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

const US: Duration = Duration::from_micros(1);

#[derive(Debug, Clone)]
enum Cancel {
    Never,
    BeforeStart,
    /// At `n + 0.5` ms.
    At(u64),
}

#[derive(Debug, Clone)]
enum Fate {
    Awaited,
    /// Dropped at `n + 0.5` ms.
    DroppedAt(u64),
    Kept,
}

#[derive(Debug, Clone)]
struct Plan {
    sleep_ms: u64,
    panics: bool,
    cancel: Cancel,
    fate: Fate,
    callbacks: usize,
}

fn plan() -> impl Strategy<Value = Plan> {
    let cancel = prop_oneof![
        Just(Cancel::Never),
        Just(Cancel::BeforeStart),
        (0u64..8).prop_map(Cancel::At)
    ];
    let fate = prop_oneof![
        Just(Fate::Awaited),
        (0u64..8).prop_map(Fate::DroppedAt),
        Just(Fate::Kept)
    ];
    (0u64..6, any::<bool>(), cancel, fate, 0usize..4).prop_map(
        |(sleep_ms, panics, cancel, fate, callbacks)| Plan {
            sleep_ms,
            panics,
            cancel,
            fate,
            callbacks,
        },
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Value(usize),
    Panicked,
    Cancelled,
}

/// What the model says each task ends as.
fn expected(index: usize, plan: &Plan) -> Outcome {
    let cancelled = match plan.cancel {
        Cancel::Never => false,
        Cancel::BeforeStart => true,
        // The body finishes at `sleep_ms`; a cancel at `n + 0.5` ms comes first
        // if n < sleep_ms.
        Cancel::At(n) => n < plan.sleep_ms,
    };
    if cancelled {
        Outcome::Cancelled
    } else if plan.panics {
        Outcome::Panicked
    } else {
        Outcome::Value(index)
    }
}

fn observed(result: &Result<usize, aio::TaskError>) -> Outcome {
    match result {
        Ok(value) => Outcome::Value(*value),
        Err(aio::TaskError::Cancelled) => Outcome::Cancelled,
        Err(aio::TaskError::Panicked { .. }) => Outcome::Panicked,
        Err(other) => panic!("unexpected task error: {other}"),
    }
}

fn half_ms_after(ms: u64) -> Duration {
    Duration::from_millis(ms) + 500 * US
}

fn run_program(plans: &[Plan]) -> Result<(), TestCaseError> {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    let drops = DropCounter::default();
    let done_order: Rc<RefCell<Vec<(usize, usize)>>> = Rc::default();
    let awaited: Rc<RefCell<Vec<(usize, Outcome)>>> = Rc::default();
    let mut refs = Vec::new();
    let mut kept = Vec::new();

    for (index, plan) in plans.iter().enumerate() {
        let guard = drops.guard();
        let (sleep_ms, panics) = (plan.sleep_ms, plan.panics);
        let task = event_loop
            .create_task(async move {
                let _guard = guard;
                aio::sleep(Duration::from_millis(sleep_ms)).await;
                if panics {
                    panic!("task {index} panics");
                }
                index
            })
            .unwrap();
        for callback in 0..plan.callbacks {
            let order = done_order.clone();
            task.add_done_callback(move |_| {
                order.borrow_mut().push((index, callback))
            });
        }
        let task_ref = task.as_task_ref();
        match plan.cancel {
            Cancel::Never => {}
            Cancel::BeforeStart => prop_assert!(task_ref.cancel()),
            Cancel::At(ms) => {
                let target = task_ref.clone();
                event_loop
                    .call_at(half_ms_after(ms), move || {
                        target.cancel();
                    })
                    .unwrap();
            }
        }
        match plan.fate {
            Fate::Awaited => {
                let seen = awaited.clone();
                event_loop
                    .create_task(async move {
                        let result = task.await;
                        seen.borrow_mut().push((index, observed(&result)));
                    })
                    .unwrap();
            }
            Fate::DroppedAt(ms) => {
                let slot = RefCell::new(Some(task));
                event_loop
                    .call_at(half_ms_after(ms), move || drop(slot.take()))
                    .unwrap();
            }
            Fate::Kept => kept.push((index, task)),
        }
        refs.push(task_ref);
    }

    event_loop
        .run_until_complete(aio::sleep(Duration::from_millis(20)))
        .unwrap();

    // Every task reached exactly one final state, the one the model predicts.
    for (index, (plan, task_ref)) in plans.iter().zip(&refs).enumerate() {
        prop_assert!(task_ref.done(), "task {} is not final", index);
        let want = expected(index, plan);
        prop_assert_eq!(
            task_ref.cancelled(),
            want == Outcome::Cancelled,
            "task {} state",
            index
        );
    }
    // Every awaiter observed that state.
    for (index, outcome) in awaited.borrow().iter() {
        prop_assert_eq!(
            outcome,
            &expected(*index, &plans[*index]),
            "awaiter of task {}",
            index
        );
    }
    let awaiters =
        plans.iter().filter(|plan| matches!(plan.fate, Fate::Awaited)).count();
    prop_assert_eq!(awaited.borrow().len(), awaiters);
    // Kept handles hold the same outcome.
    for (index, task) in &kept {
        let mut result = None;
        if let Some(outcome) = task.result() {
            result = Some(observed(&outcome));
        }
        prop_assert_eq!(result, Some(expected(*index, &plans[*index])));
    }
    // Done-callbacks ran exactly once each, in registration order per task.
    for (index, plan) in plans.iter().enumerate() {
        let ran: Vec<usize> = done_order
            .borrow()
            .iter()
            .filter(|(task, _)| *task == index)
            .map(|(_, callback)| *callback)
            .collect();
        prop_assert_eq!(
            ran,
            (0..plan.callbacks).collect::<Vec<_>>(),
            "callbacks of task {}",
            index
        );
    }
    // A panic nobody saw is reported. Awaiting the handle, or reading
    // `result()` as we did for the kept handles, counts as seeing it. So does
    // a cancel that comes after the panic and before the handle is dropped: as
    // in asyncio, whoever cancels has taken charge of the task. (Timers due at
    // the same time run in the order they were set: the cancel first.)
    drop(kept);
    let reports = log
        .records()
        .iter()
        .filter(|(_, message)| message.contains("panics"))
        .count();
    let unseen = plans
        .iter()
        .enumerate()
        .filter(|(index, plan)| {
            let Fate::DroppedAt(dropped_at) = plan.fate else { return false };
            let taken_charge_of = matches!(plan.cancel,
                Cancel::At(ms) if ms >= plan.sleep_ms && ms <= dropped_at);
            expected(*index, plan) == Outcome::Panicked && !taken_charge_of
        })
        .count();
    prop_assert_eq!(reports, unseen);
    // Nothing leaks: closing the loop leaves no future alive.
    drop(refs);
    event_loop.close().unwrap();
    prop_assert_eq!(drops.alive(), 0);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_task_programs_match_the_model(plans in prop::collection::vec(plan(), 1..8)) {
        // The tasks' panics are expected and caught; keep the default hook from
        // printing each one. This binary holds this one test, so the hook
        // affects nothing else.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let verdict = run_program(&plans);
        std::panic::set_hook(default_hook);
        verdict?;
    }
}
