//! Chapter 1 (coroutines): waking a task, from its own thread or any other.
//!
//! A [`Waker`](std::task::Waker) must be `Send + Sync`, because a future may
//! hand it to another thread (a thread pool, an I/O thread). Waking puts the
//! task back in its loop's ready queue. On the loop's own thread, while the
//! loop runs, that is a plain push with no lock. From anywhere else it goes
//! through the loop's remote queue and wakes the poller. The `scheduled` flag
//! makes a burst of wakes queue the task once.

use crate::ch01_coroutines::event_loop;
use crate::ch01_coroutines::loom::{Ordering, TaskArc};
use crate::ch01_coroutines::remote::RemoteItem;
use crate::ch01_coroutines::task_cell::{Runnable, TaskCell};
use std::future::Future;
use std::task::Wake;

// ANCHOR: schedule
/// Puts `task` in its loop's ready queue, unless it is already there.
pub(crate) fn schedule<R: Runnable + 'static>(task: &TaskArc<R>) {
    let header = task.header();
    if header.scheduled.swap(true, Ordering::AcqRel) {
        return; // already queued: many wakes, one poll
    }
    let runnable: TaskArc<dyn Runnable> = task.clone();
    // Fast path: we are on the loop's thread and the loop is running.
    let Err(runnable) =
        event_loop::push_ready_if_running(header.loop_shared.loop_id, runnable)
    else {
        return;
    };
    // Slow path: another thread, or the loop is not running right now. If the
    // loop is closed, the push fails and drops the task: it can never run
    // again.
    let _ = header.loop_shared.push(RemoteItem::Task(runnable));
}
// ANCHOR_END: schedule

impl<F: Future + 'static> Wake for TaskCell<F> {
    fn wake(self: TaskArc<Self>) {
        schedule(&self);
    }

    fn wake_by_ref(self: &TaskArc<Self>) {
        schedule(self);
    }
}

#[cfg(all(test, aio_loom))]
mod loom_models {
    //! The waker's cross-thread path: run with `RUSTFLAGS="--cfg aio_loom"
    //! cargo test --lib loom`.

    use crate::ch01_coroutines::loom::{Arc, Mutex, TaskArc};
    use crate::ch01_coroutines::remote::RemoteItem;
    use crate::ch01_coroutines::remote::loom_models::modelled_loop;
    use crate::ch01_coroutines::task_cell::{JoinTarget, Runnable, TaskCell};
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
            let task =
                TaskCell::new(1, 1, shared.clone(), future, Location::caller());
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
