//! The task lifecycle, case by case: every combination of when a task is
//! cancelled, what happens to its handle, and how its body ends.

mod common;

use common::{CapturedLog, DropCounter, virtual_loop};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

#[derive(Debug, Clone, Copy, PartialEq)]
enum CancelWhen {
    BeforeStart,
    WhileSleeping,
    AfterFinish,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum HandleFate {
    Awaited,
    Dropped,
    NeverTouched,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Body {
    Panics,
    Completes,
}

/// What one scenario observed.
#[derive(Debug, Default)]
struct Observed {
    body_started: bool,
    body_reached_end: bool,
    cancel_returned: bool,
    awaited: Option<Result<u32, aio::TaskError>>,
    final_state: String,
    done_callback_runs: u32,
    alive_after_close: usize,
    warnings: Vec<String>,
}

fn scenario(cancel_when: CancelWhen, fate: HandleFate, body: Body) -> Observed {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    let drops = DropCounter::default();
    let started = Rc::new(Cell::new(false));
    let reached_end = Rc::new(Cell::new(false));
    let done_runs = Rc::new(Cell::new(0));
    let awaited = Rc::new(RefCell::new(None));

    let (guard, s, e) = (drops.guard(), started.clone(), reached_end.clone());
    let task = event_loop
        .create_task(async move {
            let _guard = guard;
            s.set(true);
            aio::sleep(10 * MS).await;
            if body == Body::Panics {
                panic!("the body panicked");
            }
            e.set(true);
            7_u32
        })
        .unwrap();
    let runs = done_runs.clone();
    task.add_done_callback(move |_| runs.set(runs.get() + 1));
    let task_ref = task.as_task_ref();

    let mut handle = Some(task);
    if fate == HandleFate::Dropped {
        handle = None;
    }
    if fate == HandleFate::Awaited {
        let (task, slot) = (handle.take().unwrap(), awaited.clone());
        event_loop
            .create_task(async move { *slot.borrow_mut() = Some(task.await) })
            .unwrap();
    }

    let cancel_at = match cancel_when {
        CancelWhen::BeforeStart => Duration::ZERO,
        CancelWhen::WhileSleeping => 5 * MS,
        CancelWhen::AfterFinish => 20 * MS,
    };
    let cancel_returned = if cancel_when == CancelWhen::BeforeStart {
        task_ref.cancel()
    } else {
        event_loop.run_until_complete(aio::sleep_until(cancel_at)).unwrap();
        task_ref.cancel()
    };
    event_loop.run_until_complete(aio::sleep(30 * MS)).unwrap();
    let final_state = format!("{task_ref:?}");
    drop(handle);
    drop(task_ref);
    event_loop.close().unwrap();
    Observed {
        body_started: started.get(),
        body_reached_end: reached_end.get(),
        cancel_returned,
        awaited: awaited.take(),
        final_state,
        done_callback_runs: done_runs.get(),
        alive_after_close: drops.alive(),
        warnings: log
            .records()
            .into_iter()
            .map(|(_, message)| message)
            .collect(),
    }
}

#[test]
fn every_combination_of_cancel_time_handle_fate_and_body() {
    for cancel_when in [
        CancelWhen::BeforeStart,
        CancelWhen::WhileSleeping,
        CancelWhen::AfterFinish,
    ] {
        for fate in
            [HandleFate::Awaited, HandleFate::Dropped, HandleFate::NeverTouched]
        {
            for body in [Body::Panics, Body::Completes] {
                let case = format!("{cancel_when:?} × {fate:?} × {body:?}");
                let seen = scenario(cancel_when, fate, body);
                let cancelled = cancel_when != CancelWhen::AfterFinish;

                assert_eq!(
                    seen.body_started,
                    cancel_when != CancelWhen::BeforeStart,
                    "{case}: started"
                );
                assert_eq!(
                    seen.cancel_returned, cancelled,
                    "{case}: cancel() result"
                );
                assert_eq!(
                    seen.body_reached_end,
                    !cancelled && body == Body::Completes,
                    "{case}: the body ran to its end"
                );
                let expected_state =
                    if cancelled { "cancelled" } else { "finished" };
                assert!(
                    seen.final_state.contains(expected_state),
                    "{case}: state {}",
                    seen.final_state
                );
                assert_eq!(
                    seen.done_callback_runs, 1,
                    "{case}: done-callbacks run exactly once"
                );
                assert_eq!(
                    seen.alive_after_close, 0,
                    "{case}: the future was dropped"
                );

                let expected_outcome = if cancelled {
                    Err(aio::TaskError::Cancelled)
                } else if body == Body::Panics {
                    Err(aio::TaskError::Panicked {
                        message: "the body panicked".into(),
                    })
                } else {
                    Ok(7)
                };
                match fate {
                    HandleFate::Awaited => {
                        assert_eq!(
                            seen.awaited,
                            Some(expected_outcome),
                            "{case}: awaiter"
                        )
                    }
                    _ => {
                        assert_eq!(seen.awaited, None, "{case}: nobody awaited")
                    }
                }

                // A panic that nobody retrieved is reported once, naming the
                // task. Cancelling a finished task takes charge of it, as in
                // asyncio, and silences the report: so only a task whose
                // handle was dropped before it panicked (reported as it
                // finishes, before the cancel) is reported.
                let unseen_panic = !cancelled
                    && body == Body::Panics
                    && fate == HandleFate::Dropped;
                let reports: Vec<&String> = seen
                    .warnings
                    .iter()
                    .filter(|message| message.contains("the body panicked"))
                    .collect();
                assert_eq!(
                    reports.len(),
                    usize::from(unseen_panic),
                    "{case}: reports {:?}",
                    seen.warnings
                );
                if let Some(report) = reports.first() {
                    assert!(
                        report.contains("Task-1")
                            && report.contains("task_lifecycle.rs"),
                        "{case}: {report}"
                    );
                }
            }
        }
    }
}

#[test]
fn cancel_is_a_request_carried_out_on_the_next_tick() {
    let event_loop = virtual_loop();
    let journal = common::Journal::default();
    let j = journal.clone();
    let lp = event_loop.clone();
    event_loop
        .run_until_complete(async move {
            let drops = DropCounter::default();
            let guard = drops.guard();
            let task = aio::spawn(async move {
                let _guard = guard;
                aio::sleep(Duration::from_secs(1)).await;
            })
            .unwrap();
            aio::sleep(Duration::ZERO).await; // let it start
            assert!(task.cancel());
            j.log(format!("after cancel: {task:?}, alive {}", drops.alive()));
            assert!(
                task.cancel(),
                "a second request still reports true, as asyncio does"
            );
            aio::sleep(Duration::ZERO).await;
            j.log(format!("next tick: {task:?}, alive {}", drops.alive()));
            assert!(
                !task.cancel(),
                "cancelling a cancelled task returns false"
            );
            let _ = lp;
        })
        .unwrap();
    assert_eq!(
        journal.entries(),
        [
            r#"after cancel: Task { name: "Task-2", state: cancelling }, alive 1"#,
            r#"next tick: Task { name: "Task-2", state: cancelled }, alive 0"#,
        ]
    );
    event_loop.close().unwrap();
}

#[test]
fn a_task_that_finishes_after_a_cancel_request_is_cancelled() {
    let event_loop = virtual_loop();
    let outcome = event_loop
        .run_until_complete(async {
            let me = aio::current_task().expect("inside a task");
            me.cancel(); // like asyncio: the request wins over the value returned below
            "returned anyway"
        })
        .unwrap_err();
    assert!(
        matches!(outcome, aio::Error::Task(aio::TaskError::Cancelled)),
        "got {outcome:?}"
    );
    event_loop.close().unwrap();
}

#[test]
fn names_current_task_and_all_tasks() {
    let event_loop = virtual_loop();
    event_loop
        .run_until_complete(async {
            let main = aio::current_task().unwrap();
            assert_eq!(main.name(), "Task-1");
            let worker = aio::spawn(async {
                let me = aio::current_task().unwrap();
                assert_eq!(me.name(), "worker");
                aio::sleep(MS).await;
            })
            .unwrap();
            assert_eq!(worker.name(), "Task-2");
            worker.set_name("worker");
            let names: Vec<String> =
                aio::all_tasks().iter().map(aio::TaskRef::name).collect();
            assert_eq!(names, ["Task-1", "worker"]);
            assert!(aio::all_tasks()[0].same_task(&main));
            worker.await.unwrap();
            assert_eq!(
                aio::all_tasks().len(),
                1,
                "finished tasks leave all_tasks"
            );
        })
        .unwrap();
    assert!(aio::current_task().is_none() && aio::all_tasks().is_empty());
    event_loop
        .run_until_complete(async {
            event_loop_callback_has_no_current_task();
        })
        .unwrap();
    event_loop.close().unwrap();
}

fn event_loop_callback_has_no_current_task() {
    let lp = aio::get_running_loop().unwrap();
    lp.call_soon(|| {
        assert!(aio::current_task().is_none(), "callbacks run outside any task")
    })
    .unwrap();
}

#[test]
fn awaiting_a_reference_keeps_the_result_and_counts_as_retrieving_a_panic() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop
        .run_until_complete(async {
            let task = aio::spawn(async { String::from("kept") }).unwrap();
            assert_eq!((&task).await, Ok("kept".to_owned()));
            assert_eq!(
                (&task).await,
                Ok("kept".to_owned()),
                "awaitable again, like an asyncio task"
            );
            assert_eq!(task.result(), Some(Ok("kept".to_owned())));
            let failing = aio::spawn(async {
                if aio::current_task().is_some() {
                    panic!("seen panic");
                }
            })
            .unwrap();
            assert!(matches!(
                (&failing).await,
                Err(aio::TaskError::Panicked { .. })
            ));
        })
        .unwrap();
    assert!(
        log.records().is_empty(),
        "a retrieved panic is not reported: {:?}",
        log.records()
    );
    event_loop.close().unwrap();
}

#[test]
fn a_cancelled_task_that_never_started_never_runs_its_body() {
    let event_loop = virtual_loop();
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    let task = event_loop.create_task(async move { flag.set(true) }).unwrap();
    assert!(task.cancel());
    assert_eq!(
        event_loop.run_until_complete(task).unwrap(),
        Err(aio::TaskError::Cancelled)
    );
    assert!(!ran.get());
    event_loop.close().unwrap();
}

#[test]
fn awaiting_a_handle_again_after_taking_its_result_is_an_error_not_a_hang() {
    let event_loop = virtual_loop();
    let (first, second) = event_loop
        .run_until_complete(async {
            let mut task = aio::spawn(async { 3 }).unwrap();
            let first = (&mut task).await;
            let second = (&mut task).await;
            let watched = (&task).await;
            (first, (second, watched))
        })
        .unwrap();
    assert_eq!(first, Ok(3));
    assert_eq!(
        second,
        (Err(aio::TaskError::ResultTaken), Err(aio::TaskError::ResultTaken))
    );
    event_loop.close().unwrap();
}

#[test]
fn a_panic_in_the_step_that_requested_cancellation_still_wins() {
    let event_loop = virtual_loop();
    let outcome = event_loop
        .run_until_complete(async {
            let task = aio::spawn(async {
                aio::current_task().unwrap().cancel();
                if aio::current_task().is_some() {
                    panic!("after cancel");
                }
            })
            .unwrap();
            task.await
        })
        .unwrap();
    assert_eq!(
        outcome,
        Err(aio::TaskError::Panicked { message: "after cancel".into() })
    );
    event_loop.close().unwrap();
}

#[test]
fn every_watcher_of_a_task_is_woken() {
    let event_loop = virtual_loop();
    let seen = event_loop
        .run_until_complete(async {
            let task = Rc::new(
                aio::spawn(async {
                    aio::sleep(5 * MS).await;
                    "shared"
                })
                .unwrap(),
            );
            let watchers: Vec<_> = (0..3)
                .map(|_| {
                    let task = task.clone();
                    aio::spawn(async move { (&*task).await }).unwrap()
                })
                .collect();
            let mut seen = Vec::new();
            for watcher in watchers {
                seen.push(watcher.await.unwrap());
            }
            seen
        })
        .unwrap();
    assert_eq!(seen, vec![Ok("shared"), Ok("shared"), Ok("shared")]);
    event_loop.close().unwrap();
}

#[test]
fn aio_run_lets_the_done_callbacks_of_cancelled_tasks_run() {
    let journal = common::Journal::default();
    let j = journal.clone();
    aio::run(async move {
        let task = aio::spawn(std::future::pending::<()>()).unwrap();
        task.add_done_callback(move |task| {
            j.log(format!("done-callback saw {task:?}"))
        });
    })
    .unwrap();
    assert_eq!(
        journal.entries(),
        [r#"done-callback saw Task { name: "Task-2", state: cancelled }"#]
    );
}

#[test]
fn a_done_callback_added_after_the_loop_returned_runs_on_its_next_tick() {
    let event_loop = virtual_loop();
    let task = event_loop.create_task(async { 7 }).unwrap();
    event_loop.run_until_complete(async {}).unwrap();
    assert!(task.done(), "the task finished during the first run");
    let ran = Rc::new(Cell::new(false));
    let seen = ran.clone();
    let id = task.add_done_callback(move |task| {
        assert!(task.done());
        seen.set(true);
    });
    assert!(id.is_none(), "a finished task schedules the callback at once");
    assert!(!ran.get(), "never called inline");
    let ran_during_next_run = ran.clone();
    event_loop
        .run_until_complete(async move {
            // The callback was queued before this task: it ran in the tick
            // that first polls this task, ahead of it.
            assert!(ran_during_next_run.get(), "ran on the next tick");
        })
        .unwrap();
    assert!(ran.get());
    event_loop.close().unwrap();
}

#[test]
fn a_done_callback_added_after_close_is_reported_not_lost_silently() {
    let event_loop = virtual_loop();
    let task = event_loop.create_task(async { 7 }).unwrap();
    event_loop.run_until_complete(async {}).unwrap();
    event_loop.close().unwrap();
    let log = CapturedLog::start();
    let ran = Rc::new(Cell::new(false));
    let seen = ran.clone();
    task.add_done_callback(move |_| seen.set(true));
    assert!(!ran.get());
    let records = log.records();
    assert!(
        records.iter().any(|(level, message)| *level == aio::Level::Warn
            && message.contains("after loop")
            && message.contains("closed")),
        "the dropped callback is reported: {records:?}"
    );
}

#[test]
fn cancelling_a_panicked_task_silences_its_unretrieved_error() {
    // asyncio's `Task.cancel()` clears `_log_traceback` even when the task is
    // already done.
    let log = common::CapturedLog::start();
    let event_loop = common::virtual_loop();
    let task = event_loop
        .create_task(async { panic!("cancelled after panicking") })
        .unwrap();
    event_loop.stop();
    event_loop.run_forever().unwrap(); // one tick: the task panics
    assert!(task.done());
    let before = log.records().len();
    assert!(!task.cancel(), "a finished task cannot be cancelled");
    drop(task);
    let warned: Vec<_> = log.records()[before..]
        .iter()
        .filter(|(_, message)| message.contains("never retrieved"))
        .cloned()
        .collect();
    assert!(warned.is_empty(), "{warned:?}");
    event_loop.close().unwrap();
}
