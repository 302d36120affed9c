//! The loop's cross-thread paths: `call_soon_threadsafe` and wakers used from
//! other threads. Many threads, many calls, none lost, and a sleeping loop
//! always wakes up.

mod common;

use common::virtual_loop;
use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::task::Poll;
use std::thread;
use std::time::Duration;

/// Aborts the test process if a test hangs, instead of hanging CI.
fn watchdog(seconds: u64) -> Arc<AtomicBool> {
    let finished = Arc::new(AtomicBool::new(false));
    let done = finished.clone();
    thread::spawn(move || {
        for _ in 0..seconds * 10 {
            thread::sleep(Duration::from_millis(100));
            if done.load(Ordering::Acquire) {
                return;
            }
        }
        eprintln!(
            "watchdog: the test hung for {seconds} s; a wake-up was lost"
        );
        std::process::abort();
    });
    finished
}

thread_local! {
    static RECEIVED: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

#[test]
fn many_threads_many_calls_none_lost_and_each_thread_in_order() {
    const THREADS: usize = 8;
    const CALLS: usize = 2_000;
    let finished = watchdog(60);
    let event_loop =
        aio::EventLoop::builder().clock(aio::ClockKind::Real).build().unwrap();
    let remote = event_loop.remote();
    let senders: Vec<_> = (0..THREADS)
        .map(|thread_index| {
            let remote = remote.clone();
            thread::spawn(move || {
                for call in 0..CALLS {
                    remote
                        .call_soon_threadsafe(move || {
                            RECEIVED.with(|r| {
                                r.borrow_mut().push((thread_index, call))
                            })
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    // The loop has no timers and nothing ready: it sleeps in the poller until a
    // remote call wakes it, drains, and sleeps again.
    let all_in = poll_fn(|cx| {
        if RECEIVED.with(|r| r.borrow().len()) == THREADS * CALLS {
            Poll::Ready(())
        } else {
            // Ask to be polled again on the next tick; the calls arrive
            // meanwhile.
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    });
    event_loop.run_until_complete(all_in).unwrap();
    for sender in senders {
        sender.join().unwrap();
    }
    let received = RECEIVED.with(|r| r.take());
    for thread_index in 0..THREADS {
        let calls: Vec<usize> = received
            .iter()
            .filter(|(from, _)| *from == thread_index)
            .map(|(_, call)| *call)
            .collect();
        assert_eq!(
            calls,
            (0..CALLS).collect::<Vec<_>>(),
            "thread {thread_index}'s calls, in order"
        );
    }
    event_loop.close().unwrap();
    finished.store(true, Ordering::Release);
}

#[test]
fn a_remote_call_wakes_a_loop_that_sleeps_with_nothing_to_do() {
    let finished = watchdog(30);
    let event_loop =
        aio::EventLoop::builder().clock(aio::ClockKind::Real).build().unwrap();
    let remote = event_loop.remote();
    let sender = thread::spawn(move || {
        thread::sleep(Duration::from_millis(20));
        // The callback runs on the loop's thread, where it can reach the loop.
        remote
            .call_soon_threadsafe(|| aio::get_running_loop().unwrap().stop())
            .unwrap();
    });
    // Nothing is ready and no timer is set: the loop blocks in the poller with
    // no timeout, and only the remote call's wake-up can end run_forever.
    event_loop.run_forever().unwrap();
    sender.join().unwrap();
    event_loop.close().unwrap();
    finished.store(true, Ordering::Release);
}

#[test]
fn a_waker_used_on_another_thread_wakes_the_sleeping_loop() {
    let finished = watchdog(30);
    let event_loop =
        aio::EventLoop::builder().clock(aio::ClockKind::Real).build().unwrap();
    let (waker_tx, waker_rx) = mpsc::channel::<std::task::Waker>();
    let ready = Arc::new(AtomicBool::new(false));
    let ready_for_thread = ready.clone();
    let helper = thread::spawn(move || {
        let waker = waker_rx.recv().unwrap();
        thread::sleep(Duration::from_millis(20));
        ready_for_thread.store(true, Ordering::Release);
        waker.wake();
    });
    let polls = event_loop
        .run_until_complete(async move {
            let mut polls = 0;
            poll_fn(|cx| {
                polls += 1;
                if ready.load(Ordering::Acquire) {
                    return Poll::Ready(());
                }
                if polls == 1 {
                    waker_tx.send(cx.waker().clone()).unwrap();
                }
                Poll::Pending
            })
            .await;
            polls
        })
        .unwrap();
    assert_eq!(
        polls, 2,
        "polled once to start, once when the other thread woke it"
    );
    helper.join().unwrap();
    event_loop.close().unwrap();
    finished.store(true, Ordering::Release);
}

#[test]
fn a_wake_after_close_is_harmless_and_the_future_was_dropped_on_the_loop_thread()
 {
    struct RecordsDropThread(Arc<std::sync::Mutex<Option<thread::ThreadId>>>);
    impl Drop for RecordsDropThread {
        fn drop(&mut self) {
            *self.0.lock().unwrap() = Some(thread::current().id());
        }
    }
    let event_loop = virtual_loop();
    let dropped_on = Arc::new(std::sync::Mutex::new(None));
    let guard = RecordsDropThread(dropped_on.clone());
    let (waker_tx, waker_rx) = mpsc::channel::<std::task::Waker>();
    let task = event_loop
        .create_task(async move {
            let _guard = guard;
            poll_fn(|cx| {
                let _ = waker_tx.send(cx.waker().clone());
                Poll::<()>::Pending
            })
            .await;
        })
        .unwrap();
    event_loop.stop();
    event_loop.run_forever().unwrap(); // one tick: the task starts and hands out its waker
    let waker = waker_rx.recv().unwrap();
    event_loop.close().unwrap();
    assert_eq!(*dropped_on.lock().unwrap(), Some(thread::current().id()));
    assert!(
        task.done() && task.cancelled(),
        "close cancels the tasks it drops"
    );
    drop(task);
    // The last references to the task now live on another thread. Releasing
    // them there frees an emptied allocation: nothing is dropped on the wrong
    // thread, nothing leaks, so nothing is reported.
    let reported = thread::spawn(move || {
        let log = common::CapturedLog::start();
        waker.wake_by_ref();
        drop(waker);
        log.records().len()
    })
    .join()
    .unwrap();
    assert_eq!(reported, 0);
    assert!(
        event_loop.call_soon_threadsafe(|| {}).is_err(),
        "a closed loop refuses remote calls"
    );
}

#[test]
fn the_remote_handle_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<aio::RemoteLoop>();
}

// Remote work arrives on the loop's next tick, in the order it was sent: the
// loop checks the remote queue's flag on every tick (an atomic load, no system
// call), and a local `call_soon` first takes in whatever other threads sent
// before it.

/// Runs one tick of `event_loop` (`stop()` before `run_forever`).
fn one_tick(event_loop: &aio::EventLoop) {
    event_loop.stop();
    event_loop.run_forever().unwrap();
}

#[test]
fn a_callback_sent_from_another_thread_before_a_local_call_soon_runs_first() {
    let event_loop = virtual_loop();
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (remote, lp, seen) =
        (event_loop.remote(), event_loop.clone(), order.clone());
    event_loop
        .call_soon(move || {
            let sent = seen.clone();
            // The other thread's call is made, and finished, before ours.
            thread::spawn(move || {
                remote
                    .call_soon_threadsafe(move || {
                        sent.lock().unwrap().push("from the other thread")
                    })
                    .unwrap();
            })
            .join()
            .unwrap();
            lp.call_soon(move || seen.lock().unwrap().push("local")).unwrap();
        })
        .unwrap();
    for _ in 0..3 {
        one_tick(&event_loop);
    }
    assert_eq!(*order.lock().unwrap(), ["from the other thread", "local"]);
    event_loop.close().unwrap();
}

#[test]
fn a_wake_from_another_thread_runs_the_task_on_the_next_tick_while_work_is_ready()
 {
    let event_loop = virtual_loop();
    let ticks = Rc::new(std::cell::Cell::new(0u32));
    // A busy task keeps the ready queue from ever emptying, and counts ticks.
    let counter = ticks.clone();
    let busy = event_loop
        .create_task(async move {
            loop {
                counter.set(counter.get() + 1);
                aio::sleep(Duration::ZERO).await;
            }
        })
        .unwrap();
    let (woken_at, resumed_at) =
        (Rc::new(std::cell::Cell::new(0)), ticks.clone());
    let woken = woken_at.clone();
    let clock = ticks.clone();
    let waiter = event_loop
        .create_task(async move {
            let mut waited = false;
            poll_fn(|cx| {
                if waited {
                    return Poll::Ready(());
                }
                waited = true;
                let waker = cx.waker().clone();
                thread::spawn(move || waker.wake()).join().unwrap();
                woken.set(clock.get());
                Poll::Pending
            })
            .await;
            resumed_at.get()
        })
        .unwrap();
    // Run without stopping: a stop request makes every tick consult the
    // poller, and this is about the ticks that do not.
    let resumed = event_loop.run_until_complete(waiter).unwrap().unwrap();
    assert!(
        resumed <= woken_at.get() + 2,
        "woken from another thread at tick {}, resumed at tick {resumed}",
        woken_at.get()
    );
    busy.cancel();
    event_loop.close().unwrap();
}

#[test]
fn a_promise_resolved_between_two_runs_wakes_its_task_on_the_next_tick() {
    let event_loop = virtual_loop();
    let promise = event_loop.create_future::<u32>();
    let task = event_loop.create_task(promise.clone()).unwrap();
    one_tick(&event_loop); // the task starts and waits
    assert!(!task.done());
    promise.set_result(7).unwrap(); // outside the loop
    one_tick(&event_loop);
    assert!(task.done(), "the task ran on the first tick after the resolve");
    event_loop.close().unwrap();
}
