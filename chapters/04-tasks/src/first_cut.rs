//! A first cut at a task: a boxed future, a result slot and a waker, each in
//! an allocation of its own, run by a small single-threaded executor. The
//! real task (`src/ch01_coroutines/task_cell.rs`) is one allocation.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: task
/// Any task's future, boxed so that tasks of every type fit in one map.
type Job = Pin<Box<dyn Future<Output = ()>>>;

/// A task: its future until it finishes or is cancelled, and its waker.
struct Task {
    future: RefCell<Option<Job>>,
    waker: Waker,
}

/// Wakers must be `Send + Sync`, and an `Rc<Task>` is neither, so a waker
/// carries the task's id and the queue of woken ids instead.
struct WakeById {
    id: u64,
    woken: Arc<Mutex<VecDeque<u64>>>,
}

impl Wake for WakeById {
    fn wake(self: Arc<Self>) {
        self.woken.lock().unwrap().push_back(self.id);
    }
}

/// What a task shares with its handle: the result, or that it was
/// cancelled, and the waker of whoever awaits it.
struct Slot<T> {
    result: Option<T>,
    cancelled: bool,
    awaiter: Option<Waker>,
}
// ANCHOR_END: task

/// Runs tasks on the thread that made it, until none is woken.
#[derive(Default)]
pub struct Executor {
    tasks: RefCell<HashMap<u64, Rc<Task>>>,
    woken: Arc<Mutex<VecDeque<u64>>>,
    next_id: Cell<u64>,
}

impl Executor {
    // ANCHOR: spawn
    /// Makes `future` a task, queued to run; the handle gives its result.
    pub fn spawn<T: 'static>(
        &self,
        future: impl Future<Output = T> + 'static,
    ) -> Handle<T> {
        let empty = Slot { result: None, cancelled: false, awaiter: None };
        let slot = Rc::new(RefCell::new(empty));
        let theirs = Rc::clone(&slot);
        let job: Job = Box::pin(async move {
            let value = future.await;
            let mut slot = theirs.borrow_mut();
            slot.result = Some(value);
            if let Some(awaiter) = slot.awaiter.take() {
                awaiter.wake();
            }
        });
        let id = self.next_id.replace(self.next_id.get() + 1);
        let woken = Arc::clone(&self.woken);
        let waker = Waker::from(Arc::new(WakeById { id, woken }));
        let task = Rc::new(Task { future: RefCell::new(Some(job)), waker });
        task.waker.wake_by_ref();
        self.tasks.borrow_mut().insert(id, Rc::clone(&task));
        Handle { task, slot }
    }
    // ANCHOR_END: spawn

    // ANCHOR: run
    /// Polls woken tasks, in the order they were woken, until none is.
    pub fn run(&self) {
        loop {
            let next = self.woken.lock().unwrap().pop_front();
            let Some(id) = next else { return };
            let Some(task) = self.tasks.borrow().get(&id).cloned() else {
                continue; // already finished: a stale wake
            };
            let mut future = task.future.borrow_mut();
            let done = future.as_mut().is_none_or(|future| {
                let mut cx = Context::from_waker(&task.waker);
                future.as_mut().poll(&mut cx).is_ready()
            });
            if done {
                *future = None;
                self.tasks.borrow_mut().remove(&id);
            }
        }
    }
    // ANCHOR_END: run
}

// ANCHOR: handle
/// A task's handle: awaiting it gives `Some(result)`, or `None` if the task
/// was cancelled.
pub struct Handle<T> {
    task: Rc<Task>,
    slot: Rc<RefCell<Slot<T>>>,
}

impl<T> Handle<T> {
    /// Cancels the task by dropping its future, unless it has finished.
    pub fn cancel(&self) {
        drop(self.task.future.borrow_mut().take());
        self.task.waker.wake_by_ref(); // so the executor forgets it
        let mut slot = self.slot.borrow_mut();
        slot.cancelled = slot.result.is_none();
        if let Some(awaiter) = slot.awaiter.take() {
            awaiter.wake();
        }
    }
}

impl<T> Future for Handle<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = self.slot.borrow_mut();
        if let Some(value) = slot.result.take() {
            return Poll::Ready(Some(value));
        }
        if slot.cancelled {
            return Poll::Ready(None);
        }
        slot.awaiter = Some(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: handle
