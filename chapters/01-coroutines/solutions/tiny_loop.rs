//! Exercise 5: a loop of your own. [`TinyLoop`] is the first cut grown by
//! four of the things the real loop adds: ticks, one queue entry per task,
//! futures that need not be `Send`, and handles that give back results.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: waker
/// The ids of the tasks woken since they last ran, in the order they were
/// woken. Wakers may travel to other threads, so this one part is locked.
type Woken = Arc<Mutex<VecDeque<usize>>>;

/// A task's waker: its id and its `scheduled` flag, never its future, which
/// stays in the loop (and so may hold an `Rc`).
struct TaskWaker {
    id: usize,
    /// Set while the task's id is in the queue: a burst of wakes before
    /// the task runs queues it once.
    scheduled: AtomicBool,
    woken: Woken,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.woken.lock().unwrap().push_back(self.id);
        }
    }
}
// ANCHOR_END: waker

// ANCHOR: state
/// A spawned task: its future (taken out while it is polled) and its waker.
struct Slot {
    future: Option<Pin<Box<dyn Future<Output = ()>>>>,
    waker: Arc<TaskWaker>,
}

/// A loop for futures that need not be `Send`: see [`TinyLoop::block_on`].
/// Clones are handles to the same loop, for tasks that spawn tasks.
#[derive(Clone, Default)]
pub struct TinyLoop {
    inner: Rc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Every task by id; `None` once it finished.
    tasks: RefCell<Vec<Option<Slot>>>,
    woken: Woken,
    ticks: Cell<u64>,
}
// ANCHOR_END: state

impl std::fmt::Debug for TinyLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TinyLoop").field("ticks", &self.ticks()).finish()
    }
}

// ANCHOR: spawn
impl TinyLoop {
    /// A loop with no tasks.
    pub fn new() -> Self {
        TinyLoop::default()
    }

    /// Queues `future` as a new task, behind every task already queued, and
    /// returns a handle that gives its output. It first runs in the tick
    /// after this one (or in the first, from outside the loop). Dropping the
    /// handle lets the task run on.
    pub fn spawn<T: 'static>(
        &self,
        future: impl Future<Output = T> + 'static,
    ) -> JoinHandle<T> {
        let state = Rc::new(RefCell::new(JoinState::default()));
        let finish = Rc::clone(&state);
        let task = async move {
            let output = future.await;
            let waiter = {
                let mut state = finish.borrow_mut();
                state.output = Some(output);
                state.waiter.take()
            };
            if let Some(waiter) = waiter {
                waiter.wake();
            }
        };
        let mut tasks = self.inner.tasks.borrow_mut();
        let id = tasks.len();
        let waker = Arc::new(TaskWaker {
            id,
            scheduled: AtomicBool::new(false),
            woken: Arc::clone(&self.inner.woken),
        });
        waker.wake_by_ref(); // queued for its first poll
        tasks.push(Some(Slot { future: Some(Box::pin(task)), waker }));
        JoinHandle { state }
    }
    // ANCHOR_END: spawn

    // ANCHOR: block_on
    /// Runs `main`, and the tasks spawned meanwhile, tick by tick, until
    /// `main` returns; its output, or `None` if the queue ran dry first
    /// (nothing is left that could wake `main`). It returns at the end of
    /// the tick in which `main` finished.
    pub fn block_on<T: 'static>(
        &self,
        main: impl Future<Output = T> + 'static,
    ) -> Option<T> {
        let main = self.spawn(main);
        loop {
            if let Some(output) = main.state.borrow_mut().output.take() {
                return Some(output);
            }
            if self.inner.woken.lock().unwrap().is_empty() {
                return None;
            }
            self.tick();
        }
    }

    /// How many ticks this loop has run.
    pub fn ticks(&self) -> u64 {
        self.inner.ticks.get()
    }

    /// One tick: polls the tasks that were queued when it began, in queue
    /// order. A task woken meanwhile waits for the next tick.
    fn tick(&self) {
        self.inner.ticks.set(self.ticks() + 1);
        let ready = self.inner.woken.lock().unwrap().len();
        for _ in 0..ready {
            let id = self.inner.woken.lock().unwrap().pop_front();
            if let Some(id) = id {
                self.run(id);
            }
        }
    }
    // ANCHOR_END: block_on

    // ANCHOR: run
    /// Polls task `id` once, if it has not finished. No borrow is held
    /// during the poll, so the task may spawn, and wake anyone.
    fn run(&self, id: usize) {
        let taken = {
            let mut tasks = self.inner.tasks.borrow_mut();
            let slot = tasks[id].as_mut();
            slot.and_then(|slot| {
                Some((slot.future.take()?, slot.waker.clone()))
            })
        };
        let Some((mut future, waker)) = taken else { return };
        // Cleared before the poll: a wake during it queues the task again.
        waker.scheduled.store(false, Ordering::Release);
        let as_waker = Waker::from(Arc::clone(&waker));
        let polled = future.as_mut().poll(&mut Context::from_waker(&as_waker));
        let mut tasks = self.inner.tasks.borrow_mut();
        match polled {
            Poll::Ready(()) => tasks[id] = None,
            Poll::Pending => {
                if let Some(slot) = tasks[id].as_mut() {
                    slot.future = Some(future);
                }
            }
        }
    }
    // ANCHOR_END: run
}

// ANCHOR: join
/// What a task and its handle share: the output, and who awaits it.
struct JoinState<T> {
    output: Option<T>,
    waiter: Option<Waker>,
}

impl<T> Default for JoinState<T> {
    fn default() -> Self {
        JoinState { output: None, waiter: None }
    }
}

/// A handle to a task of a [`TinyLoop`]; awaiting it gives the task's
/// output.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct JoinHandle<T> {
    state: Rc<RefCell<JoinState<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.state.borrow_mut();
        match state.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                state.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join
