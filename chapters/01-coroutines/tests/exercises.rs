//! The graders of chapter 1's exercises, one module per exercise.
//!
//! `cargo test -p ch01-coroutines --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod pending_once {
    use super::grading::{CountingWaker, virtual_loop};
    use aio::trace::{Event, Outcome, Source};
    use ch01_coroutines::exercises::pending_once::pending_once;
    use std::pin::pin;
    use std::task::Poll;
    use std::time::Duration;

    #[test]
    fn the_first_poll_wakes_its_task_and_is_pending_the_second_is_ready() {
        let waker = CountingWaker::new();
        let mut future = pin!(pending_once());
        assert!(
            waker.poll(future.as_mut()).is_pending(),
            "the first poll returned Ready: it must return Pending once"
        );
        assert_eq!(
            waker.wakes(),
            1,
            "the first poll must wake the task exactly once before it \
             returns Pending, or nothing will ever poll it again"
        );
        assert_eq!(
            waker.poll(future.as_mut()),
            Poll::Ready(()),
            "the second poll must return Ready"
        );
        assert_eq!(waker.wakes(), 1, "the second poll must not wake again");
    }

    #[test]
    fn on_a_loop_the_task_wakes_itself_and_runs_again_in_the_next_tick() {
        let (outcome, trace) = aio::trace::record(|| {
            let event_loop = virtual_loop();
            // The timeout only guards against a future that never wakes.
            let guarded = aio::wait_for(pending_once(), Duration::from_secs(1));
            event_loop.run_until_complete(guarded)
        });
        let outcome = outcome.expect("the loop ran");
        assert!(
            outcome.is_ok(),
            "the future timed out: it returned Pending without waking its \
             task, so the loop had nothing left to run"
        );
        let polls: Vec<(u64, Outcome)> = polls_by_tick(trace.events());
        let ticks: Vec<u64> = polls.iter().map(|(tick, _)| *tick).collect();
        let outcomes: Vec<Outcome> = polls.iter().map(|(_, o)| *o).collect();
        assert_eq!(
            outcomes,
            [Outcome::Pending, Outcome::Done],
            "the task should be polled twice: Pending, then Done"
        );
        assert_eq!(
            ticks[1],
            ticks[0] + 1,
            "a task that wakes itself goes to the back of the ready queue, \
             and runs again in the next tick"
        );
        let woke_itself = trace.events().iter().any(|event| {
            matches!(event, Event::Woken { task, by: Source::Task(by) }
                if task == by)
        });
        assert!(woke_itself, "the task must be woken by itself (its poll)");
    }

    /// The tick of each poll's end, and how it ended.
    fn polls_by_tick(events: &[Event]) -> Vec<(u64, Outcome)> {
        let mut tick = 0;
        let mut polls = Vec::new();
        for event in events {
            match event {
                Event::Tick { number, .. } => tick = *number,
                Event::PollEnded { outcome, .. } => {
                    polls.push((tick, *outcome))
                }
                _ => {}
            }
        }
        polls
    }
}

mod on_thread {
    use super::grading::real_loop;
    use aio::trace::{Event, Source};
    use ch01_coroutines::exercises::on_thread::on_thread;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    /// Long enough for any thread to start and answer: only a hang guard.
    const GUARD: Duration = Duration::from_secs(3);

    #[test]
    fn it_finishes_with_what_the_work_returns() {
        let event_loop = real_loop();
        let outcome = event_loop
            .run_until_complete(aio::wait_for(on_thread(|| 6 * 7), GUARD));
        let answer = outcome.expect("the loop ran");
        assert_eq!(
            answer.ok(),
            Some(42),
            "awaiting on_thread(|| 6 * 7) must give 42 (a timeout means the \
             future was never woken after the thread stored the result)"
        );
    }

    #[test]
    fn the_work_runs_on_another_thread_which_wakes_the_task() {
        let loop_thread = thread::current().id();
        let (outcome, trace) = aio::trace::record(|| {
            let event_loop = real_loop();
            let work = on_thread(|| thread::current().id());
            event_loop.run_until_complete(aio::wait_for(work, GUARD))
        });
        let worker = outcome.expect("the loop ran");
        let worker = worker.expect("the future finished before the guard");
        assert_ne!(worker, loop_thread, "the work ran on the loop's thread");
        let from_thread = trace.events().iter().any(|event| {
            matches!(event, Event::Woken { by: Source::Thread, .. })
        });
        assert!(
            from_thread,
            "the task was never woken from another thread: the worker thread \
             must wake the waker it found (the loop's remote path)"
        );
    }

    #[test]
    fn the_loop_runs_other_tasks_while_the_work_runs() {
        let event_loop = real_loop();
        let outcome = event_loop.run_until_complete(async {
            let (send, receive) = mpsc::channel();
            // The work can finish only once a task on the loop has run.
            let work = on_thread(move || receive.recv_timeout(GUARD).ok());
            let other = aio::spawn(async move {
                aio::sleep(Duration::ZERO).await;
                send.send("from the loop").expect("the work waits");
            })?;
            let got = aio::wait_for(work, GUARD).await?;
            other.await?;
            Ok::<_, aio::Error>(got)
        });
        let got = outcome.expect("the loop ran");
        assert_eq!(
            got.ok(),
            Some(Some("from the loop")),
            "the work never heard from the other task: a poll must not wait \
             for the thread, or the loop's thread runs nothing else meanwhile"
        );
    }
}

mod tick_count {
    use super::grading::virtual_loop;
    use aio::trace::Event;
    use ch01_coroutines::exercises::tick_count::count_ticks;
    use std::future::Future;
    use std::time::Duration;

    /// A future that gives way `times` times, then returns `times`.
    async fn gives_way(times: u32) -> u32 {
        for _ in 0..times {
            aio::sleep(Duration::ZERO).await;
        }
        times
    }

    /// Counts the ticks of a run with `count_ticks`, and with aio's trace.
    fn counted<F: Future + 'static>(future: F) -> (F::Output, u64, u64) {
        let (outcome, trace) = aio::trace::record(|| {
            let event_loop = virtual_loop();
            count_ticks(&event_loop, future)
        });
        let (output, counted) = outcome.expect("count_ticks ran the future");
        (output, counted, ticks_in(trace.events()))
    }

    fn ticks_in(events: &[Event]) -> u64 {
        events.iter().filter(|e| matches!(e, Event::Tick { .. })).count() as u64
    }

    #[test]
    fn a_future_that_never_waits_takes_as_many_ticks_as_the_trace_says() {
        let (output, counted, traced) = counted(async { "done" });
        assert_eq!(output, "done", "count_ticks must return the output");
        assert_eq!(
            counted, traced,
            "the loop ran {traced} ticks (the task's poll, then the stop \
             callback), but count_ticks counted {counted}"
        );
    }

    #[test]
    fn each_time_the_future_gives_way_is_one_more_tick() {
        for times in [1, 5, 20] {
            let (output, counted, traced) = counted(gives_way(times));
            assert_eq!(output, times);
            assert_eq!(
                counted, traced,
                "a future that gives way {times} times: the loop ran \
                 {traced} ticks, count_ticks counted {counted}; the callback \
                 must queue itself again each time it runs, once per tick"
            );
        }
    }

    #[test]
    fn the_counting_stops_when_the_future_is_done() {
        let ((first, second), trace) = aio::trace::record(|| {
            let event_loop = virtual_loop();
            let first = count_ticks(&event_loop, gives_way(3));
            let second = event_loop.run_until_complete(gives_way(3));
            (first, second)
        });
        let (_, counted) = first.expect("count_ticks ran the future");
        second.expect("the second run");
        let callbacks: Vec<&String> = trace
            .events()
            .iter()
            .filter_map(|event| match event {
                Event::CallbackRun { callback } => Some(callback),
                _ => None,
            })
            .collect();
        // Without the counter, each run has one callback: its stop.
        let (_, fresh) = aio::trace::record(|| {
            let event_loop = virtual_loop();
            event_loop.run_until_complete(gives_way(3))
        });
        let stops = fresh
            .events()
            .iter()
            .filter(|e| matches!(e, Event::CallbackRun { .. }))
            .count();
        assert_eq!(stops, 1, "a run's one callback is its stop");
        assert!(counted > 0, "count_ticks counted no ticks at all");
        assert_eq!(
            callbacks.len() as u64,
            counted + 2,
            "the counter ran after count_ticks returned (callbacks seen: \
             {callbacks:?}): cancel the handle of the one still queued"
        );
    }
}

mod scoped {
    use super::grading::virtual_loop;
    use ch01_coroutines::exercises::scoped::Scoped;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    /// A task body that sleeps `seconds`, then marks `finished`.
    async fn sleeps_then_marks(seconds: u64, finished: Rc<Cell<bool>>) {
        aio::sleep(Duration::from_secs(seconds)).await;
        finished.set(true);
    }

    #[test]
    fn awaiting_a_scoped_task_gives_its_result() {
        let event_loop = virtual_loop();
        let outcome = event_loop.run_until_complete(async {
            let task = aio::spawn(async {
                aio::sleep(Duration::from_secs(1)).await;
                7
            })?;
            // The timeout only guards against a poll that never wakes.
            aio::wait_for(Scoped::new(task), Duration::from_secs(5)).await
        });
        let result = outcome.expect("the loop ran");
        let result = result.expect("the Scoped finished within 5 s");
        assert_eq!(
            result.ok(),
            Some(7),
            "awaiting a Scoped must give what awaiting its task gives"
        );
    }

    #[test]
    fn dropping_a_scoped_cancels_its_task_dropping_a_task_does_not() {
        let event_loop = virtual_loop();
        let plain_finished = Rc::new(Cell::new(false));
        let scoped_finished = Rc::new(Cell::new(false));
        let (plain_done, scoped_done) =
            (plain_finished.clone(), scoped_finished.clone());
        let outcome = event_loop.run_until_complete(async move {
            let plain = aio::spawn(sleeps_then_marks(1, plain_done))?;
            let scoped = aio::spawn(sleeps_then_marks(1, scoped_done))?;
            let watch = scoped.as_task_ref();
            let scoped = Scoped::new(scoped);
            drop(plain);
            drop(scoped);
            aio::sleep(Duration::from_secs(2)).await;
            Ok::<_, aio::Error>(watch.cancelled())
        });
        let cancelled = outcome.expect("the loop ran").expect("spawned");
        assert!(plain_finished.get(), "a dropped aio::Task runs on");
        assert!(
            !scoped_finished.get() && cancelled,
            "the task of a dropped Scoped ran on: Drop must cancel it"
        );
    }

    #[test]
    fn a_detached_task_runs_on() {
        let event_loop = virtual_loop();
        let finished = Rc::new(Cell::new(false));
        let done = finished.clone();
        let outcome = event_loop.run_until_complete(async move {
            let scoped = Scoped::new(aio::spawn(sleeps_then_marks(1, done))?);
            drop(scoped.detach());
            aio::sleep(Duration::from_secs(2)).await;
            Ok::<_, aio::Error>(())
        });
        outcome.expect("the loop ran").expect("spawned");
        assert!(
            finished.get(),
            "a detached task was cancelled: detach must hand the task back \
             without cancelling it, and the Drop that follows must not either"
        );
    }
}

mod tiny_loop {
    use super::grading::{Journal, virtual_loop, yield_now};
    use aio::trace::Event;
    use ch01_coroutines::exercises::tiny_loop::TinyLoop;
    use std::cell::RefCell;
    use std::future::{Future, poll_fn};
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    /// Says each step, and gives way after it; returns how many it took.
    async fn worker(log: Journal, name: &'static str, steps: u32) -> u32 {
        for step in 0..steps {
            log.log(format!("{name} step {step}"));
            yield_now().await;
        }
        log.log(format!("{name} done"));
        steps
    }

    /// How many ticks aio's loop ran for `program`, and its output.
    fn on_aio<T: 'static>(
        program: impl Future<Output = T> + 'static,
    ) -> (T, u64) {
        let (output, trace) = aio::trace::record(|| {
            virtual_loop().run_until_complete(program).expect("aio ran it")
        });
        let ticks =
            trace.events().iter().filter(|e| matches!(e, Event::Tick { .. }));
        (output, ticks.count() as u64)
    }

    #[test]
    fn tasks_take_turns_tick_by_tick_as_on_aio() {
        let aio_log = Journal::default();
        let log = aio_log.clone();
        let (aio_sum, aio_ticks) = on_aio(async move {
            let a = aio::spawn(worker(log.clone(), "a", 3)).unwrap();
            let b = aio::spawn(worker(log.clone(), "b", 1)).unwrap();
            log.log("main spawned a and b");
            let (a, b) = (a.await.unwrap(), b.await.unwrap());
            log.log("main joined both");
            a + b
        });

        let tiny = TinyLoop::new();
        let tiny_log = Journal::default();
        let (spawner, log) = (tiny.clone(), tiny_log.clone());
        let sum = tiny.block_on(async move {
            let a = spawner.spawn(worker(log.clone(), "a", 3));
            let b = spawner.spawn(worker(log.clone(), "b", 1));
            log.log("main spawned a and b");
            let (a, b) = (a.await, b.await);
            log.log("main joined both");
            a + b
        });
        assert_eq!(
            sum,
            Some(aio_sum),
            "block_on must return main's output once main is done"
        );
        assert_eq!(
            tiny_log.entries(),
            aio_log.entries(),
            "the tasks ran in another order than on aio: a spawned task \
             joins the back of the queue, and so does a woken one"
        );
        assert_eq!(
            tiny.ticks(),
            aio_ticks - 1,
            "aio ran {aio_ticks} ticks, one of them for the callback that \
             stops run_until_complete, so TinyLoop should run {}: each tick \
             polls only the tasks queued when it began",
            aio_ticks - 1
        );
    }

    /// What the burst program shares: the sleeper's waker, whether it may
    /// finish, and how often it was polled.
    #[derive(Default)]
    struct Burst {
        waker: Option<Waker>,
        may_finish: bool,
        polls: u32,
    }

    /// A task that waits until `may_finish`, counting its polls.
    fn sleeper(burst: Rc<RefCell<Burst>>) -> impl Future<Output = ()> {
        poll_fn(move |cx| {
            let mut burst = burst.borrow_mut();
            burst.polls += 1;
            if burst.may_finish {
                return Poll::Ready(());
            }
            burst.waker = Some(cx.waker().clone());
            Poll::Pending
        })
    }

    /// Wakes the sleeper three times at once, gives way, then lets it go.
    async fn wakes_in_bursts(burst: Rc<RefCell<Burst>>) {
        yield_now().await;
        let waker = burst.borrow().waker.clone().expect("the sleeper waits");
        for _ in 0..3 {
            waker.wake_by_ref();
        }
        yield_now().await;
        yield_now().await;
        burst.borrow_mut().may_finish = true;
        waker.wake();
    }

    #[test]
    fn a_task_woken_three_times_before_it_runs_is_polled_once() {
        let aio_burst = Rc::new(RefCell::new(Burst::default()));
        let burst = aio_burst.clone();
        let (_, aio_ticks) = on_aio(async move {
            let s = aio::spawn(sleeper(burst.clone())).unwrap();
            let w = aio::spawn(wakes_in_bursts(burst)).unwrap();
            let _ = (s.await, w.await);
        });

        let tiny = TinyLoop::new();
        let tiny_burst = Rc::new(RefCell::new(Burst::default()));
        let (spawner, burst) = (tiny.clone(), tiny_burst.clone());
        let finished = tiny.block_on(async move {
            let s = spawner.spawn(sleeper(burst.clone()));
            let w = spawner.spawn(wakes_in_bursts(burst));
            s.await;
            w.await;
        });
        assert_eq!(finished, Some(()), "the program must finish");
        let (polls, aio_polls) =
            (tiny_burst.borrow().polls, aio_burst.borrow().polls);
        assert_eq!(
            polls, aio_polls,
            "aio polled the sleeper {aio_polls} times, TinyLoop {polls}: a \
             task already queued must not be queued again (aio's \
             `scheduled` flag)"
        );
        assert_eq!(tiny.ticks(), aio_ticks - 1, "ticks, as on aio, less one");
    }

    #[test]
    fn a_main_that_nothing_can_wake_ends_the_loop_with_none() {
        let tiny = TinyLoop::new();
        assert_eq!(
            tiny.block_on(async { 5 }),
            Some(5),
            "a main that never waits finishes in the first tick"
        );
        assert_eq!(tiny.ticks(), 1, "one tick: main's only poll");
        let spawner = tiny.clone();
        let stuck = tiny.block_on(async move {
            // A task that waits for a wake nobody will send.
            let never = spawner.spawn(poll_fn(|_| Poll::<()>::Pending));
            never.await;
            "woken"
        });
        assert_eq!(
            stuck, None,
            "the queue ran dry with main still waiting: block_on must give \
             up and return None"
        );
    }
}

/// What the graders share: [`shared_grading`]'s loops (each closed when
/// dropped), waker and journal, and a yield.
mod grading {
    use crate::shared_grading::ClosingLoop;
    pub use crate::shared_grading::{CountingWaker, Journal};

    /// A loop on the virtual clock, closed when dropped: timers fire at
    /// once, in order.
    pub fn virtual_loop() -> ClosingLoop {
        ClosingLoop::virtual_clock()
    }

    /// A loop on the real clock, closed when dropped, for work done by real
    /// threads.
    pub fn real_loop() -> ClosingLoop {
        ClosingLoop::real_clock()
    }

    /// Gives way once: wakes its own task and returns `Pending`, the same
    /// on any loop.
    pub fn yield_now() -> impl std::future::Future<Output = ()> {
        let mut yielded = false;
        std::future::poll_fn(move |cx| {
            if yielded {
                return std::task::Poll::Ready(());
            }
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        })
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
