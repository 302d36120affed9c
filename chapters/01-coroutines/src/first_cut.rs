//! A first cut at an event loop: a ready queue of tasks, a waker that puts a
//! task back on it, and `block_on`. About forty lines, std only. The real
//! loop (`src/ch01_coroutines/`) is what this grows into.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: task
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;
type Queue = Arc<Mutex<VecDeque<Arc<Task>>>>;

/// A spawned future, and the ready queue that its waker puts it back on.
struct Task {
    future: Mutex<Option<Job>>,
    queue: Queue,
}

impl Wake for Task {
    /// Waking a task pushes it onto the back of the ready queue.
    fn wake(self: Arc<Self>) {
        let queue = Arc::clone(&self.queue);
        queue.lock().unwrap().push_back(self);
    }
}
// ANCHOR_END: task

// ANCHOR: spawn
/// A handle to the ready queue: tasks clone it to spawn more tasks.
#[derive(Clone, Default)]
pub struct Spawner {
    queue: Queue,
}

impl Spawner {
    /// Queues `future` as a new task; it first runs when the loop reaches it.
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let future = Mutex::new(Some(Box::pin(future) as Job));
        Arc::new(Task { future, queue: Arc::clone(&self.queue) }).wake();
    }
}
// ANCHOR_END: spawn

// ANCHOR: block_on
/// Runs the future that `main` builds, and the tasks it spawns, until it
/// returns. `None` if the queue runs dry first: nothing is left to wake it.
pub fn block_on<T, F>(main: impl FnOnce(Spawner) -> F) -> Option<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let spawner = Spawner::default();
    let result = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&result);
    let main = main(spawner.clone());
    spawner.spawn(async move { *slot.lock().unwrap() = Some(main.await) });
    loop {
        let task = spawner.queue.lock().unwrap().pop_front()?;
        let waker = Waker::from(Arc::clone(&task));
        let mut future = task.future.lock().unwrap();
        let Some(running) = future.as_mut() else { continue };
        if running.as_mut().poll(&mut Context::from_waker(&waker)).is_ready() {
            *future = None; // finished: a late wake finds nothing to poll
        }
        if let Some(value) = result.lock().unwrap().take() {
            return Some(value);
        }
    }
}
// ANCHOR_END: block_on

// ANCHOR: yield_now
/// Gives way once: wakes its own task, so that it goes to the back of the
/// queue, and returns `Pending`. The next poll finishes it.
pub fn yield_now() -> impl Future<Output = ()> {
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
// ANCHOR_END: yield_now
