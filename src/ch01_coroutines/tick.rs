//! Chapter 1 (coroutines): the tick, one turn of the loop.
//!
//! Each tick does what asyncio's `BaseEventLoop._run_once` does: sleep in the
//! poller until something can happen, move due timers to the ready queue,
//! then run exactly the items that were ready when the tick began. The
//! [`LoopCore`] holds what a tick works through; the loop that owns it
//! (`event_loop.rs`) decides when to tick.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::clock::Clock;
use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{Arc, TaskArc};
use crate::ch01_coroutines::poller::Poller;
use crate::ch01_coroutines::ready_queue::{
    Callback, NamedCallback, Ready, ReadyQueue,
};
use crate::ch01_coroutines::remote::{LoopShared, RemoteItem};
use crate::ch01_coroutines::seam::Runnable;
use crate::ch01_coroutines::timers::TimerQueue;
use crate::ch01_coroutines::trace::Recorder;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::task::Waker;
use std::time::{Duration, Instant};

/// While tasks are ready, the poller is asked for events once every this many
/// ticks.
const POLL_INTERVAL: u32 = 61;

// ANCHOR: loop_core
/// What a tick works through: the queues, the clock and the poller.
pub(crate) struct LoopCore {
    /// Work for the coming ticks.
    pub(crate) ready: ReadyQueue,
    /// Callbacks waiting for their deadline.
    pub(crate) timers: TimerQueue,
    /// Loop time, real or virtual.
    pub(crate) clock: Clock,
    /// Where the loop sleeps, and learns of I/O.
    pub(crate) poller: Poller,
    /// What other threads may touch: the remote queue and the poller's waker.
    pub(crate) shared: Arc<LoopShared>,
    /// Ticks run since the poller was last asked for events.
    ticks_without_poll: Cell<u32>,
    /// Tasks that gave way for fairness: woken once the poller has been asked
    /// for events, behind every task that I/O woke.
    deferred: RefCell<Vec<Waker>>,
    /// Where the loop writes down what it does, when asked to (`trace.rs`).
    pub(crate) trace: Option<Rc<Recorder>>,
    /// Who times each step, in debug mode (chapter 14).
    pub(crate) watch: RefCell<Option<Rc<dyn StepWatch>>>,
    /// How many answers other threads owe this loop (a lookup on a worker
    /// thread, say): while any is owed, virtual time does not jump.
    answers_owed: Rc<Cell<usize>>,
}
// ANCHOR_END: loop_core

/// An answer another thread owes the loop, from [`LoopCore::owe_answer`]
/// until it is dropped.
pub(crate) struct AnswerOwed(Rc<Cell<usize>>);

impl Drop for AnswerOwed {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl LoopCore {
    /// The core of a new loop.
    pub(crate) fn new(
        clock: Clock,
        poller: Poller,
        shared: Arc<LoopShared>,
        trace: Option<Rc<Recorder>>,
    ) -> LoopCore {
        LoopCore {
            ready: ReadyQueue::default(),
            timers: TimerQueue::default(),
            clock,
            poller,
            shared,
            ticks_without_poll: Cell::new(0),
            deferred: RefCell::default(),
            trace,
            watch: RefCell::default(),
            answers_owed: Rc::default(),
        }
    }

    /// Notes that another thread owes the loop an answer, until the guard is
    /// dropped.
    pub(crate) fn owe_answer(&self) -> AnswerOwed {
        self.answers_owed.set(self.answers_owed.get() + 1);
        AnswerOwed(self.answers_owed.clone())
    }

    // ANCHOR: run_once
    /// One tick, as in asyncio's `_run_once`. With `stopping`, the poller is
    /// only looked at, never waited on.
    pub(crate) fn run_once(&self, stopping: bool) {
        // If someone records (`trace.rs`), each step tells the trace.
        if let Some(trace) = &self.trace {
            trace.tick_started(self.clock.now());
        }
        // 1. Sleep in the poller until I/O, a remote wake, or the next
        //    timer. With work ready, or a stop requested, only look: do not
        //    wait. And while work is ready, look only every POLL_INTERVAL
        //    ticks: a look is a system call, and a burst of ready tasks would
        //    otherwise pay one per tick (tokio's `event_interval`).
        //    A task that gave way for fairness (`defer`) forces a look, so it
        //    runs again behind whatever I/O arrived meanwhile.
        let deferred = !self.deferred.borrow().is_empty();
        let must_not_wait = !self.ready.is_empty() || stopping || deferred;
        if must_not_wait {
            let skipped = self.ticks_without_poll.get();
            if skipped + 1 >= POLL_INTERVAL || stopping || deferred {
                self.poll_events(Some(Duration::ZERO));
            } else {
                self.ticks_without_poll.set(skipped + 1);
            }
        } else if let Some(deadline) = self.timers.next_deadline() {
            if self.clock.is_virtual() {
                // Virtual time never waits for a timer: look for I/O, then
                // jump to it. But while another thread owes an answer, wait
                // for it as the real clock would, and jump only if the timer
                // comes first: a thread's answer takes no virtual time, and
                // never loses a race it would win on the real clock.
                let wait = match self.answers_owed.get() {
                    0 => Duration::ZERO,
                    _ => deadline.saturating_sub(self.clock.now()),
                };
                let started = (!wait.is_zero()).then(Instant::now);
                self.poll_events(Some(wait));
                let timer_came_first =
                    started.is_none_or(|started| started.elapsed() >= wait);
                if self.ready.is_empty() && timer_came_first {
                    self.clock.advance_to(deadline);
                }
            } else {
                let timeout = deadline.saturating_sub(self.clock.now());
                self.poll_events(Some(timeout));
            }
        } else {
            self.poll_events(None);
        }
        // 2. Take in what other threads sent: they would have appended it to
        //    asyncio's ready queue at once. Then move every due timer to the
        //    ready queue, earliest first, after sweeping out the cancelled
        //    timers if they have become the majority.
        //    With no timer at all, skip reading the clock: a tick that only
        //    runs tasks has no use for the time, and a read costs about as
        //    much as a yield's whole trip through the queue.
        self.take_remote_work();
        self.timers.sweep_if_mostly_cancelled();
        if self.timers.next_deadline().is_some() {
            let now = self.clock.now();
            while let Some(callback) = self.timers.pop_due(now) {
                if let Some(trace) = &self.trace {
                    trace.timer_fired(&callback, now);
                }
                self.ready.push(Ready::Callback(callback));
            }
        }
        // 3. Run what is ready now, and nothing that becomes ready while we do.
        //    Someone watching (a trace, debug mode) takes the cold path.
        let ready_now = self.ready.len();
        let watched = self.trace.is_some() || self.watch.borrow().is_some();
        for _ in 0..ready_now {
            match self.ready.pop() {
                Some(item) if watched => self.run_watched(item),
                Some(Ready::Task(task)) => task.run(),
                Some(Ready::Callback(callback)) => run_callback(&*callback),
                None => break,
            }
        }
    }
    // ANCHOR_END: run_once

    // ANCHOR: run_watched
    /// Runs one ready item for whoever watches: the trace records it, and
    /// debug mode times it and learns what a task now waits on.
    #[cold]
    fn run_watched(&self, item: Ready) {
        let watch = self.watch.borrow().clone();
        let trace = self.trace.as_deref();
        let started = Instant::now();
        match item {
            Ready::Task(task) => {
                let step = || match trace {
                    None => TaskArc::clone(&task).run(),
                    Some(trace) => trace.run_task(TaskArc::clone(&task)),
                };
                match watch {
                    None => step(),
                    Some(watch) => {
                        let waits = awaiting::collect(step);
                        watch.task_step(&*task, started.elapsed(), waits);
                    }
                }
            }
            Ready::Callback(callback) => {
                match trace {
                    None => run_callback(&*callback),
                    Some(trace) => trace.run_callback(&callback, run_callback),
                }
                if let Some(watch) = watch
                    && !callback.cancelled()
                {
                    watch.callback_step(&*callback, started.elapsed());
                }
            }
        }
    }
    // ANCHOR_END: run_watched

    // ANCHOR: poll_events
    /// Waits in the poller for at most `timeout` (`None`: until woken by I/O
    /// or by another thread).
    fn poll_events(&self, timeout: Option<Duration>) {
        self.ticks_without_poll.set(0);
        self.poller.poll(timeout, self.trace.as_deref());
        let deferred = std::mem::take(&mut *self.deferred.borrow_mut());
        deferred.into_iter().for_each(Waker::wake);
    }
    // ANCHOR_END: poll_events

    // ANCHOR: defer
    /// Wakes `waker` after the next look for I/O, behind every task that I/O
    /// wakes then (tokio's "defer"). A task that stops for fairness, with
    /// work still to do, waits here: `wake_by_ref` would put it straight
    /// back in the ready queue, and while work is ready the loop looks for
    /// I/O only every `POLL_INTERVAL` ticks.
    pub(crate) fn defer(&self, waker: &Waker) {
        self.deferred.borrow_mut().push(waker.clone());
    }
    // ANCHOR_END: defer

    // ANCHOR: take_remote_work
    /// Moves what other threads sent into the ready queue. When they sent
    /// nothing, this is one atomic load: cheap enough for every tick and
    /// every local push, where a look in the poller would be a system call.
    #[inline]
    pub(crate) fn take_remote_work(&self) {
        if self.shared.has_pending() {
            self.drain_remote_work();
        }
    }

    /// The slow half of `take_remote_work`, kept out of line so that the
    /// check inlines into every push.
    #[cold]
    fn drain_remote_work(&self) {
        for item in self.shared.drain() {
            match item {
                RemoteItem::Task(task) => {
                    if let Some(trace) = &self.trace {
                        trace.woken_from_thread(&*task);
                    }
                    self.ready.push(Ready::Task(task));
                }
                RemoteItem::Callback(callback) => {
                    let callback = NamedCallback::new_shared(
                        "call_soon_threadsafe callback",
                        callback,
                    );
                    self.ready.push(Ready::Callback(callback));
                }
            }
        }
    }
    // ANCHOR_END: take_remote_work

    // ANCHOR: push_ready
    /// Queues `item` behind everything already sent, including what other
    /// threads sent before it: asyncio's single ready queue keeps that order,
    /// so this one does too.
    #[inline]
    pub(crate) fn push_ready(&self, item: Ready) {
        self.take_remote_work();
        self.ready.push(item);
    }
    // ANCHOR_END: push_ready

    /// Drops every callback, timer and queued task. Items are dropped after
    /// each queue is released, because dropping one can queue more work.
    pub(crate) fn clear(&self) {
        self.ready.clear();
        self.timers.clear();
        let deferred = std::mem::take(&mut *self.deferred.borrow_mut());
        drop(deferred);
    }
}

// ANCHOR: step_watch
/// Who watches each step of a loop in debug mode: chapter 14's debug mode
/// implements it, and the loop holds it in [`LoopCore::watch`].
pub(crate) trait StepWatch {
    /// A task's step took `took`; it now waits on `waits` (empty if it
    /// finished, or noted nothing).
    fn task_step(
        &self,
        task: &dyn Runnable,
        took: Duration,
        waits: Vec<WaitingOn>,
    );
    /// A callback ran, and took `took`.
    fn callback_step(&self, callback: &dyn Callback, took: Duration);
    /// What task `task_id` waited on after its last step, in words, for a
    /// report about it.
    fn describe_waits(&self, task_id: u64) -> Option<String>;
}
// ANCHOR_END: step_watch

// ANCHOR: run_callback
/// Runs one callback, catching and reporting a panic so the loop keeps going.
fn run_callback(callback: &dyn Callback) {
    if callback.cancelled() {
        return;
    }
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| callback.run())) {
        logging::error!(
            "aio.event_loop",
            "exception in callback: {}",
            panic_message(&*payload)
        );
    }
}
// ANCHOR_END: run_callback
