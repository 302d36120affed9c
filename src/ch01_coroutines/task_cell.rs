//! Chapter 1 (coroutines): the task, one allocation that owns a future and its
//! result.
//!
//! A task is what the loop polls. Its allocation holds a small [`Header`] that
//! any thread may touch (the "already scheduled" flag, the task's
//! [`Schedule`]) and, behind an [`OwnerThreadCell`], the future itself, stored
//! inline, and its bookkeeping. The ready queue, the wakers and the
//! [`Task`](crate::Task) handle all point at this one `Arc`, each through a
//! different trait: [`Runnable`] for the loop, `Wake` for wakers and
//! [`JoinTarget`] for the handle. The task never names its loop: everything it
//! asks of the loop goes through the [`Schedule`] in its header.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::error::{TaskError, panic_message};
use crate::ch01_coroutines::future_slot::FutureSlot;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{AtomicBool, Ordering, TaskArc};
use crate::ch01_coroutines::owner_thread::OwnerThreadCell;
use crate::ch01_coroutines::seam::{
    Header, Runnable, Schedule, TaskSlot, TaskState,
};
use crate::ch01_coroutines::waker;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::panic::{AssertUnwindSafe, Location, catch_unwind};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: task_meta
/// Bookkeeping that only the loop's thread touches.
pub(crate) struct TaskMeta<T> {
    state: TaskState,
    result: Option<Result<T, TaskError>>,
    awaiters: Awaiters,
    handle_alive: bool,
    /// Whether someone looked at the result (so a panic was seen).
    result_retrieved: bool,
    /// Whether the runtime spawned it for its own machinery.
    machinery: bool,
    /// The task's number on its loop, which names it (`Task-7`) until renamed.
    number: u64,
    spawned_at: &'static Location<'static>,
    /// What few tasks have, kept out of line so that the others carry one
    /// pointer for it (every byte here is a byte per task).
    extras: Option<Box<TaskExtras>>,
}

/// A name given with `set_name`, and done-callbacks.
#[derive(Default)]
struct TaskExtras {
    name: Option<String>,
    done_callbacks: Vec<(u64, Box<dyn FnOnce()>)>,
    next_callback_id: u64,
}
// ANCHOR_END: task_meta

impl<T> TaskMeta<T> {
    /// The extras, made on first use.
    fn extras(&mut self) -> &mut TaskExtras {
        self.extras.get_or_insert_default()
    }

    /// Takes the done-callbacks, to call them (or drop them) now.
    fn take_done_callbacks(&mut self) -> Vec<(u64, Box<dyn FnOnce()>)> {
        self.extras
            .as_mut()
            .map(|extras| std::mem::take(&mut extras.done_callbacks))
            .unwrap_or_default()
    }
}

// ANCHOR: awaiters
/// The wakers of whoever awaits the task (a handle, `&task` watchers, `wait`):
/// the first is kept inline, so a task awaited once needs no allocation for
/// it, and the others in a box, so that a task carries one pointer for them
/// (an inline `Vec` was 16 bytes more per task, and most have none).
#[derive(Default)]
struct Awaiters {
    first: Option<Waker>,
    // A `Vec` is three words inline; boxed, one, and most tasks have none.
    #[expect(clippy::box_collection, reason = "the box keeps the cell small")]
    more: Option<Box<Vec<Waker>>>,
}

impl Awaiters {
    /// The awaiters after the first.
    fn more(&self) -> &[Waker] {
        self.more.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Remembers `waker`, unless it would wake a task already registered.
    fn register(&mut self, waker: &Waker) {
        let known = |registered: &Waker| registered.will_wake(waker);
        if self.first.as_ref().is_some_and(known)
            || self.more().iter().any(known)
        {
            return;
        }
        match self.first {
            None => self.first = Some(waker.clone()),
            Some(_) => self.more.get_or_insert_default().push(waker.clone()),
        }
    }

    /// Forgets the awaiters that `waker` would wake: one that stopped
    /// waiting (chapter 5's `wait`, returning) must not be woken later.
    fn forget(&mut self, waker: &Waker) {
        let more = self.more.get_or_insert_default();
        more.retain(|registered| !registered.will_wake(waker));
        if self.first.as_ref().is_some_and(|first| first.will_wake(waker)) {
            // Keep the order: the next awaiter becomes the first.
            self.first =
                if more.is_empty() { None } else { Some(more.remove(0)) };
        }
        if more.is_empty() {
            self.more = None;
        }
    }

    /// Wakes every awaiter, first come first woken.
    fn wake_all(self) {
        if let Some(first) = self.first {
            first.wake();
        }
        if let Some(more) = self.more {
            more.into_iter().for_each(Waker::wake);
        }
    }
}
// ANCHOR_END: awaiters

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

impl<F: Future + 'static> TaskCell<F> {
    /// Allocates a task around `future`. It is not scheduled yet.
    pub(crate) fn new(
        id: u64,
        slot: TaskSlot,
        number: u64,
        scheduler: TaskArc<dyn Schedule>,
        future: F,
        spawned_at: &'static Location<'static>,
    ) -> TaskArc<Self> {
        TaskArc::new(TaskCell {
            header: Header {
                id,
                slot,
                scheduled: AtomicBool::new(false),
                scheduler,
            },
            local: OwnerThreadCell::new(TaskLocal {
                future: FutureSlot::new(future),
                meta: RefCell::new(TaskMeta {
                    state: TaskState::Pending,
                    result: None,
                    awaiters: Awaiters::default(),
                    handle_alive: true,
                    result_retrieved: false,
                    machinery: false,
                    number,
                    spawned_at,
                    extras: None,
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
        match meta.extras.as_ref().and_then(|extras| extras.name.as_ref()) {
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
                meta.take_done_callbacks(),
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
        self.header.scheduler.release(&self.header);
        awaiters.wake_all();
        for (_, callback) in callbacks {
            self.header.scheduler.call_soon(callback);
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
                meta.result.take(),
                std::mem::take(&mut meta.awaiters),
                meta.extras.take(),
            )
        };
        drop(leftovers);
        self.local.mark_emptied();
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
        let waker = borrowed_waker(&self);
        let mut cx = Context::from_waker(&waker);
        let polled = {
            let _current = enter_task(&self.header);
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
            (std::mem::take(&mut meta.awaiters), meta.take_done_callbacks())
        };
        drop(leftovers);
        self.release_if_unreachable(local);
    }

    // ANCHOR: request_cancel
    fn request_cancel(self: TaskArc<Self>) -> bool {
        let Some(local) = self.local() else { return false };
        {
            let mut meta = local.meta.borrow_mut();
            // Whoever cancels has taken charge of the task: a panic it ended
            // with is no longer reported as never retrieved (asyncio clears
            // `_log_traceback` the same way, done or not).
            meta.result_retrieved = true;
            match meta.state {
                TaskState::Pending => meta.state = TaskState::Cancelling,
                TaskState::Cancelling => return true,
                TaskState::Finished | TaskState::Cancelled => return false,
            }
        }
        waker::schedule(&self);
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
            local.meta.borrow_mut().extras().name = Some(name);
        }
    }

    fn spawned_at(&self) -> &'static Location<'static> {
        self.local()
            .map_or(Location::caller(), |local| local.meta.borrow().spawned_at)
    }

    fn mark_machinery(&self) {
        if let Some(local) = self.local() {
            local.meta.borrow_mut().machinery = true;
        }
    }

    fn is_machinery(&self) -> bool {
        self.local().is_some_and(|local| local.meta.borrow().machinery)
    }

    fn add_done_callback(&self, callback: Box<dyn FnOnce()>) -> Option<u64> {
        let local = self.local()?;
        let mut meta = local.meta.borrow_mut();
        if meta.state.is_final() {
            drop(meta);
            self.header.scheduler.call_soon(callback);
            return None;
        }
        let extras = meta.extras();
        let id = extras.next_callback_id;
        extras.next_callback_id += 1;
        extras.done_callbacks.push((id, callback));
        Some(id)
    }

    fn remove_done_callback(&self, id: u64) -> bool {
        let Some(local) = self.local() else { return false };
        let removed = {
            let mut meta = local.meta.borrow_mut();
            let Some(extras) = meta.extras.as_mut() else { return false };
            let callbacks = &mut extras.done_callbacks;
            let position = callbacks
                .iter()
                .position(|(callback_id, _)| *callback_id == id);
            position.map(|index| callbacks.remove(index))
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
    /// Forgets a waker that `poll_final` remembered.
    fn forget_waker(&self, waker: &Waker);
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
        awaiting::note(|| WaitingOn::Task(self.header.id));
        Poll::Pending
    }

    fn forget_waker(&self, waker: &Waker) {
        if let Some(local) = self.local() {
            local.meta.borrow_mut().awaiters.forget(waker);
        }
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

// ANCHOR: borrowed_waker
/// A waker for `task` that borrows the caller's reference instead of taking
/// one of its own, for the length of a poll (the `futures` crate's
/// `waker_ref`). `Waker::from(task.clone())` would do, and did in the first
/// version, but each poll then adds one to the task's reference count and
/// takes it away again: two atomic read-modify-writes, a fifth of the cost
/// of a yield (measured: see the benchmarks appendix). A clone of this waker
/// (a future keeping it) is a real one, with its own reference.
fn borrowed_waker<W: Wake + Send + Sync + 'static>(
    task: &TaskArc<W>,
) -> BorrowedWaker<'_> {
    // SAFETY: `from_raw` makes an `Arc` out of `task`'s pointer without
    // counting it, so the count stays one short of the `Arc`s that exist.
    // The waker made from it is never dropped (`ManuallyDrop`), so it never
    // gives back the count it did not take. It cannot outlive `task` (the
    // lifetime says so), whose reference keeps the allocation alive; wakers
    // cloned from it go through std's vtable, which adds one to the count
    // for each clone, as for any waker made from an `Arc`.
    let uncounted = unsafe { TaskArc::from_raw(TaskArc::as_ptr(task)) };
    BorrowedWaker {
        waker: ManuallyDrop::new(Waker::from(uncounted)),
        _task: PhantomData,
    }
}

/// A waker that lives no longer than the task reference it borrows.
struct BorrowedWaker<'task> {
    waker: ManuallyDrop<Waker>,
    _task: PhantomData<&'task ()>,
}

impl std::ops::Deref for BorrowedWaker<'_> {
    type Target = Waker;

    fn deref(&self) -> &Waker {
        &self.waker
    }
}
// ANCHOR_END: borrowed_waker

// The task being polled on this thread, for `current_task()`.

thread_local! {
    static CURRENT_TASK: Cell<Option<(u64, TaskSlot)>> =
        const { Cell::new(None) };
}

/// Records which task is being polled until the guard is dropped.
pub(crate) fn enter_task(task: &Header) -> CurrentTaskGuard {
    let previous = CURRENT_TASK
        .with(|current| current.replace(Some((task.id, task.slot))));
    CurrentTaskGuard { previous }
}

/// Restores the previous current task when dropped.
pub(crate) struct CurrentTaskGuard {
    previous: Option<(u64, TaskSlot)>,
}

impl Drop for CurrentTaskGuard {
    fn drop(&mut self) {
        let _ = CURRENT_TASK.try_with(|current| current.set(self.previous));
    }
}

/// The id of the task being polled on this thread, if any.
pub(crate) fn current_task_id() -> Option<u64> {
    current_task_place().map(|(id, _)| id)
}

/// The id and registry slot of the task being polled on this thread, if any.
pub(crate) fn current_task_place() -> Option<(u64, TaskSlot)> {
    CURRENT_TASK.try_with(Cell::get).ok().flatten()
}

// ANCHOR: wake
impl<F: Future + 'static> Wake for TaskCell<F> {
    fn wake(self: TaskArc<Self>) {
        waker::schedule(&self);
    }

    fn wake_by_ref(self: &TaskArc<Self>) {
        waker::schedule(self);
    }
}
// ANCHOR_END: wake

#[cfg(all(test, aio_loom))]
mod loom_models {
    //! The waker's cross-thread path, against a task: run with `RUSTFLAGS="--cfg aio_loom"
    //! cargo test --lib loom`.

    use super::{JoinTarget, TaskCell};
    use crate::ch01_coroutines::loom::{Arc, Mutex, TaskArc};
    use crate::ch01_coroutines::remote::RemoteItem;
    use crate::ch01_coroutines::remote::loom_models::{
        RemoteOnly, modelled_loop,
    };
    use crate::ch01_coroutines::seam::Runnable;
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::thread;
    use std::panic::Location;
    use std::task::{Poll, Waker};

    struct CountsDrops(Arc<AtomicUsize>);

    impl Drop for CountsDrops {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Model 3: another thread clones the task's waker, wakes it twice and
    /// drops it, racing the loop, which runs the task to completion. The task
    /// is queued at most once at a time, polled to the end exactly once, and
    /// its future dropped once.
    #[test]
    fn loom_a_remote_wake_races_the_task_finishing() {
        loom::model(|| {
            let (shared, poller) = modelled_loop();
            let drops = Arc::new(AtomicUsize::new(0));
            let handed_out: Arc<Mutex<Option<Waker>>> = Arc::default();
            let (guard, slot) =
                (CountsDrops(drops.clone()), handed_out.clone());
            let mut polls = 0;
            let future = std::future::poll_fn(move |cx| {
                let _alive = &guard;
                polls += 1;
                if polls == 1 {
                    *slot.lock().unwrap() = Some(cx.waker().clone());
                    Poll::Pending
                } else {
                    Poll::Ready(polls)
                }
            });
            // The task's scheduler is the remote queue alone: no loop at all.
            let scheduler = TaskArc::new(RemoteOnly(shared.clone()));
            let task =
                TaskCell::new(1, 0, 1, scheduler, future, Location::caller());
            TaskArc::clone(&task).run(); // the first poll hands the waker out

            let remote = thread::spawn(move || {
                let waker = handed_out
                    .lock()
                    .unwrap()
                    .take()
                    .expect("the first poll stored it");
                let copy = waker.clone();
                copy.wake_by_ref();
                waker.wake();
                drop(copy);
            });
            // The loop: sleep until woken, run what arrived, until the task is
            // done.
            while !task.state().is_final() {
                poller.wait();
                let items = shared.drain();
                let queued = items
                    .iter()
                    .filter(|item| matches!(item, RemoteItem::Task(_)))
                    .count();
                assert!(queued <= 1, "a task is never queued twice at once");
                for item in items {
                    if let RemoteItem::Task(task) = item {
                        task.run();
                    }
                }
            }
            remote.join().unwrap();
            assert_eq!(
                task.take_result(),
                Some(Ok(2)),
                "polled to the end once, on its second poll"
            );
            assert_eq!(
                drops.load(Ordering::SeqCst),
                1,
                "the future was dropped exactly once"
            );
            task.detach();
            drop(shared.close()); // a wake that came after the end is dropped here
        });
    }
}

#[cfg(all(test, not(aio_loom)))]
mod tests {
    use super::TaskCell;
    use crate::ch01_coroutines::loom::TaskArc;
    use crate::ch01_coroutines::seam::{Header, Runnable, Schedule};
    use std::cell::RefCell;
    use std::panic::Location;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    /// A scheduler with no loop: a task on it runs only when told to.
    struct Nowhere;

    impl Schedule for Nowhere {
        fn schedule_local(
            &self,
            task: TaskArc<dyn Runnable>,
        ) -> Result<(), TaskArc<dyn Runnable>> {
            Err(task)
        }
        fn schedule_remote(&self, _task: TaskArc<dyn Runnable>) {}
        fn release(&self, _task: &Header) {}
        fn call_soon(&self, _callback: Box<dyn FnOnce()>) {}
    }

    /// Every byte of the cell is a byte per task: 100,000 tasks alive touch
    /// all of them (the benchmarks appendix measures what it costs). The
    /// first version's cell for this future was 224 bytes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_task_for_a_small_future_fits_in_168_bytes() {
        let size = std::mem::size_of::<TaskCell<std::future::Ready<u64>>>();
        assert!(size <= 168, "a task cell takes {size} bytes");
    }

    #[test]
    fn the_waker_a_poll_lends_counts_only_when_cloned() {
        let kept: Rc<RefCell<Option<Waker>>> = Rc::default();
        let slot = kept.clone();
        let mut polls = 0;
        let future = std::future::poll_fn(move |cx| {
            polls += 1;
            cx.waker().wake_by_ref(); // no count taken or given back
            if polls == 1 {
                *slot.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        });
        let scheduler = TaskArc::new(Nowhere);
        let task =
            TaskCell::new(1, 0, 1, scheduler, future, Location::caller());
        assert_eq!(TaskArc::strong_count(&task), 1);
        TaskArc::clone(&task).run();
        assert_eq!(
            TaskArc::strong_count(&task),
            2,
            "the task's own reference, and the kept clone's"
        );
        let waker = kept.borrow_mut().take().unwrap();
        waker.wake_by_ref();
        assert_eq!(TaskArc::strong_count(&task), 2);
        drop(waker);
        assert_eq!(TaskArc::strong_count(&task), 1);
        TaskArc::clone(&task).run(); // finishes
        assert_eq!(TaskArc::strong_count(&task), 1);
    }
}
