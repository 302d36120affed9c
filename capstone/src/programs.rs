//! The book's example programs, written once for any [`Runtime`].
//!
//! Each is a port of a program that chapters 1, 2, 4 and 5 run on aio,
//! or a small program that shows one rule of the trait. Each returns its
//! event log, one line per event stamped with the runtime's virtual time
//! (`"0.100 s: callback 2"`), so that two runtimes can be compared
//! line by line. They are grouped as the grader is: the ready queue and the
//! tick, timers and the clock, tasks, and chapter 5's control structures.

use crate::Runtime;
use crate::control::{ReturnWhen, gather, wait};
use std::cell::{Cell, RefCell};
use std::fmt::Display;
use std::future::{Future, poll_fn};
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

// ANCHOR: log
/// What a program did, in order: lines stamped with the runtime's clock.
#[derive(Clone)]
pub struct Log {
    lines: Rc<RefCell<Vec<String>>>,
    now: fn() -> Duration,
}

impl Log {
    /// An empty log that reads `R`'s clock.
    pub fn new<R: Runtime>() -> Log {
        Log { lines: Rc::default(), now: R::now }
    }

    /// Writes down `event`, at the runtime's current time.
    pub fn say(&self, event: impl Display) {
        let now = (self.now)().as_secs_f64();
        self.lines.borrow_mut().push(format!("{now:.3} s: {event}"));
    }

    /// A callback that writes down `event` when it runs.
    pub fn callback(&self, event: &'static str) -> impl FnOnce() + 'static {
        let log = self.clone();
        move || log.say(event)
    }

    /// Everything written so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.borrow().clone()
    }
}

/// Runs the future that `main` makes on a new `R`, and returns its log.
fn run<R, F>(main: impl FnOnce(Log) -> F) -> Vec<String>
where
    R: Runtime,
    F: Future<Output = ()> + 'static,
{
    let log = Log::new::<R>();
    let mut runtime = R::new();
    runtime.block_on(main(log.clone()));
    log.lines()
}
// ANCHOR_END: log

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log").field("lines", &self.lines.borrow()).finish()
    }
}

/// Chapter 1's `yield_now`: the task wakes itself, so it goes to the back of
/// the ready queue, and its next poll goes on. It needs no runtime at all.
fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    poll_fn(move |cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}

/// A bell that callbacks ring and a task waits on, counting the rings. Each
/// ring wakes the waiting task, whether or not it is already queued.
#[derive(Clone, Default)]
struct Bell {
    rings: Rc<Cell<u32>>,
    waiter: Rc<RefCell<Option<Waker>>>,
}

impl Bell {
    fn ring(&self) {
        self.rings.set(self.rings.get() + 1);
        if let Some(waker) = &*self.waiter.borrow() {
            waker.wake_by_ref();
        }
    }

    /// Waits until the bell has rung `rings` times, logging every poll.
    async fn until(&self, rings: u32, log: &Log) {
        poll_fn(|cx| {
            let rung = self.rings.get();
            log.say(format_args!("main polls (rings: {rung})"));
            if rung >= rings {
                return Poll::Ready(());
            }
            *self.waiter.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await;
    }
}

// --- The ready queue and the tick (chapters 1 and 2) ---

async fn phase1(log: &Log) -> &'static str {
    log.say("in phase1");
    "result1"
}

async fn phase2(log: &Log, arg: &str) -> String {
    log.say("in phase2");
    format!("result2 derived from {arg}")
}

/// Chapter 1's `coroutine_chain`: `outer` awaits `phase1`, then `phase2`.
/// Awaiting a future that is ready runs it inline: no scheduling at all.
pub fn coroutine_chain<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("in outer");
        log.say("waiting for result1");
        let result1 = phase1(&log).await;
        log.say("waiting for result2");
        let result2 = phase2(&log, result1).await;
        log.say(format_args!("return value: {:?}", (result1, result2)));
    })
}

/// Chapter 2's `call_soon`: two callbacks queued by `main` run in the next
/// tick, in the order they were queued. (Chapter 2's `main` sleeps; here it
/// yields, which queues it behind them, and needs no timer.)
pub fn call_soon<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("registering callbacks");
        R::call_soon(log.callback("callback invoked with 1 and default"));
        R::call_soon(log.callback("callback invoked with 2 and not default"));
        yield_now().await;
        log.say("main resumes, behind both callbacks");
    })
}

// ANCHOR: wakes_join_the_back
/// A wake puts the task at the back of the ready queue, once however many
/// times it is woken: `y`, queued before `main` woke, runs before it, and
/// two rings in a row give one poll.
pub fn wakes_join_the_back<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let bell = Bell::default();
        let (x_log, x_bell) = (log.clone(), bell.clone());
        R::call_soon(move || {
            x_log.say("x rings twice");
            x_bell.ring();
            x_bell.ring();
            let (z_log, z_bell) = (x_log.clone(), x_bell.clone());
            R::call_soon(move || {
                z_log.say("z rings");
                z_bell.ring();
            });
        });
        R::call_soon(log.callback("y, queued before main woke"));
        bell.until(3, &log).await;
        log.say("main heard three rings");
    })
}
// ANCHOR_END: wakes_join_the_back

/// The tick in which `main` finishes runs to its end, and then `block_on`
/// returns: `z`, queued behind `main`, runs; `w`, which `z` queues for the
/// next tick, never does.
pub fn main_finishes_its_tick<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let bell = Bell::default();
        let (x_log, x_bell) = (log.clone(), bell.clone());
        R::call_soon(move || {
            x_log.say("x rings, then queues z");
            x_bell.ring();
            let z_log = x_log.clone();
            R::call_soon(move || {
                z_log.say("z, queued behind main, runs in main's last tick");
                R::call_soon(z_log.callback("w, queued for later: never runs"));
            });
        });
        bell.until(1, &log).await;
        log.say("main finishes");
    })
}

// --- Timers and the virtual clock (chapter 2) ---

/// Chapter 2's `call_later`: "soon" beats every timer, and timers fire by
/// deadline, not in the order they were set.
pub fn call_later<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("registering callbacks");
        R::call_later(Duration::from_millis(200), log.callback("callback 1"));
        R::call_later(Duration::from_millis(100), log.callback("callback 2"));
        R::call_soon(log.callback("callback 3"));
        R::sleep(Duration::from_millis(400)).await;
        log.say("main wakes from its sleep");
    })
}

/// Timers with equal deadlines fire in the order they were set, even when
/// one was set later for a shorter delay (chapter 2's `call_at`).
pub fn equal_deadlines<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let tenth = Duration::from_millis(100);
        R::call_later(tenth, log.callback("a, set at 0 s for 0.1 s"));
        R::call_later(tenth, log.callback("b, set at 0 s for 0.1 s"));
        let setter = log.clone();
        R::call_later(tenth / 2, move || {
            setter.say("setting c for 0.05 s from now");
            R::call_later(tenth / 2, setter.callback("c, set at 0.05 s"));
        });
        R::sleep(tenth).await;
        log.say("main, whose sleep was set before c, runs after c");
    })
}

// ANCHOR: tick_boundaries
/// A tick runs only what was ready when it began, and due timers join the
/// queue behind it: each `x` queues the next `x` and a zero-delay timer, and
/// each timer runs one tick after it was set, behind the next `x`.
pub fn tick_boundaries<R: Runtime>() -> Vec<String> {
    fn step<R: Runtime>(log: Log, n: u32) {
        log.say(format_args!("x{n}"));
        let timer_log = log.clone();
        R::call_later(Duration::ZERO, move || {
            timer_log.say(format_args!("t{n}"))
        });
        if n < 3 {
            R::call_soon(move || step::<R>(log, n + 1));
        }
    }
    run::<R, _>(|log| async move {
        let first = log.clone();
        R::call_soon(move || step::<R>(first, 1));
        R::sleep(Duration::from_millis(10)).await;
        log.say("main done");
    })
}
// ANCHOR_END: tick_boundaries

/// `sleep(ZERO)` sets no timer: it yields, straight to the back of the
/// queue, ahead of `b`, which `a` queues in the next tick. (A zero-delay
/// timer would join the queue only at that tick's start, behind `b`.)
pub fn sleep_zero_yields<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let a_log = log.clone();
        R::call_soon(move || {
            a_log.say("a, which queues b");
            R::call_soon(a_log.callback("b"));
        });
        R::sleep(Duration::ZERO).await;
        log.say("main, back from sleep(ZERO)");
        yield_now().await;
        log.say("main done");
    })
}

/// The virtual clock: a sleep counts from its first poll, time stands still
/// while work is ready (so a timer never fires early), and an hour's sleep
/// ends at once, at exactly an hour.
pub fn virtual_clock<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let nap = R::sleep(Duration::from_secs(1));
        log.say("made a 1 s sleep; sleeping 0.5 s first");
        R::sleep(Duration::from_millis(500)).await;
        log.say("awaiting the 1 s sleep");
        nap.await;
        log.say("the 1 s sleep ended, 1 s after it was first polled");
        R::call_later(Duration::from_millis(1), log.callback("the 1 ms timer"));
        for turn in 1..=3 {
            yield_now().await;
            log.say(format_args!("busy turn {turn}: the clock stands still"));
        }
        R::sleep(Duration::from_secs(3600)).await;
        log.say("slept an hour");
    })
}

// --- Tasks (chapters 1 and 4) ---

async fn counter(log: Log, name: &'static str) {
    for step in 0..3 {
        log.say(format_args!("{name} {step}"));
        yield_now().await;
    }
}

/// Chapter 1's first cut: two tasks that yield take turns.
pub fn tasks_take_turns<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let a = R::spawn(counter(log.clone(), "a"));
        let b = R::spawn(counter(log.clone(), "b"));
        log.say("main spawned a and b");
        a.await;
        b.await;
        log.say("main saw both finish");
    })
}

/// Chapter 4's `create_task`: a new task does not run until its creator
/// yields, and awaiting it gives its result.
pub fn create_task<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("creating task");
        let task_log = log.clone();
        let task = R::spawn(async move {
            task_log.say("in task_func");
            "the result"
        });
        log.say("waiting for the task");
        let return_value = task.await;
        log.say("task completed");
        log.say(format_args!("return value: {return_value:?}"));
    })
}

async fn inner<R: Runtime>(log: &Log, task: R::JoinHandle<&'static str>) {
    log.say("inner: starting");
    log.say("inner: waiting for the task");
    let result = task.await;
    log.say(format_args!("inner: task returned {result:?}"));
}

/// Chapter 4's `ensure_future`: a task made in `starter` and awaited in
/// `inner` runs only once `inner` waits for it.
pub fn ensure_future<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("starter: creating task");
        let wrapped_log = log.clone();
        let task = R::spawn(async move {
            wrapped_log.say("wrapped");
            "result"
        });
        log.say("starter: waiting for inner");
        inner::<R>(&log, task).await;
        log.say("starter: inner returned");
    })
}

/// `spawn` queues a task's first step just as `call_soon` queues a
/// callback, so they run in the order they were made, and a task spawned by
/// a task runs behind everything queued before it.
pub fn spawn_order<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let first_log = log.clone();
        let first = R::spawn(async move {
            first_log.say("task 1, which spawns task 3 and awaits it");
            let third_log = first_log.clone();
            R::spawn(async move { third_log.say("task 3") }).await;
        });
        R::call_soon(log.callback("the callback queued between them"));
        let second_log = log.clone();
        let second = R::spawn(async move { second_log.say("task 2") });
        first.await;
        second.await;
        log.say("main saw all three finish");
    })
}

/// A task that finishes wakes its awaiter, which goes to the back of the
/// queue: a callback the task queued as it finished runs first. A task that
/// finished before it is awaited gives its output at once.
pub fn join_wakes_the_awaiter<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let quick = R::spawn(async { "quick result" });
        let task_log = log.clone();
        let slow = R::spawn(async move {
            R::sleep(Duration::from_millis(100)).await;
            task_log.say("slow task queues a callback and finishes");
            R::call_soon(task_log.callback("the callback it queued"));
            42
        });
        let answer = slow.await;
        log.say(format_args!("main got {answer}"));
        let quick = quick.await;
        log.say(format_args!("main got {quick:?}, which was waiting"));
    })
}

/// Dropping a handle detaches the task: it runs on.
pub fn detached_task<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let task_log = log.clone();
        drop(R::spawn(async move {
            R::sleep(Duration::from_millis(50)).await;
            task_log.say("the detached task runs on");
        }));
        log.say("main dropped the task's handle");
        R::sleep(Duration::from_millis(100)).await;
        log.say("main done");
    })
}

// --- Control structures (chapter 5) ---

/// Chapter 5's `phase(i)`: sleeps `delay`, and returns its result.
async fn phase<R: Runtime>(log: Log, i: u64, delay: Duration) -> String {
    log.say(format_args!("in phase {i}"));
    R::sleep(delay).await;
    log.say(format_args!("done with phase {i}"));
    format!("phase {i} result")
}

/// Phases `range`, phase `i` sleeping `i` tenths of a second, as tasks.
fn spawn_phases<R: Runtime>(
    log: &Log,
    range: std::ops::Range<u64>,
) -> Vec<R::JoinHandle<String>> {
    let tenths = |i| Duration::from_millis(100 * i);
    range.map(|i| R::spawn(phase::<R>(log.clone(), i, tenths(i)))).collect()
}

/// Chapter 5's `gather`: phase 1 sleeps 2 s and phase 2 sleeps 1 s; phase 2
/// finishes first, yet the results come in argument order, after 2 s.
pub fn gather_phases<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("starting main");
        log.say("waiting for phases to complete");
        let phases = [(1, 2), (2, 1)].map(|(i, seconds)| {
            phase::<R>(log.clone(), i, Duration::from_secs(seconds))
        });
        let results = gather::<R, _>(phases).await;
        log.say(format_args!("results: {results:?}"));
    })
}

/// Chapter 5's `wait`: three phases, all awaited; they finish in order of
/// their sleeps.
pub fn wait_all<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("starting main");
        let phases = spawn_phases::<R>(&log, 0..3);
        log.say("waiting for phases to complete");
        let (results, _) =
            wait::<R, _>(phases, None, ReturnWhen::AllCompleted).await;
        log.say(format_args!("results: {results:?}"));
    })
}

/// `wait` with `FirstCompleted` returns as soon as one phase is done; the
/// others are still running, and their handles can be awaited later.
pub fn wait_first_completed<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        let phases = spawn_phases::<R>(&log, 1..4);
        let first = ReturnWhen::FirstCompleted;
        let (done, pending) = wait::<R, _>(phases, None, first).await;
        log.say(format_args!("{done:?} done, {} pending", pending.len()));
        for task in pending {
            let result = task.await;
            log.say(format_args!("then {result:?}"));
        }
    })
}

/// Chapter 5's `wait_timeout`: with a 0.1 s timeout only phase 0 is done.
/// Phase 1's timer is due at the same time as the timeout, but was set
/// after it, so `wait` has returned by the time phase 1 finishes.
pub fn wait_timeout<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("starting main");
        let phases = spawn_phases::<R>(&log, 0..3);
        log.say("waiting 0.1 for phases to complete");
        let timeout = Some(Duration::from_millis(100));
        let all = ReturnWhen::AllCompleted;
        let (done, pending) = wait::<R, _>(phases, timeout, all).await;
        log.say(format_args!(
            "{} completed and {} pending",
            done.len(),
            pending.len()
        ));
        for task in pending {
            let result = task.await;
            log.say(format_args!("a pending phase finished: {result:?}"));
        }
    })
}

/// Chapter 5's `as_completed`, as a loop of `wait(FirstCompleted)`: phase
/// `i` sleeps 0.5 - 0.1·i s, and each answer is taken as it comes.
pub fn as_completed<R: Runtime>() -> Vec<String> {
    run::<R, _>(|log| async move {
        log.say("starting main");
        let mut pending: Vec<_> = (0..3)
            .map(|i| {
                let delay = Duration::from_millis(500 - 100 * i);
                R::spawn(phase::<R>(log.clone(), i, delay))
            })
            .collect();
        log.say("waiting for phases to complete");
        let mut results = Vec::new();
        while !pending.is_empty() {
            let first = ReturnWhen::FirstCompleted;
            let (answers, rest) = wait::<R, _>(pending, None, first).await;
            for answer in answers {
                log.say(format_args!("received answer {answer:?}"));
                results.push(answer);
            }
            pending = rest;
        }
        log.say(format_args!("results: {results:?}"));
    })
}
