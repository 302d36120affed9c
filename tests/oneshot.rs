//! The one-shot channel hands a value from a worker thread to a task on the
//! loop.

mod common;

use std::thread;
use std::time::Duration;

#[test]
fn a_value_sent_from_a_thread_wakes_the_waiting_task() {
    let event_loop =
        aio::EventLoop::builder().clock(aio::ClockKind::Real).build().unwrap();
    let (sender, receiver) = aio::oneshot::channel();
    let worker = thread::spawn(move || {
        thread::sleep(Duration::from_millis(20));
        sender.send(String::from("computed")).unwrap();
    });
    // The loop sleeps in the poller with nothing to do until the worker's wake
    // arrives.
    let value = event_loop.run_until_complete(receiver).unwrap();
    assert_eq!(value.unwrap(), "computed");
    worker.join().unwrap();
    event_loop.close().unwrap();
}

#[test]
fn a_sender_dropped_without_sending_is_an_error() {
    let event_loop = common::virtual_loop();
    let (sender, receiver) = aio::oneshot::channel::<u8>();
    thread::spawn(move || drop(sender)).join().unwrap();
    let outcome = event_loop.run_until_complete(receiver).unwrap();
    assert_eq!(outcome, Err(aio::oneshot::RecvError));
    assert!(
        aio::oneshot::RecvError.to_string().contains("dropped without sending")
    );
    event_loop.close().unwrap();
}

#[test]
fn sending_to_a_dropped_receiver_gives_the_value_back() {
    let (sender, receiver) = aio::oneshot::channel::<Vec<u8>>();
    drop(receiver);
    assert_eq!(sender.send(vec![1, 2, 3]), Err(vec![1, 2, 3]));
}

#[test]
fn a_value_nobody_receives_is_dropped_once() {
    let marker = std::sync::Arc::new(());
    let (sender, receiver) = aio::oneshot::channel();
    sender.send(marker.clone()).unwrap();
    assert_eq!(std::sync::Arc::strong_count(&marker), 2);
    drop(receiver);
    assert_eq!(std::sync::Arc::strong_count(&marker), 1);
}
