//! Chapter 12: signal handlers as loop callbacks, in this process.
//!
//! Signals are process-wide and the tests run in parallel, so each test
//! handles signals of its own (mostly realtime ones, of which there are
//! thirty), and raises them with `Signal::raise`, which runs the handler on
//! the calling thread before it returns. What happens to a signal once no
//! loop handles it (its default action, which may end the process) is
//! checked in child processes, in `tests/signal_defaults.rs`.

mod common;

use aio::{EventLoop, Signal, SignalError};
use common::{CapturedLog, Journal, real_loop};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// This test's own realtime signal.
fn own(offset: i32) -> Signal {
    Signal::realtime(offset).expect("thirty realtime signals")
}

/// Runs the loop for a few ticks, long enough for a raised signal's drain
/// and callback.
fn settle(event_loop: &EventLoop) {
    event_loop
        .run_until_complete(aio::sleep(Duration::from_millis(5)))
        .expect("the loop runs");
}

#[test]
fn the_callback_runs_on_the_loop_after_the_sender_yields() {
    let signal = own(1);
    let event_loop = real_loop();
    let journal = Journal::default();
    let loop_thread = std::thread::current().id();
    let handled = journal.clone();
    event_loop
        .add_signal_handler(signal, move || {
            assert_eq!(std::thread::current().id(), loop_thread);
            let running = aio::get_running_loop().expect("a loop callback");
            handled.log(format!("handled in loop {}", running.id()));
        })
        .unwrap();
    let sender = journal.clone();
    event_loop
        .run_until_complete(async move {
            sender.log("sending");
            signal.raise().unwrap();
            sender.log("sent, still running");
            aio::sleep(Duration::from_millis(5)).await;
            sender.log("after the sleep");
        })
        .unwrap();
    let id = event_loop.id();
    assert_eq!(
        journal.entries(),
        [
            "sending".to_owned(),
            "sent, still running".to_owned(),
            format!("handled in loop {id}"),
            "after the sleep".to_owned(),
        ]
    );
    event_loop.close().unwrap();
}

#[test]
fn a_burst_before_the_loop_looks_makes_one_callback_and_none_is_lost() {
    let signal = own(2);
    let event_loop = real_loop();
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    event_loop
        .add_signal_handler(signal, move || counted.set(counted.get() + 1))
        .unwrap();
    for _ in 0..100 {
        signal.raise().unwrap();
    }
    settle(&event_loop);
    assert_eq!(calls.get(), 1, "a burst is merged into one callback");
    signal.raise().unwrap();
    settle(&event_loop);
    assert_eq!(calls.get(), 2, "a delivery after the drain is another");
    settle(&event_loop);
    assert_eq!(calls.get(), 2, "and nothing runs without a delivery");
    event_loop.close().unwrap();
}

#[test]
fn different_signals_run_in_the_order_they_arrived() {
    let (first, second) = (own(3), own(4));
    let event_loop = real_loop();
    let journal = Journal::default();
    for signal in [first, second] {
        let journal = journal.clone();
        event_loop
            .add_signal_handler(signal, move || journal.log(signal.name()))
            .unwrap();
    }
    second.raise().unwrap();
    first.raise().unwrap();
    settle(&event_loop);
    first.raise().unwrap();
    second.raise().unwrap();
    settle(&event_loop);
    let names = |a: Signal, b: Signal| [a.name(), b.name()];
    let expected = [names(second, first), names(first, second)].concat();
    assert_eq!(journal.entries(), expected);
    event_loop.close().unwrap();
}

#[test]
fn signals_that_cannot_be_handled_get_errors_that_say_why() {
    let event_loop = real_loop();
    let add = |number| {
        event_loop
            .add_signal_handler(Signal::from_raw(number), || {})
            .unwrap_err()
    };
    for number in [0, -3, libc::SIGRTMAX() + 1] {
        let error = add(number);
        assert!(matches!(error, SignalError::OutOfRange(n) if n == number));
        assert!(error.to_string().contains("not a signal number"), "{error}");
    }
    for number in [libc::SIGKILL, libc::SIGSTOP] {
        let error = add(number);
        assert!(matches!(error, SignalError::CannotBeCaught(_)), "{error}");
        assert!(error.to_string().contains("cannot be caught"), "{error}");
    }
    for number in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
        assert!(matches!(add(number), SignalError::Fault(_)));
    }
    let error = add(32);
    assert!(matches!(error, SignalError::Reserved(_)), "{error}");
    assert!(error.to_string().contains("Signal::realtime"), "{error}");
    let removing = event_loop.remove_signal_handler(Signal::from_raw(0));
    assert!(matches!(removing, Err(SignalError::OutOfRange(0))));
    event_loop.close().unwrap();
}

#[test]
fn outside_a_running_loop_the_free_functions_say_what_to_do() {
    let error = aio::add_signal_handler(own(5), || {}).unwrap_err();
    assert!(matches!(error, SignalError::NoRunningLoop));
    assert!(
        error.to_string().contains("EventLoop::add_signal_handler"),
        "{error}"
    );
    let error = aio::remove_signal_handler(own(5)).unwrap_err();
    assert!(matches!(error, SignalError::NoRunningLoop));
    // Inside one, they use it.
    let added = aio::run(async {
        aio::add_signal_handler(own(5), || {})?;
        aio::remove_signal_handler(own(5))
    });
    assert!(added.unwrap().unwrap(), "added, then removed");
}

#[test]
fn a_closed_loop_handles_no_signals() {
    let event_loop = real_loop();
    event_loop.close().unwrap();
    let error = event_loop.add_signal_handler(own(6), || {}).unwrap_err();
    assert!(matches!(error, SignalError::LoopClosed), "{error}");
    assert!(!event_loop.remove_signal_handler(own(6)).unwrap());
}

#[test]
fn removing_a_handler_that_was_never_added_returns_false() {
    let signal = own(7);
    let event_loop = real_loop();
    assert!(!event_loop.remove_signal_handler(signal).unwrap());
    event_loop.add_signal_handler(signal, || {}).unwrap();
    assert!(event_loop.remove_signal_handler(signal).unwrap());
    assert!(!event_loop.remove_signal_handler(signal).unwrap());
    event_loop.close().unwrap();
}

#[test]
fn a_signal_goes_to_one_loop_until_that_loop_lets_it_go() {
    let signal = own(8);
    let (first, second) = (real_loop(), real_loop());
    first.add_signal_handler(signal, || {}).unwrap();
    let error = second.add_signal_handler(signal, || {}).unwrap_err();
    assert!(
        matches!(error, SignalError::HandledByAnotherLoop { loop_id, .. }
            if loop_id == first.id()),
        "{error}"
    );
    assert!(error.to_string().contains("remove the handler there"));
    first.close().unwrap(); // closing gives its signals up
    let handled = Rc::new(Cell::new(false));
    let seen = handled.clone();
    second.add_signal_handler(signal, move || seen.set(true)).unwrap();
    signal.raise().unwrap();
    settle(&second);
    assert!(handled.get(), "the second loop has it now");
    second.close().unwrap();
}

#[test]
fn loops_on_two_threads_each_handle_their_own_signal() {
    let threads: Vec<_> = [own(9), own(10)]
        .into_iter()
        .map(|signal| {
            std::thread::spawn(move || {
                let event_loop = real_loop();
                let calls = Rc::new(Cell::new(0));
                let counted = calls.clone();
                event_loop
                    .add_signal_handler(signal, move || {
                        counted.set(counted.get() + 1)
                    })
                    .unwrap();
                for _ in 0..3 {
                    signal.raise().unwrap();
                    settle(&event_loop);
                }
                event_loop.close().unwrap();
                calls.get()
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 3);
    }
}

#[test]
fn adding_again_replaces_the_callback() {
    let signal = own(11);
    let event_loop = real_loop();
    let journal = Journal::default();
    for name in ["first", "second"] {
        let journal = journal.clone();
        event_loop
            .add_signal_handler(signal, move || journal.log(name))
            .unwrap();
    }
    signal.raise().unwrap();
    settle(&event_loop);
    assert_eq!(journal.entries(), ["second"]);
    event_loop.close().unwrap();
}

#[test]
fn a_panicking_callback_is_reported_and_the_loop_keeps_handling() {
    let signal = own(12);
    let log = CapturedLog::start();
    let event_loop = real_loop();
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    event_loop
        .add_signal_handler(signal, move || {
            counted.set(counted.get() + 1);
            panic!("the handler broke");
        })
        .unwrap();
    for _ in 0..2 {
        signal.raise().unwrap();
        settle(&event_loop);
    }
    assert_eq!(calls.get(), 2, "the second delivery still ran it");
    let reports = log
        .records()
        .into_iter()
        .filter(|(level, message)| {
            *level == aio::Level::Error && message.contains("the handler broke")
        })
        .count();
    assert_eq!(reports, 2);
    event_loop.close().unwrap();
}

#[test]
fn a_handler_removed_before_its_callback_runs_does_not_run() {
    let signal = own(13);
    let event_loop = real_loop();
    let ran = Rc::new(Cell::new(false));
    let seen = ran.clone();
    event_loop.add_signal_handler(signal, move || seen.set(true)).unwrap();
    event_loop
        .run_until_complete(async move {
            signal.raise().unwrap();
            // Let the loop drain the pipe and queue the callback, then remove
            // the handler before the callback's turn.
            aio::sleep(Duration::ZERO).await;
            aio::remove_signal_handler(signal).unwrap();
            aio::sleep(Duration::from_millis(5)).await;
        })
        .unwrap();
    assert!(!ran.get());
    event_loop.close().unwrap();
}

#[test]
fn a_signal_that_arrives_before_the_loop_runs_is_handled_when_it_does() {
    let signal = own(14);
    let event_loop = real_loop();
    let ran = Rc::new(Cell::new(false));
    let seen = ran.clone();
    event_loop.add_signal_handler(signal, move || seen.set(true)).unwrap();
    signal.raise().unwrap();
    assert!(!ran.get(), "never inside the signal handler");
    settle(&event_loop);
    assert!(ran.get());
    event_loop.close().unwrap();
}

#[test]
fn a_callback_may_remove_its_own_handler_and_add_another() {
    let (once, then) = (own(15), own(16));
    let event_loop = real_loop();
    let journal = Journal::default();
    let logged = journal.clone();
    event_loop
        .add_signal_handler(once, move || {
            logged.log("once");
            assert!(aio::remove_signal_handler(once).unwrap());
            let logged = logged.clone();
            aio::add_signal_handler(then, move || logged.log("then")).unwrap();
        })
        .unwrap();
    once.raise().unwrap();
    settle(&event_loop);
    then.raise().unwrap();
    settle(&event_loop);
    assert_eq!(journal.entries(), ["once", "then"]);
    assert!(!event_loop.remove_signal_handler(once).unwrap());
    event_loop.close().unwrap();
}

#[test]
fn ctrl_c_is_left_alone_off_the_main_thread() {
    // Tests run on threads of their own, never the main one: `aio::run`
    // must not take SIGINT here, so another loop can.
    let taken = aio::run(async {
        std::thread::spawn(|| {
            let other = real_loop();
            let added = other.add_signal_handler(Signal::INT, || {});
            let removed = other.remove_signal_handler(Signal::INT);
            other.close().unwrap();
            added.and(removed)
        })
        .join()
        .unwrap()
    });
    assert!(taken.unwrap().unwrap(), "SIGINT was free for another loop");
}

#[test]
fn a_storm_of_signals_does_not_stop_the_loop_serving() {
    let signal = own(17);
    let event_loop = real_loop();
    let calls = Rc::new(Cell::new(0_u32));
    let counted = calls.clone();
    event_loop
        .add_signal_handler(signal, move || counted.set(counted.get() + 1))
        .unwrap();
    // SAFETY: pthread_self takes nothing and returns this thread's id.
    let loop_thread = unsafe { libc::pthread_self() };
    let served = event_loop.run_until_complete(async move {
        let server = aio::start_server(
            |reader, writer| async move {
                while let Ok(line) = reader.readline().await {
                    if line.is_empty() || writer.write(&line).is_err() {
                        break;
                    }
                }
                writer.close();
            },
            "127.0.0.1",
            0,
        )
        .await?;
        let (reader, writer) =
            aio::open_connection("127.0.0.1", server.port()).await?;
        // 10,000 signals at the loop's own thread, interrupting whatever it
        // is doing, while it serves.
        let storm = std::thread::spawn(move || {
            for _ in 0..10_000 {
                // SAFETY: the loop's thread outlives the storm: the loop
                // awaits the storm's end below before it returns.
                unsafe { libc::pthread_kill(loop_thread, signal.as_raw()) };
            }
        });
        let mut round_trips = 0;
        while !storm.is_finished() || round_trips < 100 {
            writer.write(b"ping\n")?;
            let echo = reader.readline().await?;
            assert_eq!(echo, b"ping\n");
            round_trips += 1;
        }
        storm.join().unwrap();
        writer.close();
        server.close();
        Ok::<_, Box<dyn std::error::Error>>(round_trips)
    });
    assert!(served.unwrap().unwrap() >= 100);
    settle(&event_loop);
    let during = calls.get();
    assert!((1..=10_000).contains(&during), "{during} callbacks");
    signal.raise().unwrap();
    settle(&event_loop);
    assert_eq!(calls.get(), during + 1, "still handling after the storm");
    event_loop.close().unwrap();
}
