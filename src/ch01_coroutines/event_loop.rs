//! Chapter 1 (coroutines): the event loop, which owns its tasks and ticks.
//!
//! An [`EventLoop`] owns the machinery a tick works through (its
//! [`LoopCore`]: queues, clock, poller), a registry of its tasks, and its
//! running, stopping and closed flags. It is the other side of the seam: its
//! [`LoopScheduler`] implements [`Schedule`], which is all a task knows of it.
//! It also keeps the running loop of each thread, which
//! [`get_running_loop`] returns, as asyncio's does.

use crate::ch01_coroutines::clock::{Clock, ClockKind};
use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{Arc, IdCounter, Ordering, TaskArc};
use crate::ch01_coroutines::loop_locals::LoopLocals;
use crate::ch01_coroutines::poller::{Poller, ReadinessListener, SourceKey};
use crate::ch01_coroutines::ready_queue::{Callback, NamedCallback, Ready};
use crate::ch01_coroutines::remote::{LoopShared, RemoteItem, RemoteLoop};
use crate::ch01_coroutines::seam::{Header, Runnable, Schedule};
use crate::ch01_coroutines::task::Task;
use crate::ch01_coroutines::task_cell::{TaskCell, current_task_place};
use crate::ch01_coroutines::task_registry::TaskRegistry;
use crate::ch01_coroutines::tick::{AnswerOwed, LoopCore, StepWatch};
use crate::ch01_coroutines::timers::CancelledTimers;
use crate::ch01_coroutines::trace;
use std::cell::{Cell, RefCell};
use std::io;
use std::panic::Location;
use std::rc::{Rc, Weak};
use std::time::Duration;

/// The environment variable that starts every loop in debug mode (chapter
/// 14), as `PYTHONASYNCIODEBUG` does asyncio's: `AIO_DEBUG=1`.
pub const DEBUG_ENV: &str = "AIO_DEBUG";

/// Numbers loops for the life of the process.
static NEXT_LOOP_ID: IdCounter = IdCounter::new(1);

/// Numbers tasks for the life of the process (their `Task-N` names count per
/// loop).
static NEXT_TASK_ID: IdCounter = IdCounter::new(1);

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
/// The state of one loop. Its fields are private: the rest of the runtime
/// reaches them through `EventLoop`'s methods.
struct LoopInner {
    /// The loop's number, as its scheduler knows it.
    id: u64,
    /// Where the loop was built, for the report if it is never closed.
    created_at: &'static Location<'static>,
    /// The queues, clock and poller that a tick works through.
    core: LoopCore,
    /// How this loop's tasks get back to it: handed to every task it spawns.
    scheduler: TaskArc<LoopScheduler>,
    /// Every task that has not finished, so that `close` can drop them all.
    tasks: RefCell<TaskRegistry>,
    /// The number in the next task's default name, `Task-N`, counted per loop.
    next_task_number: Cell<u64>,
    /// What later chapters keep per loop (chapter 7's resolver, say).
    locals: LoopLocals,
    running: Cell<bool>,
    stopping: Cell<bool>,
    closed: Cell<bool>,
}
// ANCHOR_END: loop_inner

impl LoopInner {
    /// Whether work may still be queued: the one closed-loop check.
    fn is_open(&self) -> bool {
        !self.closed.get()
    }
}

// ANCHOR: loop_scheduler
/// The loop's side of the seam: what its tasks hold to get back to it. It is
/// `Send + Sync` (a waker may be woken on any thread), so it holds no pointer
/// to the loop itself, only the loop's id and its remote queue. On the loop's
/// thread the id finds the loop among the loops living there.
struct LoopScheduler {
    loop_id: u64,
    shared: Arc<LoopShared>,
}

impl Schedule for LoopScheduler {
    fn schedule_local(
        &self,
        task: TaskArc<dyn Runnable>,
    ) -> Result<(), TaskArc<dyn Runnable>> {
        let mut task = Some(task);
        with_loop_here(self.loop_id, |inner| {
            if inner.is_open()
                && let Some(task) = task.take()
            {
                if let Some(trace) = &inner.core.trace {
                    trace.woken(&*task);
                }
                inner.core.push_ready(Ready::Task(task));
            }
        });
        task.map_or(Ok(()), Err)
    }

    fn schedule_remote(&self, task: TaskArc<dyn Runnable>) {
        // A closed loop refuses the task, and dropping it is all there is to
        // do: it can never run again.
        let _ = self.shared.push(RemoteItem::Task(task));
    }

    fn release(&self, task: &Header) {
        let removed = with_loop_here(self.loop_id, |inner| {
            inner.tasks.borrow_mut().remove(task)
        });
        drop(removed); // outside the registry's borrow
    }

    fn call_soon(&self, callback: Box<dyn FnOnce()>) {
        let mut callback = Some(callback);
        with_loop_here(self.loop_id, |inner| {
            if inner.is_open()
                && let Some(callback) = callback.take()
            {
                let callback =
                    NamedCallback::new_shared("done callback", callback);
                inner.core.push_ready(Ready::Callback(callback));
            }
        });
        if callback.is_some() {
            logging::warn!(
                "aio.event_loop",
                "a done-callback was added after loop {} closed; it will \
                 not run",
                self.loop_id
            );
        }
    }
}
// ANCHOR_END: loop_scheduler

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
        Builder { clock: ClockKind::default_here(), event_capacity: 1024 }
    }
}

impl Builder {
    /// Chooses the clock. The default is the thread's (see
    /// [`ClockKind::default_here`]): `AIO_CLOCK`, unless [`with_clock`]
    /// chose another.
    ///
    /// [`with_clock`]: crate::with_clock
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
    /// With `AIO_DEBUG` set (to anything but `0`), the loop starts in debug
    /// mode (chapter 14), as `PYTHONASYNCIODEBUG` makes asyncio's.
    #[track_caller]
    pub fn build(self) -> Result<EventLoop, Error> {
        let created_at = Location::caller();
        let (poller, poll_waker) = Poller::new(self.event_capacity)?;
        let loop_id = NEXT_LOOP_ID.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::new(LoopShared::new(loop_id, Box::new(poll_waker)));
        let scheduler = TaskArc::new(LoopScheduler {
            loop_id,
            shared: Arc::clone(&shared),
        });
        let inner = Rc::new(LoopInner {
            id: loop_id,
            created_at,
            core: LoopCore::new(
                Clock::new(self.clock),
                poller,
                shared,
                trace::recorder_here(),
            ),
            scheduler,
            tasks: RefCell::default(),
            next_task_number: Cell::new(1),
            locals: LoopLocals::default(),
            running: Cell::new(false),
            stopping: Cell::new(false),
            closed: Cell::new(false),
        });
        LOOPS_HERE.with(|loops| {
            loops.borrow_mut().push((loop_id, Rc::downgrade(&inner)));
        });
        let event_loop = EventLoop { inner };
        if debug_asked_by_environment() {
            crate::enable_debug_mode(&event_loop);
        }
        Ok(event_loop)
    }
}

impl EventLoop {
    /// Creates a loop with the default settings (`asyncio.new_event_loop()`).
    #[track_caller]
    pub fn new() -> Result<EventLoop, Error> {
        Builder::default().build()
    }

    /// Starts configuring a loop.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Notes that another thread owes this loop an answer (a worker thread's
    /// lookup), until the guard is dropped: on the virtual clock, time then
    /// waits for the answer instead of jumping to the next timer.
    pub(crate) fn owe_answer(&self) -> AnswerOwed {
        self.inner.core.owe_answer()
    }

    /// The loop-local value of type `T`, if a later chapter set one.
    pub(crate) fn local<T: 'static>(&self) -> Option<Rc<T>> {
        self.inner.locals.get::<T>()
    }

    /// Sets the loop-local value of type `T`.
    pub(crate) fn set_local<T: 'static>(&self, value: T) {
        self.inner.locals.set(value);
    }

    /// A handle that does not keep the loop alive (for objects the loop may
    /// own).
    pub(crate) fn downgrade(&self) -> WeakLoop {
        WeakLoop(Rc::downgrade(&self.inner))
    }

    /// A number that identifies this loop for the life of the process.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// Where the loop was built.
    pub fn created_at(&self) -> &'static Location<'static> {
        self.inner.created_at
    }

    /// Lets `watch` time every step from the next tick on, or stops the
    /// watching with `None` (chapter 14's debug mode).
    pub(crate) fn set_step_watch(&self, watch: Option<Rc<dyn StepWatch>>) {
        let previous = self.inner.core.watch.replace(watch);
        drop(previous); // outside the borrow
    }

    /// Whether someone watches the loop's steps: whether it is in debug mode.
    pub(crate) fn is_watched(&self) -> bool {
        self.inner.core.watch.borrow().is_some()
    }

    /// The loop's current time: a monotonic [`Duration`] since the loop was
    /// created.
    pub fn time(&self) -> Duration {
        self.inner.core.clock.now()
    }

    /// Whether the loop is inside `run_forever` or `run_until_complete`.
    pub fn is_running(&self) -> bool {
        self.inner.running.get()
    }

    /// Whether [`close`](EventLoop::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.get()
    }

    /// Fails with [`Error::LoopClosed`] once the loop is closed.
    fn check_open(&self) -> Result<(), Error> {
        if self.inner.is_open() { Ok(()) } else { Err(Error::LoopClosed) }
    }

    // ANCHOR: push_work
    /// Queues `callback` for the next tick. A closed loop refuses it.
    pub(crate) fn push_callback(
        &self,
        callback: Rc<dyn Callback>,
    ) -> Result<(), Error> {
        self.check_open()?;
        self.inner.core.push_ready(Ready::Callback(callback));
        Ok(())
    }

    /// Schedules `callback` to become ready at loop time `when`; cancel it
    /// through what this returns. A closed loop refuses it.
    pub(crate) fn push_timer(
        &self,
        when: Duration,
        callback: Rc<dyn Callback>,
    ) -> Result<CancelledTimers, Error> {
        self.check_open()?;
        Ok(self.inner.core.timers.insert(when, callback))
    }
    // ANCHOR_END: push_work

    /// Wakes `waker` after the loop's next look for I/O (see
    /// [`LoopCore::defer`]): how a task gives way for fairness (chapter 7).
    pub(crate) fn defer(&self, waker: &std::task::Waker) {
        self.inner.core.defer(waker);
    }

    /// Registers an I/O source with the loop's poller (chapter 7); its events
    /// go to `listener`. A closed loop refuses it.
    pub(crate) fn register_source(
        &self,
        source: &mut impl mio::event::Source,
        listener: Rc<dyn ReadinessListener>,
    ) -> io::Result<SourceKey> {
        self.check_open().map_err(io::Error::other)?;
        let opened_by = self.is_watched().then(|| self.opened_by());
        self.inner.core.poller.register(source, listener, opened_by)
    }

    /// Who is opening a source now, for the report if it is left open: the
    /// running task, and where it was spawned.
    fn opened_by(&self) -> String {
        match self.current_task() {
            Some(task) => format!(
                "opened by {}, created at {}",
                task.name(),
                task.spawned_at()
            ),
            None => "opened outside any task".to_owned(),
        }
    }

    /// Removes an I/O source from the loop's poller.
    pub(crate) fn deregister_source(
        &self,
        source: &mut impl mio::event::Source,
        key: SourceKey,
    ) {
        self.inner.core.poller.deregister(source, key);
    }

    /// The unfinished task with id `id`, if it is this loop's: a search
    /// through the table, for reports.
    pub(crate) fn task(&self, id: u64) -> Option<TaskArc<dyn Runnable>> {
        self.inner.tasks.borrow().find(id).cloned()
    }

    /// The task being polled now, if it is this loop's.
    pub(crate) fn current_task(&self) -> Option<TaskArc<dyn Runnable>> {
        let (id, slot) = current_task_place()?;
        self.inner.tasks.borrow().get(slot, id).cloned()
    }

    /// Every unfinished task of this loop, in no particular order.
    pub(crate) fn live_tasks(&self) -> Vec<TaskArc<dyn Runnable>> {
        self.inner.tasks.borrow().iter().cloned().collect()
    }

    /// How many entries the timer queue holds, cancelled ones included.
    #[cfg(test)]
    pub(crate) fn timer_entries(&self) -> usize {
        self.inner.core.timers.len()
    }

    /// A handle that other threads can use to reach this loop.
    pub fn remote(&self) -> RemoteLoop {
        RemoteLoop { shared: Arc::clone(&self.inner.core.shared) }
    }

    // ANCHOR: create_task
    /// Spawns `future` on this loop (`loop.create_task`). It runs once the
    /// loop runs.
    #[track_caller]
    pub fn create_task<F>(&self, future: F) -> Result<Task<F::Output>, Error>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.spawn_at(future, Location::caller())
    }

    /// Spawns `future`, recording `spawned_at` as its origin: the task gets
    /// an id, a name, the loop's scheduler and a place in the ready queue.
    pub(crate) fn spawn_at<F>(
        &self,
        future: F,
        spawned_at: &'static Location<'static>,
    ) -> Result<Task<F::Output>, Error>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.check_open()?;
        let inner = &*self.inner;
        let id = NEXT_TASK_ID.fetch_add(1, Ordering::Relaxed);
        let number = inner.next_task_number.get();
        inner.next_task_number.set(number + 1);
        let scheduler: TaskArc<dyn Schedule> = inner.scheduler.clone();
        let slot = inner.tasks.borrow().next_slot();
        let cell =
            TaskCell::new(id, slot, number, scheduler, future, spawned_at);
        cell.header().scheduled.store(true, Ordering::Relaxed);
        inner.tasks.borrow_mut().insert(cell.clone());
        if let Some(trace) = &inner.core.trace {
            trace.spawned(&*cell);
        }
        inner.core.push_ready(Ready::Task(cell.clone()));
        Ok(Task::new(cell))
    }
    // ANCHOR_END: create_task

    // ANCHOR: run_forever
    /// Runs ticks until [`stop`](EventLoop::stop) is called.
    pub fn run_forever(&self) -> Result<(), Error> {
        let _running = self.enter()?;
        loop {
            self.inner.core.run_once(self.inner.stopping.get());
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
        self.run_until_done(&task)
    }

    /// Runs the loop until `task` is done, and takes its result
    /// (`run_until_complete` for a task that is already spawned).
    pub(crate) fn run_until_done<T>(&self, task: &Task<T>) -> Result<T, Error> {
        self.check_can_run()?;
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
            for task in self.live_tasks() {
                task.request_cancel();
            }
            self.inner.core.run_once(false);
        }
        // One more tick for what the last cancellations queued (never a
        // blocking one: with work ready, the poller is only asked, not waited
        // on).
        if !self.inner.core.ready.is_empty() {
            self.inner.core.run_once(false);
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
        RUNNING.with(|running| *running.borrow_mut() = Some(self.clone()));
        Ok(EnteredLoop { event_loop: self })
    }
}

/// Leaves the running state when dropped, even if a tick panicked.
struct EnteredLoop<'a> {
    event_loop: &'a EventLoop,
}

impl Drop for EnteredLoop<'_> {
    fn drop(&mut self) {
        self.event_loop.inner.running.set(false);
        let previous =
            RUNNING.try_with(|running| running.borrow_mut().take()).ok();
        drop(previous);
    }
}

impl Drop for LoopInner {
    fn drop(&mut self) {
        if !self.closed.get() {
            logging::warn!(
                "aio.event_loop",
                "unclosed event loop {} (created at {}) was dropped; call \
                 close() (aio::run does it for you)",
                self.id,
                self.created_at
            );
            self.release_everything();
        }
        let id = self.id;
        let _ = LOOPS_HERE
            .try_with(|loops| loops.borrow_mut().retain(|(key, _)| *key != id));
    }
}

impl LoopInner {
    // ANCHOR: release_everything
    /// Refuses remote work and drops every callback, timer and task the loop
    /// holds, running the tasks' destructors here, on the loop's thread
    /// (`close`, and the drop of a loop nobody closed). Then closes the I/O
    /// sources that are still open, which only handles kept outside the loop
    /// can be holding, and names them (asyncio's `ResourceWarning: unclosed
    /// transport`).
    fn release_everything(&self) {
        drop(self.core.shared.close());
        self.core.clear();
        let watch = self.core.watch.take();
        let tasks = self.tasks.borrow_mut().take_all();
        for task in &tasks {
            if !task.state().is_final() && !task.is_machinery() {
                report_destroyed_pending(&**task, watch.as_deref());
            }
            task.abandon();
        }
        drop(watch);
        drop(tasks);
        // Dropping futures can queue more work (a destructor wakes another
        // task).
        self.core.clear();
        self.locals.clear();
        let left_open = self.core.poller.close_all();
        if !left_open.is_empty() {
            logging::warn!(
                "aio.event_loop",
                "event loop {} closed {} I/O source(s) left open: {}; close \
                 servers and transports before closing their loop",
                self.id,
                left_open.len(),
                left_open.join(", ")
            );
        }
    }
    // ANCHOR_END: release_everything
}

// ANCHOR: destroyed_pending
/// asyncio's "Task was destroyed but it is pending!": the loop is closing
/// with `task` unfinished, so its future is dropped without finishing. In
/// debug mode the report also says what the task was waiting on.
fn report_destroyed_pending(
    task: &dyn Runnable,
    watch: Option<&dyn StepWatch>,
) {
    let waits = watch
        .and_then(|watch| watch.describe_waits(task.header().id))
        .map(|waits| format!(", waiting on {waits}"))
        .unwrap_or_default();
    logging::error!(
        "aio.task",
        "Task was destroyed but it is pending! task: {}{waits}; await it, \
         or cancel it, before the loop closes",
        task.describe()
    );
}
// ANCHOR_END: destroyed_pending

/// Whether `AIO_DEBUG` asks for debug mode: set, and not `0` or empty.
fn debug_asked_by_environment() -> bool {
    std::env::var_os(DEBUG_ENV)
        .is_some_and(|value| !value.is_empty() && value != "0")
}

impl std::fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLoop")
            .field("id", &self.id())
            .field("running", &self.is_running())
            .field("closed", &self.is_closed())
            .field("virtual_clock", &self.inner.core.clock.is_virtual())
            .finish()
    }
}

// The loops of this thread. asyncio finds the running loop through a
// thread-local (`asyncio.get_running_loop()`), and so does aio: a loop puts
// itself in RUNNING for the length of `run_forever`. LOOPS_HERE lists every
// loop that lives on this thread, running or not, so that a task's scheduler
// can find its loop from the loop's id alone.

thread_local! {
    static RUNNING: RefCell<Option<EventLoop>> = const { RefCell::new(None) };
    static LOOPS_HERE: RefCell<Vec<(u64, Weak<LoopInner>)>> =
        const { RefCell::new(Vec::new()) };
}

/// Calls `action` with loop `loop_id`, if it lives on this thread.
fn with_loop_here<R>(
    loop_id: u64,
    action: impl FnOnce(&LoopInner) -> R,
) -> Option<R> {
    // The running loop first: it is the common case, and reaching it touches
    // no reference count (measured: see the benchmarks appendix).
    let mut action = Some(action);
    let ran = RUNNING
        .try_with(|running| {
            let running = running.borrow();
            let event_loop = running.as_ref()?;
            if event_loop.inner.id != loop_id {
                return None;
            }
            action.take().map(|action| action(&event_loop.inner))
        })
        .ok()
        .flatten();
    let Some(action) = action else { return ran };
    let inner = LOOPS_HERE
        .try_with(|loops| {
            let loops = loops.borrow();
            let (_, found) = loops.iter().find(|(id, _)| *id == loop_id)?;
            found.upgrade()
        })
        .ok()
        .flatten()?;
    Some(action(&inner))
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
