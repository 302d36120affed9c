//! Failures are clear and contained: misuse returns a typed error with an
//! actionable message, a panic in a callback or task is caught and reported,
//! and closing a loop drops everything it owns.

mod common;

use common::{CapturedLog, DropCounter, Journal, virtual_loop};
use std::future::pending;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

#[test]
fn running_a_closed_loop_is_an_error() {
    let event_loop = virtual_loop();
    event_loop.close().unwrap();
    assert!(matches!(
        event_loop.run_until_complete(async {}),
        Err(aio::Error::LoopClosed)
    ));
    assert!(matches!(event_loop.run_forever(), Err(aio::Error::LoopClosed)));
    assert!(matches!(event_loop.call_soon(|| {}), Err(aio::Error::LoopClosed)));
    assert!(matches!(
        event_loop.call_later(MS, || {}),
        Err(aio::Error::LoopClosed)
    ));
    assert!(matches!(
        event_loop.create_task(async {}),
        Err(aio::Error::LoopClosed)
    ));
    assert!(event_loop.close().is_ok(), "closing twice is fine");
}

#[test]
fn nesting_run_until_complete_is_an_error_not_a_hang() {
    let event_loop = virtual_loop();
    let inner = event_loop.clone();
    let nested = event_loop
        .run_until_complete(async move {
            inner.run_until_complete(async { 1 }).err()
        })
        .unwrap();
    assert!(
        matches!(nested, Some(aio::Error::AlreadyRunning)),
        "got {nested:?}"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_second_loop_on_the_same_thread_is_an_error() {
    let event_loop = virtual_loop();
    let outcome = event_loop
        .run_until_complete(async {
            let other = virtual_loop();
            let outcome = other.run_until_complete(async {}).err();
            other.close().unwrap();
            (outcome, aio::run(async {}).err())
        })
        .unwrap();
    assert!(
        matches!(outcome.0, Some(aio::Error::AnotherLoopRunning)),
        "got {:?}",
        outcome.0
    );
    assert!(
        matches!(outcome.1, Some(aio::Error::RunInsideLoop)),
        "got {:?}",
        outcome.1
    );
    event_loop.close().unwrap();
}

#[test]
fn no_running_loop_outside_a_loop() {
    assert!(matches!(aio::get_running_loop(), Err(aio::Error::NoRunningLoop)));
    assert!(matches!(aio::spawn(async {}), Err(aio::Error::NoRunningLoop)));
    let event_loop = virtual_loop();
    let id = event_loop.id();
    let seen = event_loop
        .run_until_complete(async { aio::get_running_loop().map(|lp| lp.id()) })
        .unwrap();
    assert_eq!(seen.unwrap(), id);
    assert!(aio::get_running_loop().is_err(), "the loop is no longer running");
    event_loop.close().unwrap();
}

#[test]
fn closing_a_running_loop_is_an_error() {
    let event_loop = virtual_loop();
    let inner = event_loop.clone();
    let outcome = event_loop
        .run_until_complete(async move { inner.close().err() })
        .unwrap();
    assert!(matches!(outcome, Some(aio::Error::CloseWhileRunning)));
    event_loop.close().unwrap();
}

#[test]
fn stop_before_the_future_completes_is_reported() {
    let event_loop = virtual_loop();
    let stopper = event_loop.clone();
    event_loop.call_later(5 * MS, move || stopper.stop()).unwrap();
    let outcome =
        event_loop.run_until_complete(aio::sleep(Duration::from_secs(1)));
    assert!(matches!(outcome, Err(aio::Error::StoppedBeforeComplete)));
    // The stop request was used up: the loop runs normally afterwards.
    assert_eq!(event_loop.run_until_complete(async { 5 }).unwrap(), 5);
    event_loop.close().unwrap();
}

#[test]
fn every_error_message_says_what_to_do() {
    let errors = [
        aio::Error::LoopClosed,
        aio::Error::AlreadyRunning,
        aio::Error::AnotherLoopRunning,
        aio::Error::RunInsideLoop,
        aio::Error::CloseWhileRunning,
        aio::Error::NoRunningLoop,
        aio::Error::StoppedBeforeComplete,
    ];
    for error in errors {
        let message = error.to_string();
        assert!(
            message.contains(';') && message.len() > 40,
            "{error:?} has a terse message: {message}"
        );
    }
    let panicked =
        aio::Error::Task(aio::TaskError::Panicked { message: "boom".into() });
    assert_eq!(panicked.to_string(), "the task panicked: boom");
}

#[test]
fn a_panicking_callback_is_reported_and_the_loop_keeps_going() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    let journal = Journal::default();
    event_loop.call_soon(|| panic!("callback exploded")).unwrap();
    let j = journal.clone();
    event_loop.call_soon(move || j.log("next callback ran")).unwrap();
    let j = journal.clone();
    event_loop.call_later(MS, move || j.log("timer ran")).unwrap();
    event_loop.run_until_complete(aio::sleep(5 * MS)).unwrap();
    assert_eq!(journal.entries(), ["next callback ran", "timer ran"]);
    let records = log.records();
    assert!(
        records.iter().any(|(level, message)| *level == aio::Level::Error
            && message.contains("callback exploded")),
        "the panic was reported: {records:?}"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_panicking_task_gives_its_awaiter_the_message_and_others_run_on() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let j = journal.clone();
    let outcome = event_loop
        .run_until_complete(async move {
            let doomed = aio::spawn(async {
                aio::sleep(MS).await;
                panic!("task exploded");
            })
            .unwrap();
            let healthy = aio::spawn(async move {
                aio::sleep(2 * MS).await;
                j.log("healthy task finished");
                7
            })
            .unwrap();
            (doomed.await, healthy.await)
        })
        .unwrap();
    assert_eq!(
        outcome.0,
        Err(aio::TaskError::Panicked { message: "task exploded".into() })
    );
    assert_eq!(outcome.1, Ok(7));
    assert_eq!(journal.entries(), ["healthy task finished"]);
    event_loop.close().unwrap();
}

#[test]
fn a_panic_in_the_main_future_is_returned_by_run_until_complete() {
    let event_loop = virtual_loop();
    let outcome = event_loop.run_until_complete(async {
        if aio::get_running_loop().is_ok() {
            panic!("main exploded");
        }
    });
    match outcome {
        Err(aio::Error::Task(aio::TaskError::Panicked { message })) => {
            assert_eq!(message, "main exploded")
        }
        other => panic!("expected the panic back, got {other:?}"),
    }
    assert_eq!(
        event_loop.run_until_complete(async { "still usable" }).unwrap(),
        "still usable"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_detached_task_that_panics_is_reported_with_its_name_and_origin() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop
        .run_until_complete(async {
            drop(aio::spawn(async { panic!("nobody is listening") }).unwrap());
            aio::sleep(MS).await;
        })
        .unwrap();
    let records = log.records();
    let report = records
        .iter()
        .find(|(_, message)| message.contains("nobody is listening"));
    let (_, message) =
        report.unwrap_or_else(|| panic!("no report in {records:?}"));
    assert!(
        message.contains("Task-") && message.contains("failures.rs"),
        "report names task and origin: {message}"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_dropped_handle_detaches_the_task_which_runs_to_the_end() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let j = journal.clone();
    event_loop
        .run_until_complete(async move {
            drop(
                aio::spawn(async move {
                    aio::sleep(MS).await;
                    j.log("detached task finished");
                })
                .unwrap(),
            );
            aio::sleep(5 * MS).await;
        })
        .unwrap();
    assert_eq!(journal.entries(), ["detached task finished"]);
    event_loop.close().unwrap();
}

#[test]
fn close_drops_every_future_callback_and_timer_it_owns() {
    let drops = DropCounter::default();
    let event_loop = virtual_loop();
    for _ in 0..3 {
        let guard = drops.guard();
        event_loop
            .create_task(async move {
                let _guard = guard;
                pending::<()>().await;
            })
            .unwrap();
    }
    let guard = drops.guard();
    event_loop.call_soon(move || drop(guard)).unwrap();
    let guard = drops.guard();
    event_loop
        .call_later(Duration::from_secs(60), move || drop(guard))
        .unwrap();
    let started = event_loop.create_task(async {}).unwrap();
    event_loop.run_until_complete(async {}).unwrap();
    assert!(started.done());
    // The callback ran (dropping its guard); the three tasks and the timer are
    // pending.
    assert_eq!(drops.alive(), 4);
    event_loop.close().unwrap();
    assert_eq!(drops.alive(), 0);
    assert_eq!(drops.made(), 5);
}

#[test]
fn aio_run_cancels_pending_tasks_and_closes_the_loop() {
    let drops = DropCounter::default();
    let journal = Journal::default();
    let (d, j) = (drops.clone(), journal.clone());
    let output = aio::run(async move {
        for n in 0..3 {
            let guard = d.guard();
            let j = j.clone();
            aio::spawn(async move {
                let _guard = guard;
                aio::sleep(Duration::from_secs(3600)).await;
                j.log(format!("task {n} outlived main"));
            })
            .unwrap();
        }
        aio::sleep(MS).await;
        "main done"
    })
    .unwrap();
    assert_eq!(output, "main done");
    assert_eq!(drops.made(), 3);
    assert_eq!(
        drops.alive(),
        0,
        "the pending tasks were cancelled and their futures dropped"
    );
    assert!(journal.entries().is_empty());
}

#[test]
fn an_unclosed_loop_is_reported_when_dropped() {
    let log = CapturedLog::start();
    let drops = DropCounter::default();
    let event_loop = virtual_loop();
    let guard = drops.guard();
    event_loop.call_later(Duration::from_secs(1), move || drop(guard)).unwrap();
    drop(event_loop);
    assert_eq!(
        drops.alive(),
        0,
        "dropping the loop still releases what it held"
    );
    assert!(
        log.records().iter().any(|(level, message)| *level == aio::Level::Warn
            && message.contains("unclosed"))
    );
}
