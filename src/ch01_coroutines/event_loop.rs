//! Chapter 1 (coroutines): the event loop and its tick.
//!
//! An [`EventLoop`] owns a ready queue, a timer queue, a clock, a registry of
//! its tasks and a `mio::Poll`. Each tick does what asyncio's
//! `BaseEventLoop._run_once` does: sleep in the poller until something can
//! happen, move due timers to the ready queue, then run exactly the items that
//! were ready when the tick began. Everything else in the runtime is built on
//! this.

use crate::ch01_coroutines::clock::{Clock, ClockKind};
use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{Arc, IdCounter, Ordering, TaskArc};
use crate::ch01_coroutines::ready_queue::{
    Callback, CallbackCell, Ready, ReadyQueue,
};
use crate::ch01_coroutines::remote::{LoopShared, RemoteItem, RemoteLoop};
use crate::ch01_coroutines::task_cell::{Runnable, panic_message};
use crate::ch01_coroutines::timers::TimerQueue;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::{Rc, Weak};
use std::task::Waker;
use std::time::Duration;

/// While tasks are ready, the poller is asked for events once every this many
/// ticks.
const POLL_INTERVAL: u32 = 61;

/// The token of the poller's waker; I/O sources get other tokens.
const WAKER_TOKEN: mio::Token = mio::Token(usize::MAX);

/// Numbers loops for the life of the process.
static NEXT_LOOP_ID: IdCounter = IdCounter::new(1);

/// An asyncio-style event loop. Cloning it gives another handle to the same
/// loop.
///
/// A loop belongs to the thread that made it: it is neither `Send` nor `Sync`.
/// Other threads reach it through a [`RemoteLoop`] (see [`EventLoop::remote`]).
#[derive(Clone)]
pub struct EventLoop {
    inner: Rc<LoopInner>,
}

// ANCHOR: loop_inner
/// The state of one loop.
pub(crate) struct LoopInner {
    /// What other threads may touch: the remote queue and the poller's waker.
    pub(crate) shared: Arc<LoopShared>,
    /// Work for the coming ticks.
    pub(crate) ready: ReadyQueue,
    /// Callbacks waiting for their deadline.
    pub(crate) timers: TimerQueue,
    /// Loop time, real or virtual.
    pub(crate) clock: Clock,
    /// Every task that has not finished, so that `close` can drop them all.
    pub(crate) tasks: RefCell<
        HashMap<u64, TaskArc<dyn Runnable>, BuildHasherDefault<TaskIdHasher>>,
    >,
    /// The number in the next task's default name, `Task-N`, counted per loop.
    pub(crate) next_task_number: Cell<u64>,
    poll: RefCell<mio::Poll>,
    /// A handle to the poller's registry, for sources to register with (chapter
    /// 7).
    pub(crate) registry: mio::Registry,
    /// Whoever registered I/O sources: the loop hands it every event but its
    /// own wake-up.
    pub(crate) io_driver: OnceCell<Rc<dyn IoDriver>>,
    events: RefCell<mio::Events>,
    /// Wakers collected while dispatching events, woken after every borrow is
    /// released.
    woken_by_io: RefCell<Vec<Waker>>,
    /// Ticks run since the poller was last asked for events.
    ticks_without_poll: Cell<u32>,
    running: Cell<bool>,
    stopping: Cell<bool>,
    closed: Cell<bool>,
}
// ANCHOR_END: loop_inner

/// What the loop needs from its I/O layer: something to hand readiness events
/// to. The loop knows nothing of sockets; chapter 7's reactor installs itself
/// here the first time a source registers.
pub(crate) trait IoDriver {
    /// Records one readiness event, collecting the wakers it should wake into
    /// `to_wake`.
    fn dispatch(&self, event: &mio::event::Event, to_wake: &mut Vec<Waker>);
    /// The driver as `Any`, so its owner can get its concrete type back.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Hashes task ids for the task map. Ids are unique counters, not
/// attacker-chosen keys, so a multiplicative hash spreads them well, and costs
/// a fraction of the default SipHash (measured: see the benchmarks appendix).
#[derive(Default)]
pub(crate) struct TaskIdHasher(u64);

impl Hasher for TaskIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*byte))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, id: u64) {
        self.0 = id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A non-owning handle to a loop.
#[derive(Clone)]
pub(crate) struct WeakLoop(Weak<LoopInner>);

impl WeakLoop {
    /// The loop, if it still exists.
    pub(crate) fn upgrade(&self) -> Option<EventLoop> {
        self.0.upgrade().map(|inner| EventLoop { inner })
    }
}

/// Configures a new [`EventLoop`].
#[derive(Debug, Clone)]
pub struct Builder {
    clock: ClockKind,
    event_capacity: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder { clock: ClockKind::from_env(), event_capacity: 1024 }
    }
}

impl Builder {
    /// Chooses the clock. The default comes from `AIO_CLOCK` (see
    /// [`ClockKind::from_env`]).
    pub fn clock(mut self, clock: ClockKind) -> Self {
        self.clock = clock;
        self
    }

    /// Shorthand for `.clock(ClockKind::Virtual)`.
    pub fn virtual_clock(self) -> Self {
        self.clock(ClockKind::Virtual)
    }

    /// How many I/O events one call to the poller can return (at least 1).
    pub fn event_capacity(mut self, capacity: usize) -> Self {
        self.event_capacity = capacity.max(1);
        self
    }

    /// Creates the loop. Fails only if the operating system refuses a poller.
    pub fn build(self) -> Result<EventLoop, Error> {
        let poll = mio::Poll::new()?;
        let poll_waker = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        let registry = poll.registry().try_clone()?;
        let loop_id = NEXT_LOOP_ID.fetch_add(1, Ordering::Relaxed);
        let inner = LoopInner {
            shared: Arc::new(LoopShared::new(loop_id, Box::new(poll_waker))),
            ready: ReadyQueue::default(),
            timers: TimerQueue::default(),
            clock: Clock::new(self.clock),
            tasks: RefCell::new(HashMap::default()),
            next_task_number: Cell::new(1),
            poll: RefCell::new(poll),
            registry,
            io_driver: OnceCell::new(),
            events: RefCell::new(mio::Events::with_capacity(
                self.event_capacity,
            )),
            woken_by_io: RefCell::new(Vec::new()),
            ticks_without_poll: Cell::new(0),
            running: Cell::new(false),
            stopping: Cell::new(false),
            closed: Cell::new(false),
        };
        Ok(EventLoop { inner: Rc::new(inner) })
    }
}

impl EventLoop {
    /// Creates a loop with the default settings (`asyncio.new_event_loop()`).
    pub fn new() -> Result<EventLoop, Error> {
        Builder::default().build()
    }

    /// Starts configuring a loop.
    pub fn builder() -> Builder {
        Builder::default()
    }

    pub(crate) fn inner(&self) -> &LoopInner {
        &self.inner
    }

    /// A handle that does not keep the loop alive (for objects the loop may
    /// own).
    pub(crate) fn downgrade(&self) -> WeakLoop {
        WeakLoop(Rc::downgrade(&self.inner))
    }

    /// A number that identifies this loop for the life of the process.
    pub fn id(&self) -> u64 {
        self.inner.shared.loop_id
    }

    /// The loop's current time: a monotonic [`Duration`] since the loop was
    /// created.
    pub fn time(&self) -> Duration {
        self.inner.clock.now()
    }

    /// Whether the loop is inside `run_forever` or `run_until_complete`.
    pub fn is_running(&self) -> bool {
        self.inner.running.get()
    }

    /// Whether [`close`](EventLoop::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.get()
    }

    /// Queues `callback` for the next tick. The one check that the loop is
    /// still open, for every kind of work: a closed loop refuses it.
    pub(crate) fn push_callback(
        &self,
        callback: Rc<dyn Callback>,
    ) -> Result<(), Error> {
        self.check_open()?;
        self.inner.ready.push(Ready::Callback(callback));
        Ok(())
    }

    /// Schedules `callback` to become ready at loop time `when`.
    pub(crate) fn push_timer(
        &self,
        when: Duration,
        callback: Rc<dyn Callback>,
    ) -> Result<(), Error> {
        self.check_open()?;
        self.inner.timers.insert(when, callback);
        Ok(())
    }

    /// Fails with [`Error::LoopClosed`] once the loop is closed.
    fn check_open(&self) -> Result<(), Error> {
        if self.inner.closed.get() { Err(Error::LoopClosed) } else { Ok(()) }
    }

    /// The unfinished task with id `id`, if it is this loop's.
    pub(crate) fn task(&self, id: u64) -> Option<TaskArc<dyn Runnable>> {
        self.inner.tasks.borrow().get(&id).cloned()
    }

    /// Every unfinished task of this loop, in no particular order.
    pub(crate) fn live_tasks(&self) -> Vec<TaskArc<dyn Runnable>> {
        self.inner.tasks.borrow().values().cloned().collect()
    }

    /// A handle that other threads can use to reach this loop.
    pub fn remote(&self) -> RemoteLoop {
        RemoteLoop { shared: Arc::clone(&self.inner.shared) }
    }

    // ANCHOR: run_forever
    /// Runs ticks until [`stop`](EventLoop::stop) is called.
    pub fn run_forever(&self) -> Result<(), Error> {
        let _running = self.enter()?;
        loop {
            self.run_once();
            if self.inner.stopping.get() {
                break;
            }
        }
        self.inner.stopping.set(false);
        Ok(())
    }
    // ANCHOR_END: run_forever

    // ANCHOR: run_until_complete
    /// Runs the loop until `future` completes, and returns its output.
    ///
    /// Like asyncio, the future is wrapped in a task, and the loop stops from a
    /// done-callback of that task, so the tick in which it finishes runs to its
    /// end.
    #[track_caller]
    pub fn run_until_complete<F>(&self, future: F) -> Result<F::Output, Error>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.check_can_run()?;
        let task = self.create_task(future)?;
        let stopper = self.clone();
        let stop_callback =
            task.add_done_callback_internal(Box::new(move || stopper.stop()));
        let ran = self.run_forever();
        if let Some(id) = stop_callback {
            task.remove_done_callback_internal(id);
        }
        ran?;
        match task.take_result() {
            Some(result) => result.map_err(Error::Task),
            None => Err(Error::StoppedBeforeComplete),
        }
    }
    // ANCHOR_END: run_until_complete

    /// Asks the loop to stop: `run_forever` returns after the current tick.
    /// Called while the loop is not running, it makes the next `run_forever`
    /// run one tick.
    pub fn stop(&self) {
        self.inner.stopping.set(true);
    }

    /// Closes the loop: drops every pending callback, timer and task (running
    /// the tasks' destructors here, on the loop's thread), and refuses work
    /// from now on. Closing a closed loop does nothing; closing a running loop
    /// is an error.
    pub fn close(&self) -> Result<(), Error> {
        if self.inner.running.get() {
            return Err(Error::CloseWhileRunning);
        }
        if self.inner.closed.replace(true) {
            return Ok(());
        }
        logging::debug!("aio.event_loop", "closing loop {}", self.id());
        self.inner.release_everything();
        Ok(())
    }

    // ANCHOR: cancel_all_tasks
    /// Cancels every task and runs the loop until all of them are gone
    /// (`asyncio.run`'s shutdown step). Tasks spawned during the shutdown are
    /// cancelled too, and the done-callbacks that the cancellations scheduled
    /// get their tick before `close`.
    pub(crate) fn cancel_all_tasks(&self) -> Result<(), Error> {
        let _running = self.enter()?;
        while !self.inner.tasks.borrow().is_empty() {
            let tasks: Vec<TaskArc<dyn Runnable>> =
                self.inner.tasks.borrow().values().cloned().collect();
            for task in tasks {
                task.request_cancel();
            }
            self.run_once();
        }
        // One more tick for what the last cancellations queued (never a
        // blocking one: with work ready, the poller is only asked, not waited
        // on).
        if !self.inner.ready.is_empty() {
            self.run_once();
        }
        Ok(())
    }
    // ANCHOR_END: cancel_all_tasks

    fn check_can_run(&self) -> Result<(), Error> {
        if self.inner.closed.get() {
            Err(Error::LoopClosed)
        } else if self.inner.running.get() {
            Err(Error::AlreadyRunning)
        } else if is_any_running() {
            Err(Error::AnotherLoopRunning)
        } else {
            Ok(())
        }
    }

    /// Marks the loop running (on this thread) until the guard is dropped.
    fn enter(&self) -> Result<EnteredLoop<'_>, Error> {
        self.check_can_run()?;
        self.inner.running.set(true);
        let guard = enter_loop(self);
        Ok(EnteredLoop { event_loop: self, _running: guard })
    }

    // ANCHOR: run_once
    /// One tick, as in asyncio's `_run_once`.
    fn run_once(&self) {
        let inner = &*self.inner;
        // 1. Sleep in the poller until I/O, a remote wake, or the next
        //    timer. With work ready, or a stop requested, only look: do not
        //    wait. And while work is ready, look only every POLL_INTERVAL
        //    ticks: a look is a system call, and a burst of ready tasks would
        //    otherwise pay one per tick (tokio's `event_interval`).
        let must_not_wait = !inner.ready.is_empty() || inner.stopping.get();
        let next_timer = inner.timers.next_deadline();
        if must_not_wait {
            let skipped = inner.ticks_without_poll.get();
            if skipped + 1 >= POLL_INTERVAL || inner.stopping.get() {
                self.poll_events(Some(Duration::ZERO));
            } else {
                inner.ticks_without_poll.set(skipped + 1);
            }
        } else if let Some(deadline) = next_timer {
            if inner.clock.is_virtual() {
                // Virtual time never waits for a timer: look for I/O, then jump
                // to it.
                self.poll_events(Some(Duration::ZERO));
                if inner.ready.is_empty() {
                    inner.clock.advance_to(deadline);
                }
            } else {
                self.poll_events(Some(
                    deadline.saturating_sub(inner.clock.now()),
                ));
            }
        } else {
            self.poll_events(None);
        }
        // 2. Move every due timer to the ready queue, earliest first.
        let now = inner.clock.now();
        while let Some(callback) = inner.timers.pop_due(now) {
            inner.ready.push(Ready::Callback(callback));
        }
        // 3. Run what is ready now, and nothing that becomes ready while we do.
        let ready_now = inner.ready.len();
        for _ in 0..ready_now {
            match inner.ready.pop() {
                Some(Ready::Task(task)) => task.run(),
                Some(Ready::Callback(callback)) => run_callback(&*callback),
                None => break,
            }
        }
    }
    // ANCHOR_END: run_once

    // ANCHOR: poll_events
    /// Waits in the poller for at most `timeout` (`None`: until woken), then
    /// moves what other threads sent into the ready queue.
    fn poll_events(&self, timeout: Option<Duration>) {
        let inner = &*self.inner;
        inner.ticks_without_poll.set(0);
        let mut events = inner.events.borrow_mut();
        if let Err(error) = inner.poll.borrow_mut().poll(&mut events, timeout) {
            if error.kind() != std::io::ErrorKind::Interrupted {
                logging::error!(
                    "aio.event_loop",
                    "polling for events failed: {error}"
                );
            }
            return;
        }
        let mut woken = false;
        {
            let mut to_wake = inner.woken_by_io.borrow_mut();
            for event in events.iter() {
                if event.token() == WAKER_TOKEN {
                    woken = true;
                } else if let Some(driver) = inner.io_driver.get() {
                    driver.dispatch(event, &mut to_wake);
                }
            }
        }
        drop(events);
        // Wake I/O tasks outside every borrow: a waker may run arbitrary code.
        let mut to_wake = std::mem::take(&mut *inner.woken_by_io.borrow_mut());
        for waker in to_wake.drain(..) {
            waker.wake();
        }
        // Keep the capacity for the next tick.
        *inner.woken_by_io.borrow_mut() = to_wake;
        if woken {
            for item in inner.shared.drain() {
                match item {
                    RemoteItem::Task(task) => {
                        inner.ready.push(Ready::Task(task))
                    }
                    RemoteItem::Callback(callback) => {
                        let callback: Box<dyn FnOnce()> = callback;
                        inner.ready.push(Ready::Callback(
                            CallbackCell::new_shared(callback),
                        ));
                    }
                }
            }
        }
    }
    // ANCHOR_END: poll_events
}

// ANCHOR: run_callback
/// Runs one callback, catching and reporting a panic so the loop keeps going.
fn run_callback(callback: &dyn crate::ch01_coroutines::ready_queue::Callback) {
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

/// Leaves the running state when dropped, even if a tick panicked.
struct EnteredLoop<'a> {
    event_loop: &'a EventLoop,
    _running: RunningGuard,
}

impl Drop for EnteredLoop<'_> {
    fn drop(&mut self) {
        self.event_loop.inner.running.set(false);
    }
}

impl Drop for LoopInner {
    fn drop(&mut self) {
        if !self.closed.get() {
            logging::warn!(
                "aio.event_loop",
                "unclosed event loop {} was dropped; call close() (aio::run does it for you)",
                self.shared.loop_id
            );
            self.release_everything();
        }
    }
}

impl LoopInner {
    /// Refuses remote work and drops every callback, timer and task the loop
    /// holds, running the tasks' destructors here, on the loop's thread
    /// (`close`, and the drop of a loop nobody closed).
    fn release_everything(&self) {
        drop(self.shared.close());
        self.ready.clear();
        self.timers.clear();
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        for task in tasks.values() {
            task.abandon();
        }
        drop(tasks);
        // Dropping futures can queue more work (a destructor wakes another
        // task).
        self.ready.clear();
        self.timers.clear();
    }
}

impl std::fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLoop")
            .field("id", &self.id())
            .field("running", &self.is_running())
            .field("closed", &self.is_closed())
            .field("virtual_clock", &self.inner.clock.is_virtual())
            .finish()
    }
}

// The running loop of this thread. asyncio finds it through a thread-local
// (`asyncio.get_running_loop()`), and so does aio. The loop puts itself here
// for the length of `run_forever` and takes itself out afterwards.

thread_local! {
    static RUNNING: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
}

// ANCHOR: get_running_loop
/// The loop running on this thread, like `asyncio.get_running_loop()`.
///
/// Fails with [`Error::NoRunningLoop`] outside a task or callback.
pub fn get_running_loop() -> Result<EventLoop, Error> {
    with_running(EventLoop::clone).ok_or(Error::NoRunningLoop)
}
// ANCHOR_END: get_running_loop

/// Calls `action` with the running loop, if there is one.
pub(crate) fn with_running<R>(
    action: impl FnOnce(&EventLoop) -> R,
) -> Option<R> {
    RUNNING
        .try_with(|running| running.borrow().as_ref().map(action))
        .ok()
        .flatten()
}

/// Whether a loop is running on this thread.
pub(crate) fn is_any_running() -> bool {
    with_running(|_| ()).is_some()
}

/// Marks `event_loop` as this thread's running loop until the guard is dropped.
pub(crate) fn enter_loop(event_loop: &EventLoop) -> RunningGuard {
    RUNNING.with(|running| *running.borrow_mut() = Some(event_loop.clone()));
    RunningGuard(())
}

/// Clears the running loop when dropped.
pub(crate) struct RunningGuard(());

impl Drop for RunningGuard {
    fn drop(&mut self) {
        let previous = RUNNING
            .try_with(|running| running.borrow_mut().take())
            .ok()
            .flatten();
        drop(previous);
    }
}

/// Pushes a woken task onto the ready queue of loop `loop_id`, if that loop is
/// the one running on this thread. Otherwise hands the task back.
pub(crate) fn push_ready_if_running(
    loop_id: u64,
    task: TaskArc<dyn Runnable>,
) -> Result<(), TaskArc<dyn Runnable>> {
    let mut task = Some(task);
    let _ = RUNNING.try_with(|running| {
        if let Some(event_loop) = running.borrow().as_ref()
            && event_loop.id() == loop_id
            && let Some(task) = task.take()
        {
            event_loop.inner.ready.push(Ready::Task(task));
        }
    });
    match task {
        None => Ok(()),
        Some(task) => Err(task),
    }
}

/// Removes a finished task from the running loop's registry.
pub(crate) fn forget_task(task_id: u64) {
    let removed = with_running(|event_loop| {
        event_loop.inner.tasks.borrow_mut().remove(&task_id)
    })
    .flatten();
    drop(removed);
}

/// Schedules an internal callback on the running loop (done-callbacks). With no
/// loop running, the loop is closing and the callback is dropped.
pub(crate) fn call_soon_internal(callback: Box<dyn FnOnce()>) {
    with_running(|event_loop| {
        event_loop
            .inner()
            .ready
            .push(Ready::Callback(CallbackCell::new_shared(callback)))
    });
}
