//! Chapter 1 (coroutines): the task, one allocation that owns a future and its
//! result.
//!
//! A task is what the loop polls. Its allocation holds a small header that any
//! thread may touch (the "already scheduled" flag, the way back to the loop)
//! and, behind an [`OwnerThreadCell`], the future itself, stored inline, and
//! its bookkeeping. The ready queue, the wakers and the [`Task`](crate::Task)
//! handle all point at this one `Arc`, each through a different trait:
//! [`Runnable`] for the loop, `Wake` for wakers and [`JoinTarget`] for the
//! handle.

use crate::ch01_coroutines::error::TaskError;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{
    Arc, AtomicBool, Ordering, TaskArc, UnsafeCell,
};
use crate::ch01_coroutines::owner_thread::OwnerThreadCell;
use crate::ch01_coroutines::remote::LoopShared;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, Location, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: task_state
/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskState {
    /// Not finished; it may be running, ready, or waiting.
    Pending,
    /// `cancel()` was called; the loop drops the future the next time it runs
    /// the task (at its place in the ready queue, so within the same tick or
    /// the next).
    Cancelling,
    /// The future returned, or panicked.
    Finished,
    /// The future was dropped by a cancellation.
    Cancelled,
}

impl TaskState {
    /// Whether the task has reached a final state.
    pub(crate) fn is_final(self) -> bool {
        matches!(self, TaskState::Finished | TaskState::Cancelled)
    }

    /// The word used in `Debug` output.
    pub(crate) fn word(self) -> &'static str {
        match self {
            TaskState::Pending => "pending",
            TaskState::Cancelling => "cancelling",
            TaskState::Finished => "finished",
            TaskState::Cancelled => "cancelled",
        }
    }
}
// ANCHOR_END: task_state

/// What the loop needs from a task, whatever its future type.
pub(crate) trait Runnable: Send + Sync {
    /// The part any thread may touch.
    fn header(&self) -> &Header;
    /// Polls the future once, or carries out a requested cancellation (loop
    /// thread).
    fn run(self: TaskArc<Self>);
    /// Drops the future without polling it again: the loop is closing (loop
    /// thread).
    fn abandon(&self);
    /// Requests cancellation: the loop drops the future when it next runs the
    /// task (the task is queued for that now). Returns false if the task is
    /// already final.
    fn request_cancel(self: TaskArc<Self>) -> bool;
    /// The current state.
    fn state(&self) -> TaskState;
    /// The task's name (`Task-N` unless set).
    fn name(&self) -> String;
    /// Renames the task.
    fn set_name(&self, name: String);
    /// Where the task was spawned.
    fn spawned_at(&self) -> &'static Location<'static>;
    /// Registers a callback to schedule when the task is final; returns its id.
    fn add_done_callback(&self, callback: Box<dyn FnOnce()>) -> Option<u64>;
    /// Unregisters a done-callback. Returns whether it was registered.
    fn remove_done_callback(&self, id: u64) -> bool;
}

// ANCHOR: header
/// The thread-safe part of a task.
pub(crate) struct Header {
    /// A number that identifies the task for the life of the process.
    pub(crate) id: u64,
    /// True while the task sits in a ready queue, so that many wakes queue it
    /// once.
    pub(crate) scheduled: AtomicBool,
    /// The way back to the task's loop, from any thread.
    pub(crate) loop_shared: Arc<LoopShared>,
}
// ANCHOR_END: header

/// Bookkeeping that only the loop's thread touches.
pub(crate) struct TaskMeta<T> {
    name: Option<String>,
    state: TaskState,
    result: Option<Result<T, TaskError>>,
    awaiters: Awaiters,
    handle_alive: bool,
    /// Whether someone looked at the result (so a panic was seen).
    result_retrieved: bool,
    done_callbacks: Vec<(u64, Box<dyn FnOnce()>)>,
    next_callback_id: u64,
    /// The task's number on its loop, which names it (`Task-7`) until renamed.
    number: u64,
    spawned_at: &'static Location<'static>,
}

/// The wakers of whoever awaits the task (a handle, `&task` watchers, `wait`):
/// the first is kept inline, so a task awaited once needs no allocation for it.
#[derive(Default)]
struct Awaiters {
    first: Option<Waker>,
    more: Vec<Waker>,
}

impl Awaiters {
    /// Remembers `waker`, unless it would wake a task already registered.
    fn register(&mut self, waker: &Waker) {
        let known = |registered: &Waker| registered.will_wake(waker);
        if self.first.as_ref().is_some_and(known) || self.more.iter().any(known)
        {
            return;
        }
        match self.first {
            None => self.first = Some(waker.clone()),
            Some(_) => self.more.push(waker.clone()),
        }
    }

    /// Wakes every awaiter, first come first woken.
    fn wake_all(self) {
        self.first.into_iter().chain(self.more).for_each(Waker::wake);
    }
}

// ANCHOR: task_cell
/// One task: a header, then the future and its bookkeeping, in a single
/// allocation.
pub(crate) struct TaskCell<F: Future> {
    header: Header,
    local: OwnerThreadCell<TaskLocal<F>>,
}

struct TaskLocal<F: Future> {
    future: FutureSlot<F>,
    meta: RefCell<TaskMeta<F::Output>>,
}
// ANCHOR_END: task_cell

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotState {
    Empty,
    Idle,
    Polling,
}

/// A future stored inline and pinned in place. It is polled and dropped where
/// it is, never moved, which is what makes `Pin::new_unchecked` below sound.
struct FutureSlot<F> {
    state: Cell<SlotState>,
    future: UnsafeCell<MaybeUninit<F>>,
}

impl<F: Future> FutureSlot<F> {
    fn new(future: F) -> Self {
        FutureSlot {
            state: Cell::new(SlotState::Idle),
            future: UnsafeCell::new(MaybeUninit::new(future)),
        }
    }

    // ANCHOR: poll_in_place
    /// Polls the future, or returns `None` if it is gone (or already being
    /// polled).
    fn poll(&self, cx: &mut Context<'_>) -> Option<Poll<F::Output>> {
        if self.state.get() != SlotState::Idle {
            return None;
        }
        self.state.set(SlotState::Polling);
        let _back_to_idle = SetOnDrop(&self.state, SlotState::Idle);
        // SAFETY: `Idle` means the slot holds an initialised future, and
        // `Polling` keeps every other access out until this borrow ends. The
        // slot lives inside the task's `Arc` allocation, which never moves, and
        // the future is only ever dropped in place (`drop_future`), never moved
        // out, so pinning it here is sound.
        self.future.with_mut(|slot| {
            // SAFETY: as above: initialised, unaliased while `Polling`, never
            // moved.
            let future =
                unsafe { Pin::new_unchecked((*slot).assume_init_mut()) };
            Some(future.poll(cx))
        })
    }
    // ANCHOR_END: poll_in_place

    /// Drops the future in place. Returns whether there was one to drop.
    fn drop_future(&self) -> bool {
        if self.state.get() != SlotState::Idle {
            return false;
        }
        // Mark the slot empty first: if the future's destructor panics, it is
        // still never dropped twice.
        self.state.set(SlotState::Empty);
        self.future.with_mut(|slot| {
            // SAFETY: the slot was `Idle`, so it held an initialised future
            // that nothing borrows (no poll is in progress), and it is now
            // marked `Empty`.
            unsafe { (*slot).assume_init_drop() }
        });
        true
    }
}

impl<F> Drop for FutureSlot<F> {
    fn drop(&mut self) {
        if self.state.get() == SlotState::Idle {
            self.state.set(SlotState::Empty);
            self.future.with_mut(|slot| {
                // SAFETY: `Idle` means initialised, and `&mut self` means
                // nothing borrows it.
                unsafe { (*slot).assume_init_drop() }
            });
        }
    }
}

/// Sets a cell to a value when dropped, even during a panic.
struct SetOnDrop<'a, T: Copy>(&'a Cell<T>, T);

impl<T: Copy> Drop for SetOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.set(self.1);
    }
}

impl<F: Future + 'static> TaskCell<F> {
    /// Allocates a task around `future`. It is not scheduled yet.
    pub(crate) fn new(
        id: u64,
        number: u64,
        loop_shared: Arc<LoopShared>,
        future: F,
        spawned_at: &'static Location<'static>,
    ) -> TaskArc<Self> {
        TaskArc::new(TaskCell {
            header: Header {
                id,
                scheduled: AtomicBool::new(false),
                loop_shared,
            },
            local: OwnerThreadCell::new(TaskLocal {
                future: FutureSlot::new(future),
                meta: RefCell::new(TaskMeta {
                    name: None,
                    state: TaskState::Pending,
                    result: None,
                    awaiters: Awaiters::default(),
                    handle_alive: true,
                    result_retrieved: false,
                    done_callbacks: Vec::new(),
                    next_callback_id: 0,
                    number,
                    spawned_at,
                }),
            }),
        })
    }

    fn local(&self) -> Option<&TaskLocal<F>> {
        let local = self.local.get();
        if local.is_none() {
            logging::error!(
                "aio.task",
                "task {} was used from a thread other than its loop's; tasks stay on their loop's thread",
                self.header.id
            );
        }
        local
    }

    /// Drops the future, reporting (not propagating) a panic in its destructor.
    fn drop_future(&self, local: &TaskLocal<F>) {
        if catch_unwind(AssertUnwindSafe(|| local.future.drop_future()))
            .is_err()
        {
            logging::error!(
                "aio.task",
                "the future of {} panicked while being dropped",
                self.name_of(local)
            );
        }
    }

    fn name_of(&self, local: &TaskLocal<F>) -> String {
        let meta = local.meta.borrow();
        match &meta.name {
            Some(name) => name.clone(),
            None => format!("Task-{}", meta.number),
        }
    }

    // ANCHOR: complete
    /// Records the outcome, wakes everyone awaiting the task and schedules
    /// done-callbacks.
    fn complete(
        &self,
        local: &TaskLocal<F>,
        outcome: Result<F::Output, TaskError>,
    ) {
        let (awaiters, callbacks, unwanted) = {
            let mut meta = local.meta.borrow_mut();
            // asyncio: a task that returns after cancel() was requested is
            // cancelled. (A panic in that same step still wins, as an exception
            // does in asyncio.)
            let outcome = match outcome {
                Ok(_) if meta.state == TaskState::Cancelling => {
                    Err(TaskError::Cancelled)
                }
                other => other,
            };
            meta.state = match outcome {
                Err(TaskError::Cancelled) => TaskState::Cancelled,
                _ => TaskState::Finished,
            };
            let unwanted = if meta.handle_alive {
                meta.result = Some(outcome);
                None
            } else {
                Some(outcome)
            };
            (
                std::mem::take(&mut meta.awaiters),
                std::mem::take(&mut meta.done_callbacks),
                unwanted,
            )
        };
        if let Some(Err(TaskError::Panicked { message })) = &unwanted {
            let spawned_at = local.meta.borrow().spawned_at;
            logging::warn!(
                "aio.task",
                "{} (spawned at {spawned_at}) panicked and its handle was \
                 dropped, so nobody will see it: {message}",
                self.name_of(local)
            );
        }
        drop(unwanted);
        crate::ch01_coroutines::event_loop::forget_task(self.header.id);
        awaiters.wake_all();
        for (_, callback) in callbacks {
            crate::ch01_coroutines::event_loop::call_soon_internal(callback);
        }
        self.release_if_unreachable(local);
    }
    // ANCHOR_END: complete

    /// Once the task is final and its handle is gone, nothing on the loop's
    /// thread can reach it again: clear what is left, so that a waker dropped
    /// on another thread frees an empty allocation.
    fn release_if_unreachable(&self, local: &TaskLocal<F>) {
        let leftovers = {
            let mut meta = local.meta.borrow_mut();
            if meta.handle_alive || !meta.state.is_final() {
                return;
            }
            (
                meta.name.take(),
                meta.result.take(),
                std::mem::take(&mut meta.awaiters),
                std::mem::take(&mut meta.done_callbacks),
            )
        };
        drop(leftovers);
        self.local.mark_emptied();
    }
}

/// Turns a panic payload into its message.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "<non-string panic payload>".to_owned()
    }
}

impl<F: Future + 'static> Runnable for TaskCell<F> {
    fn header(&self) -> &Header {
        &self.header
    }

    // ANCHOR: run
    fn run(self: TaskArc<Self>) {
        let Some(local) = self.local() else { return };
        // Clear the flag before polling: a wake during the poll queues the task
        // again, for the next tick.
        self.header.scheduled.store(false, Ordering::Release);
        let state = local.meta.borrow().state;
        match state {
            TaskState::Pending => {}
            TaskState::Cancelling => {
                self.drop_future(local);
                self.complete(local, Err(TaskError::Cancelled));
                return;
            }
            TaskState::Finished | TaskState::Cancelled => return,
        }
        let waker = Waker::from(TaskArc::clone(&self));
        let mut cx = Context::from_waker(&waker);
        let polled = {
            let _current = enter_task(self.header.id);
            catch_unwind(AssertUnwindSafe(|| local.future.poll(&mut cx)))
        };
        match polled {
            Ok(None | Some(Poll::Pending)) => {}
            Ok(Some(Poll::Ready(value))) => {
                self.drop_future(local);
                self.complete(local, Ok(value));
            }
            Err(payload) => {
                let message = panic_message(&*payload);
                self.drop_future(local);
                self.complete(local, Err(TaskError::Panicked { message }));
            }
        }
    }
    // ANCHOR_END: run

    fn abandon(&self) {
        let Some(local) = self.local() else { return };
        self.drop_future(local);
        let leftovers = {
            let mut meta = local.meta.borrow_mut();
            if meta.state.is_final() {
                return;
            }
            meta.state = TaskState::Cancelled;
            if meta.handle_alive {
                meta.result = Some(Err(TaskError::Cancelled));
            }
            (
                std::mem::take(&mut meta.awaiters),
                std::mem::take(&mut meta.done_callbacks),
            )
        };
        drop(leftovers);
        self.release_if_unreachable(local);
    }

    // ANCHOR: request_cancel
    fn request_cancel(self: TaskArc<Self>) -> bool {
        let Some(local) = self.local() else { return false };
        {
            let mut meta = local.meta.borrow_mut();
            match meta.state {
                TaskState::Pending => meta.state = TaskState::Cancelling,
                TaskState::Cancelling => return true,
                TaskState::Finished | TaskState::Cancelled => return false,
            }
        }
        crate::ch01_coroutines::waker::schedule(&self);
        true
    }
    // ANCHOR_END: request_cancel

    fn state(&self) -> TaskState {
        self.local()
            .map_or(TaskState::Pending, |local| local.meta.borrow().state)
    }

    fn name(&self) -> String {
        self.local().map_or_else(
            || format!("task #{}", self.header.id),
            |local| self.name_of(local),
        )
    }

    fn set_name(&self, name: String) {
        if let Some(local) = self.local() {
            local.meta.borrow_mut().name = Some(name);
        }
    }

    fn spawned_at(&self) -> &'static Location<'static> {
        self.local()
            .map_or(Location::caller(), |local| local.meta.borrow().spawned_at)
    }

    fn add_done_callback(&self, callback: Box<dyn FnOnce()>) -> Option<u64> {
        let local = self.local()?;
        let mut meta = local.meta.borrow_mut();
        if meta.state.is_final() {
            drop(meta);
            crate::ch01_coroutines::event_loop::call_soon_internal(callback);
            return None;
        }
        let id = meta.next_callback_id;
        meta.next_callback_id += 1;
        meta.done_callbacks.push((id, callback));
        Some(id)
    }

    fn remove_done_callback(&self, id: u64) -> bool {
        let Some(local) = self.local() else { return false };
        let removed = {
            let mut meta = local.meta.borrow_mut();
            let position = meta
                .done_callbacks
                .iter()
                .position(|(callback_id, _)| *callback_id == id);
            position.map(|index| meta.done_callbacks.remove(index))
        };
        removed.is_some()
    }
}

/// A function that looks at a task's stored result, if there is one.
pub(crate) type ResultViewer<'a, T> =
    &'a mut dyn FnMut(Option<&Result<T, TaskError>>);

/// What a [`Task`](crate::Task) handle needs from its task.
pub(crate) trait JoinTarget<T>: Runnable {
    /// Takes the result if the task is final; otherwise remembers the waker.
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, TaskError>>;
    /// Takes the result now, if the task is final.
    fn take_result(&self) -> Option<Result<T, TaskError>>;
    /// The handle was dropped: the task runs on, detached.
    fn detach(&self);
    /// Calls `show` with the stored result, if any.
    fn inspect_result(&self, show: ResultViewer<'_, T>);
    /// Ready once the task is final; otherwise remembers the waker.
    fn poll_final(&self, cx: &mut Context<'_>) -> Poll<()>;
    /// Like `inspect_result`, and counts as retrieving the result.
    fn retrieve_result(&self, show: ResultViewer<'_, T>);
}

impl<F: Future + 'static> JoinTarget<F::Output> for TaskCell<F> {
    fn poll_join(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<F::Output, TaskError>> {
        if self.poll_final(cx).is_pending() {
            return Poll::Pending;
        }
        let Some(local) = self.local() else { return Poll::Pending };
        let mut meta = local.meta.borrow_mut();
        match meta.result.take() {
            Some(result) => {
                meta.result_retrieved = true;
                Poll::Ready(result)
            }
            None => Poll::Ready(Err(TaskError::ResultTaken)),
        }
    }

    fn take_result(&self) -> Option<Result<F::Output, TaskError>> {
        let local = self.local()?;
        let mut meta = local.meta.borrow_mut();
        if !meta.state.is_final() {
            return None;
        }
        meta.result_retrieved = true;
        meta.result.take()
    }

    // ANCHOR: detach
    fn detach(&self) {
        let Some(local) = self.local() else { return };
        let (result, retrieved) = {
            let mut meta = local.meta.borrow_mut();
            meta.handle_alive = false;
            meta.awaiters = Awaiters::default();
            (meta.result.take(), meta.result_retrieved)
        };
        if let Some(Err(TaskError::Panicked { message })) = &result
            && !retrieved
        {
            let spawned_at = local.meta.borrow().spawned_at;
            logging::warn!(
                "aio.task",
                "{} (spawned at {spawned_at}) panicked and its error was never \
                 retrieved: {message}",
                self.name_of(local)
            );
        }
        drop(result);
        self.release_if_unreachable(local);
    }
    // ANCHOR_END: detach
    fn inspect_result(&self, show: ResultViewer<'_, F::Output>) {
        match self.local() {
            Some(local) => show(local.meta.borrow().result.as_ref()),
            None => show(None),
        }
    }

    fn poll_final(&self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(local) = self.local() else { return Poll::Pending };
        let mut meta = local.meta.borrow_mut();
        if meta.state.is_final() {
            return Poll::Ready(());
        }
        meta.awaiters.register(cx.waker());
        Poll::Pending
    }

    fn retrieve_result(&self, show: ResultViewer<'_, F::Output>) {
        match self.local() {
            Some(local) => {
                local.meta.borrow_mut().result_retrieved = true;
                show(local.meta.borrow().result.as_ref());
            }
            None => show(None),
        }
    }
}

// The task being polled on this thread, for `current_task()`.

thread_local! {
    static CURRENT_TASK: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Records which task is being polled until the guard is dropped.
pub(crate) fn enter_task(task_id: u64) -> CurrentTaskGuard {
    let previous = CURRENT_TASK.with(|current| current.replace(Some(task_id)));
    CurrentTaskGuard { previous }
}

/// Restores the previous current task when dropped.
pub(crate) struct CurrentTaskGuard {
    previous: Option<u64>,
}

impl Drop for CurrentTaskGuard {
    fn drop(&mut self) {
        let _ = CURRENT_TASK.try_with(|current| current.set(self.previous));
    }
}

/// The id of the task being polled on this thread, if any.
pub(crate) fn current_task_id() -> Option<u64> {
    CURRENT_TASK.try_with(Cell::get).ok().flatten()
}
