//! The one-shot future (`aio::Promise`, asyncio's `Future`).

mod common;

use aio::{Exception, Promise, PromiseError};
use common::{CapturedLog, Journal, virtual_loop};
use std::time::Duration;

#[test]
fn setting_twice_or_reading_early_is_an_invalid_state_error() {
    let event_loop = virtual_loop();
    let promise: Promise<u32> = event_loop.create_future();
    assert!(matches!(promise.result(), Err(PromiseError::InvalidState(_))));
    assert!(matches!(promise.exception(), Err(PromiseError::InvalidState(_))));
    promise.set_result(1).unwrap();
    let error = promise.set_result(2).unwrap_err();
    assert!(error.to_string().contains("already finished"), "{error}");
    assert!(promise.set_exception(Exception::msg("late")).is_err());
    assert!(!promise.cancel(), "a done promise cannot be cancelled");
    assert_eq!(promise.result().unwrap(), 1, "the first result stays");
    assert!(promise.exception().unwrap().is_none());
    event_loop.close().unwrap();
}

#[test]
fn done_callbacks_are_scheduled_in_registration_order_never_inline() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let promise: Promise<&str> = event_loop.create_future();
    for n in 1..=3 {
        let j = journal.clone();
        promise.add_done_callback(move |done| {
            j.log(format!("callback {n}: {}", done.result().unwrap()))
        });
    }
    let removed = {
        let j = journal.clone();
        promise.add_done_callback(move |_| j.log("removed callback ran"))
    };
    assert!(promise.remove_done_callback(removed));
    assert!(
        !promise.remove_done_callback(removed),
        "removing twice finds nothing"
    );
    let (p, j) = (promise.clone(), journal.clone());
    event_loop
        .run_until_complete(async move {
            p.set_result("value").unwrap();
            j.log("set_result returned");
            aio::sleep(Duration::ZERO).await;
            let j2 = j.clone();
            p.add_done_callback(move |_| j2.log("added after done"));
            j.log("added a callback after done");
            aio::sleep(Duration::ZERO).await;
        })
        .unwrap();
    assert_eq!(
        journal.entries(),
        [
            "set_result returned",
            "callback 1: value",
            "callback 2: value",
            "callback 3: value",
            "added a callback after done",
            "added after done",
        ]
    );
    event_loop.close().unwrap();
}

#[test]
fn every_awaiter_sees_the_outcome() {
    let event_loop = virtual_loop();
    let promise: Promise<String> = event_loop.create_future();
    let (p, q) = (promise.clone(), promise.clone());
    let outcomes = event_loop
        .run_until_complete(async move {
            let first = aio::spawn(p).unwrap();
            let second = aio::spawn(q).unwrap();
            aio::sleep(Duration::from_millis(1)).await;
            promise.set_result("shared".into()).unwrap();
            (first.await.unwrap(), second.await.unwrap(), promise.clone().await)
        })
        .unwrap();
    assert_eq!(outcomes.0.unwrap(), "shared");
    assert_eq!(outcomes.1.unwrap(), "shared");
    assert_eq!(outcomes.2.unwrap(), "shared");
    event_loop.close().unwrap();
}

#[test]
fn awaiting_a_cancelled_or_failed_promise_gives_the_reason() {
    let event_loop = virtual_loop();
    let cancelled: Promise<u8> = event_loop.create_future();
    let failed: Promise<u8> = event_loop.create_future();
    let (c, f) = (cancelled.clone(), failed.clone());
    let (on_cancelled, on_failed) = event_loop
        .run_until_complete(async move {
            let waiter_c = aio::spawn(c.clone()).unwrap();
            let waiter_f = aio::spawn(f.clone()).unwrap();
            aio::sleep(Duration::ZERO).await;
            assert!(c.cancel());
            f.set_exception(Exception::msg("disk on fire")).unwrap();
            (waiter_c.await.unwrap(), waiter_f.await.unwrap())
        })
        .unwrap();
    assert!(matches!(on_cancelled, Err(PromiseError::Cancelled)));
    match on_failed {
        Err(PromiseError::Exception(exception)) => {
            assert_eq!(exception.to_string(), "disk on fire")
        }
        other => panic!("expected the exception, got {other:?}"),
    }
    assert!(cancelled.cancelled() && cancelled.done());
    event_loop.close().unwrap();
}

#[test]
fn an_exception_nobody_retrieved_is_reported_when_the_promise_is_dropped() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    let unseen: Promise<()> = event_loop.create_future();
    unseen.set_exception(Exception::msg("nobody looked")).unwrap();
    drop(unseen);
    let seen: Promise<()> = event_loop.create_future();
    seen.set_exception(Exception::msg("somebody looked")).unwrap();
    assert!(seen.exception().unwrap().is_some());
    drop(seen);
    let messages: Vec<String> =
        log.records().into_iter().map(|(_, message)| message).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("never retrieved")
            && messages[0].contains("nobody looked")
    );
    event_loop.close().unwrap();
}

#[test]
fn promise_new_needs_a_running_loop() {
    assert!(matches!(Promise::<u8>::new(), Err(aio::Error::NoRunningLoop)));
    let event_loop = virtual_loop();
    let made = event_loop
        .run_until_complete(async { Promise::<u8>::new().is_ok() })
        .unwrap();
    assert!(made);
    event_loop.close().unwrap();
}

#[test]
fn debug_shows_state_and_result() {
    let event_loop = virtual_loop();
    let promise: Promise<&str> = event_loop.create_future();
    assert_eq!(format!("{promise:?}"), "Promise { state: pending }");
    promise.set_result("done").unwrap();
    assert_eq!(
        format!("{promise:?}"),
        r#"Promise { state: finished, result: "done" }"#
    );
    event_loop.close().unwrap();
}

#[test]
fn cancelling_a_failed_promise_silences_its_unretrieved_exception() {
    // asyncio's `Future.cancel()` clears `__log_traceback` even when it
    // returns False: whoever cancels has taken charge of the future.
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    let failed: Promise<()> = event_loop.create_future();
    failed.set_exception(Exception::msg("cancelled after failing")).unwrap();
    assert!(!failed.cancel(), "a done promise cannot be cancelled");
    drop(failed);
    assert!(log.records().is_empty(), "{:?}", log.records());
    event_loop.close().unwrap();
}
