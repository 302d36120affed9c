//! The loop's trace (chapter 1): for small programs, the recorded events are
//! exactly what the loop did. Each test covers hooks that the others do not
//! all reach, so removing any hook fails at least one of them.

use aio::trace::{self, Event, Source, Trace};
use std::task::{Poll, Waker};
use std::time::Duration;

/// Runs `program` on a new virtual-clock loop, inside `trace::record`.
fn traced<F>(program: F) -> Trace
where
    F: Future + 'static,
    F::Output: 'static,
{
    let ((), trace) = trace::record(|| {
        let event_loop =
            aio::EventLoop::builder().virtual_clock().build().unwrap();
        event_loop.run_until_complete(program).unwrap();
        event_loop.close().unwrap();
    });
    trace
}

fn lines(trace: &Trace) -> Vec<String> {
    trace.to_string().lines().map(str::to_owned).collect()
}

fn show(trace: &Trace) {
    println!("{trace}");
}

// ANCHOR: sleeps
/// Tick 1 polls the task, which sets a timer; tick 2 jumps to 10 ms, the
/// timer fires and its callback wakes the task; tick 3 polls it to the end,
/// and its done callback (`run_until_complete`'s stop) runs in tick 4.
#[test]
fn a_task_that_sleeps() {
    let trace = traced(aio::sleep(Duration::from_millis(10)));
    show(&trace);
    assert_eq!(
        lines(&trace),
        [
            "  spawn Task-1 by outside",
            "tick 1 at 0 ms",
            "  poll Task-1",
            "  Task-1 pending",
            "tick 2 at 0 ms",
            "  timer fired at 10 ms: sleep",
            "  call sleep",
            "  wake Task-1 by timer sleep",
            "tick 3 at 10 ms",
            "  poll Task-1",
            "  Task-1 done",
            "tick 4 at 10 ms",
            "  call done callback",
        ]
    );
}
// ANCHOR_END: sleeps

/// A task spawns a child and awaits it: the child's end wakes its parent.
#[test]
fn a_task_woken_by_the_task_it_awaits() {
    let trace = traced(async {
        let child = aio::spawn(async { 7 }).unwrap();
        child.await.unwrap()
    });
    show(&trace);
    assert_eq!(
        lines(&trace),
        [
            "  spawn Task-1 by outside",
            "tick 1 at 0 ms",
            "  poll Task-1",
            "  spawn Task-2 by task Task-1",
            "  Task-1 pending",
            "tick 2 at 0 ms",
            "  poll Task-2",
            "  wake Task-1 by task Task-2",
            "  Task-2 done",
            "tick 3 at 0 ms",
            "  poll Task-1",
            "  Task-1 done",
            "tick 4 at 0 ms",
            "  call done callback",
        ]
    );
}

/// `call_soon` and `call_later` callbacks, named after the function they
/// were written in; the one from the timer queue wakes as a timer, and a
/// cancelled task's last poll ends `cancelled`.
#[test]
fn callbacks_and_timers_wake_tasks_and_cancel_them() {
    let trace = traced(async {
        let event_loop = aio::get_running_loop().unwrap();
        let promise: aio::Promise<()> = aio::Promise::new().unwrap();
        let setter = promise.clone();
        event_loop
            .call_later(Duration::from_millis(5), move || {
                setter.set_result(()).unwrap();
            })
            .unwrap();
        promise.await.unwrap();
        let sleeper = aio::spawn(aio::sleep(Duration::from_secs(1))).unwrap();
        let target = sleeper.as_task_ref();
        event_loop
            .call_soon(move || {
                target.cancel();
            })
            .unwrap();
        let _ = sleeper.await;
    });
    show(&trace);
    let callback = "closure in callbacks_and_timers_wake_tasks_and_cancel_them";
    let expected = [
        "  spawn Task-1 by outside",
        "tick 1 at 0 ms",
        "  poll Task-1",
        "  Task-1 pending",
        "tick 2 at 0 ms",
        "  timer fired at 5 ms: {callback}",
        "  call {callback}",
        "  wake Task-1 by timer {callback}",
        "tick 3 at 5 ms",
        "  poll Task-1",
        "  spawn Task-2 by task Task-1",
        "  Task-1 pending",
        "tick 4 at 5 ms",
        "  poll Task-2",
        "  Task-2 pending",
        "  call {callback}",
        "  wake Task-2 by callback {callback}",
        "tick 5 at 5 ms",
        "  poll Task-2",
        "  wake Task-1 by task Task-2",
        "  Task-2 cancelled",
        "tick 6 at 5 ms",
        "  poll Task-1",
        "  Task-1 done",
        "tick 7 at 5 ms",
        "  call done callback",
    ]
    .map(|line| line.replace("{callback}", callback));
    assert_eq!(lines(&trace), expected);
}

/// A future that, on its first poll, hands its waker to a new thread, which
/// gives it to `wake`; it is ready on its next poll.
fn woken_by_a_thread(
    wake: fn(Waker, aio::RemoteLoop),
) -> impl Future<Output = ()> {
    let mut handed_out = false;
    std::future::poll_fn(move |cx| {
        if handed_out {
            return Poll::Ready(());
        }
        handed_out = true;
        let waker = cx.waker().clone();
        let remote = aio::get_running_loop().unwrap().remote();
        std::thread::spawn(move || wake(waker, remote));
        Poll::Pending
    })
}

/// A wake from another thread arrives through the remote queue, and so does
/// a `call_soon_threadsafe` callback. Each thread pushes once, after the
/// task's poll stored its waker, and the loop takes the push in the tick
/// after: it has nothing else to do, so it waits in the poller for it.
#[test]
fn wakes_from_another_thread() {
    let trace = traced(async {
        woken_by_a_thread(|waker, _| waker.wake()).await;
        woken_by_a_thread(|waker, remote| {
            remote.call_soon_threadsafe(move || waker.wake()).unwrap();
        })
        .await;
    });
    show(&trace);
    assert_eq!(
        lines(&trace),
        [
            "  spawn Task-1 by outside",
            "tick 1 at 0 ms",
            "  poll Task-1",
            "  Task-1 pending",
            "tick 2 at 0 ms",
            "  wake Task-1 by another thread",
            "  poll Task-1",
            "  Task-1 pending",
            "tick 3 at 0 ms",
            "  call call_soon_threadsafe callback",
            "  wake Task-1 by callback call_soon_threadsafe callback",
            "tick 4 at 0 ms",
            "  poll Task-1",
            "  Task-1 done",
            "tick 5 at 0 ms",
            "  call done callback",
        ]
    );
}

/// A server and a client on localhost: the poller reports readiness, and
/// the tasks waiting for it are woken by I/O. How many events the kernel
/// reports, and when, may vary, so this checks what must be there.
#[test]
fn io_readiness_wakes_tasks() {
    let trace = traced(async {
        let server = aio::start_server(
            |reader: aio::StreamReader, writer: aio::StreamWriter| async move {
                let line = reader.read(16).await.unwrap();
                writer.write(&line).unwrap();
                writer.close();
            },
            "127.0.0.1",
            0,
        )
        .await
        .unwrap();
        let (reader, writer) =
            aio::open_connection("127.0.0.1", server.port()).await.unwrap();
        writer.write(b"hi").unwrap();
        let echo = reader.read(16).await.unwrap();
        assert_eq!(echo, b"hi");
        writer.close();
        server.close();
    });
    show(&trace);
    let events = trace.events();
    assert!(
        events.iter().any(|e| matches!(e, Event::IoReady { .. })),
        "the poller's events are recorded"
    );
    assert!(
        events.iter().any(|e| matches!(e, Event::Woken { by: Source::Io, .. })),
        "and the wakes they cause, as from I/O"
    );
}

/// Loops built outside `record` write nothing, and `record` nests: the inner
/// call sees only its own loops.
#[test]
fn only_loops_built_inside_record_are_recorded() {
    let outside = aio::EventLoop::builder().virtual_clock().build().unwrap();
    let (inner, outer) = trace::record(|| {
        outside.run_until_complete(async {}).unwrap();
        traced(async {})
    });
    outside.close().unwrap();
    assert!(outer.events().is_empty(), "{outer}");
    assert_eq!(
        lines(&inner),
        [
            "  spawn Task-1 by outside",
            "tick 1 at 0 ms",
            "  poll Task-1",
            "  Task-1 done",
            "tick 2 at 0 ms",
            "  call done callback",
        ]
    );
}

/// `with_clock` makes `EventLoop::new()` virtual on this thread only, for
/// the length of the call.
#[test]
fn with_clock_sets_the_default_clock_of_this_thread() {
    let time_after_an_hour = || {
        let event_loop = aio::EventLoop::new().unwrap();
        let started = std::time::Instant::now();
        event_loop
            .run_until_complete(aio::sleep(Duration::from_secs(3600)))
            .unwrap();
        event_loop.close().unwrap();
        started.elapsed()
    };
    let took = aio::with_clock(aio::ClockKind::Virtual, time_after_an_hour);
    assert!(took < Duration::from_secs(600), "virtual time takes no time");
    let default = aio::EventLoop::new().unwrap();
    let is_virtual = format!("{default:?}").contains("virtual_clock: true");
    assert_eq!(
        is_virtual,
        aio::ClockKind::from_env() == aio::ClockKind::Virtual
    );
    default.close().unwrap();
}
