//! The capstone (project): a runtime of your own behind the book's
//! [`Runtime`] trait. This is the reference answer, about two hundred lines
//! of std: a ready queue and the tick, timers on a virtual clock, tasks with
//! their wakers and join handles. `book/solutions-capstone.md` explains it.

use crate::Runtime;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

// ANCHOR: state
/// A callback, queued or timed.
type Callback = Box<dyn FnOnce()>;

/// A spawned future, its output already sent to its handle.
type TaskFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A task's number: all that its waker needs to carry.
type TaskId = u64;

/// One item of the ready queue: a callback to call, or a task to poll.
enum Ready {
    Callback(Callback),
    Task(TaskId),
}

/// A task that has not finished. Its future is out of the map while it is
/// being polled, so that the poll can spawn and wake without a borrow.
struct TaskSlot {
    future: Option<TaskFuture>,
    /// Whether the task is in the ready queue: many wakes, one poll.
    queued: bool,
}

/// Everything one runtime holds. Each part is borrowed only for a moment,
/// never while a callback or a task runs, since those call back in.
#[derive(Default)]
struct Core {
    ready: RefCell<VecDeque<Ready>>,
    /// Timers by (deadline, order set): earliest first, FIFO among equals.
    timers: RefCell<BTreeMap<(Duration, u64), Callback>>,
    timers_set: Cell<u64>,
    now: Cell<Duration>,
    tasks: RefCell<HashMap<TaskId, TaskSlot>>,
    tasks_spawned: Cell<TaskId>,
}
// ANCHOR_END: state

thread_local! {
    /// The runtime inside `block_on` on this thread.
    static CURRENT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// The runtime inside `block_on`, for the trait's functions without `self`.
fn current() -> Rc<Core> {
    let core = CURRENT.with(|current| current.borrow().clone());
    core.expect("MyRuntime's functions work only inside block_on")
}

/// Your runtime: a handle to its `Core`.
#[derive(Default)]
pub struct MyRuntime {
    core: Rc<Core>,
}

impl std::fmt::Debug for MyRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MyRuntime").field("now", &self.core.now).finish()
    }
}

// ANCHOR: tick
impl Core {
    /// One tick: with nothing ready, jump to the next deadline; move the due
    /// timers behind what is ready; run exactly what is ready now.
    fn run_once(&self) {
        if self.ready.borrow().is_empty() {
            let next = self.timers.borrow().keys().next().map(|key| key.0);
            let deadline = next.expect(
                "deadlock: main has not finished, nothing is ready, and no \
                 timer is set",
            );
            self.now.set(deadline);
        }
        while let Some(callback) = self.pop_due_timer() {
            self.ready.borrow_mut().push_back(Ready::Callback(callback));
        }
        let ready_now = self.ready.borrow().len();
        for _ in 0..ready_now {
            let item = self.ready.borrow_mut().pop_front();
            match item {
                Some(Ready::Callback(callback)) => callback(),
                Some(Ready::Task(id)) => self.poll_task(id),
                None => break,
            }
        }
    }
    // ANCHOR_END: tick

    // ANCHOR: timers
    /// Sets a timer for `delay` from now.
    fn call_later(&self, delay: Duration, callback: Callback) {
        let order = self.timers_set.get();
        self.timers_set.set(order + 1);
        let deadline = self.now.get() + delay;
        self.timers.borrow_mut().insert((deadline, order), callback);
    }

    /// The earliest timer, if its deadline has come: never one early.
    fn pop_due_timer(&self) -> Option<Callback> {
        let mut timers = self.timers.borrow_mut();
        let earliest = timers.first_entry()?;
        (earliest.key().0 <= self.now.get()).then(|| earliest.remove())
    }
    // ANCHOR_END: timers

    // ANCHOR: tasks
    /// Makes `future` a task, and queues its first step.
    fn spawn(&self, future: TaskFuture) {
        let id = self.tasks_spawned.get();
        self.tasks_spawned.set(id + 1);
        let slot = TaskSlot { future: Some(future), queued: true };
        self.tasks.borrow_mut().insert(id, slot);
        self.ready.borrow_mut().push_back(Ready::Task(id));
    }

    /// Queues task `id`, unless it is queued already or has finished.
    fn wake(&self, id: TaskId) {
        if let Some(slot) = self.tasks.borrow_mut().get_mut(&id)
            && !slot.queued
        {
            slot.queued = true;
            self.ready.borrow_mut().push_back(Ready::Task(id));
        }
    }

    /// Polls task `id` once, with a waker that queues it again.
    fn poll_task(&self, id: TaskId) {
        let future = match self.tasks.borrow_mut().get_mut(&id) {
            Some(slot) => {
                slot.queued = false; // a wake from now on queues it again
                slot.future.take()
            }
            None => None,
        };
        let Some(mut future) = future else { return };
        let waker = Waker::from(Arc::new(TaskWaker(id)));
        let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
        if polled.is_pending()
            && let Some(slot) = self.tasks.borrow_mut().get_mut(&id)
        {
            slot.future = Some(future);
            return;
        }
        self.tasks.borrow_mut().remove(&id);
        // `future` is dropped here, outside any borrow: a future's drop may
        // wake a task or spawn one.
    }
}
// ANCHOR_END: tasks

// ANCHOR: waker
/// A task's waker. `Waker` must be `Send + Sync`, and a task is neither, so
/// the waker holds only the task's number and finds the runtime through the
/// thread-local. A wake from another thread finds no runtime there, and is
/// lost: the capstone has no other threads (aio's remote queue, chapter 1,
/// is the full answer).
struct TaskWaker(TaskId);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let core = CURRENT.try_with(|current| current.borrow().clone());
        if let Ok(Some(core)) = core {
            core.wake(self.0);
        }
    }
}
// ANCHOR_END: waker

// ANCHOR: join
/// Where one value is left for one waiting task: a task's output for its
/// handle, or a timer's ring for a sleep.
struct Slot<T> {
    value: Cell<Option<T>>,
    waiter: RefCell<Option<Waker>>,
}

impl<T> Slot<T> {
    fn new() -> Rc<Slot<T>> {
        Rc::new(Slot { value: Cell::new(None), waiter: RefCell::new(None) })
    }

    /// Leaves `value`, if anyone still waits for it, and wakes the waiter.
    fn fill(slot: &Weak<Slot<T>>, value: T) {
        if let Some(slot) = slot.upgrade() {
            slot.value.set(Some(value));
            if let Some(waiter) = slot.waiter.take() {
                waiter.wake();
            }
        }
    }
}

/// The handle [`MyRuntime::spawn`] returns: await it for the task's output.
pub struct JoinHandle<T>(Rc<Slot<T>>);

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.0.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                *self.0.waiter.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinHandle")
    }
}

/// Makes `core` the runtime inside `block_on` until dropped.
struct Entered;

impl Entered {
    fn new(core: &Rc<Core>) -> Entered {
        CURRENT.with(|current| *current.borrow_mut() = Some(Rc::clone(core)));
        Entered
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|current| current.borrow_mut().take());
    }
}

// ANCHOR: runtime
impl Runtime for MyRuntime {
    type JoinHandle<T: 'static> = JoinHandle<T>;

    fn new() -> Self {
        MyRuntime::default()
    }

    fn block_on<F>(&mut self, main: F) -> F::Output
    where
        F: Future<Output: 'static> + 'static,
    {
        let _entered = Entered::new(&self.core);
        let main = Self::spawn(main);
        loop {
            self.core.run_once();
            if let Some(output) = main.0.value.take() {
                return output;
            }
        }
    }

    fn spawn<F>(task: F) -> JoinHandle<F::Output>
    where
        F: Future<Output: 'static> + 'static,
    {
        let slot = Slot::new();
        let output = Rc::downgrade(&slot);
        current().spawn(Box::pin(async move {
            Slot::fill(&output, task.await);
        }));
        JoinHandle(slot)
    }

    async fn sleep(delay: Duration) {
        if delay.is_zero() {
            return yield_now().await;
        }
        let slot = Slot::new();
        let ring = Rc::downgrade(&slot);
        Self::call_later(delay, move || Slot::fill(&ring, ()));
        JoinHandle(slot).await;
    }

    fn call_soon(callback: impl FnOnce() + 'static) {
        let callback = Ready::Callback(Box::new(callback));
        current().ready.borrow_mut().push_back(callback);
    }

    fn call_later(delay: Duration, callback: impl FnOnce() + 'static) {
        current().call_later(delay, Box::new(callback));
    }

    fn now() -> Duration {
        current().now.get()
    }
}
// ANCHOR_END: runtime

/// Wakes the task and returns `Pending` once: a yield to the back of the
/// queue.
fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}
