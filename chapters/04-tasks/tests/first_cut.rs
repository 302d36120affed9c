//! The first cut at a task: spawn it, await its result, cancel it. And the
//! case that shows why the real task cancels later, not inside `cancel()`.

use ch04_tasks::first_cut::{Executor, Handle};
use std::cell::{Cell, RefCell};
use std::future::{pending, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::task::Poll;

/// Gives way once, so that other tasks run before this one goes on.
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
}

/// Sets its flag when dropped: shows when a task's future is dropped.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn awaiting_a_handle_gives_the_result() {
    let executor = Executor::default();
    let answer = executor.spawn(async {
        yield_now().await; // the awaiter runs first and has to wait
        6 * 7
    });
    let seen = Rc::new(Cell::new(None));
    let awaiter_saw = Rc::clone(&seen);
    executor.spawn(async move { awaiter_saw.set(Some(answer.await)) });
    executor.run();
    assert_eq!(seen.get(), Some(Some(42)));
}

#[test]
fn cancelling_drops_the_future_and_the_awaiter_sees_none() {
    let executor = Executor::default();
    let dropped = Rc::new(Cell::new(false));
    let guard = DropFlag(Rc::clone(&dropped));
    let forever = executor.spawn(async move {
        let _guard = guard;
        pending::<u32>().await
    });
    executor.run();
    assert!(!dropped.get(), "a pending task keeps its future");
    forever.cancel();
    assert!(dropped.get(), "cancel() dropped the future, there and then");
    let seen = Rc::new(Cell::new(None));
    let awaiter_saw = Rc::clone(&seen);
    executor.spawn(async move { awaiter_saw.set(Some(forever.await)) });
    executor.run();
    assert_eq!(seen.get(), Some(None), "the awaiter learns it was cancelled");
}

#[test]
fn cancelling_a_finished_task_keeps_its_result() {
    let executor = Executor::default();
    let done = executor.spawn(async { "finished first" });
    executor.run();
    done.cancel();
    let seen = Rc::new(Cell::new(None));
    let awaiter_saw = Rc::clone(&seen);
    executor.spawn(async move { awaiter_saw.set(Some(done.await)) });
    executor.run();
    assert_eq!(seen.get(), Some(Some("finished first")));
}

#[test]
fn a_task_cancelling_itself_panics_in_the_first_cut() {
    let executor = Executor::default();
    let own_handle: Rc<RefCell<Option<Handle<()>>>> = Rc::default();
    let inside = Rc::clone(&own_handle);
    let handle = executor.spawn(async move {
        if let Some(handle) = inside.borrow().as_ref() {
            handle.cancel(); // the future is being polled: it can't be dropped
        }
    });
    *own_handle.borrow_mut() = Some(handle);
    let outcome = catch_unwind(AssertUnwindSafe(|| executor.run()));
    let panic = outcome.expect_err("cancel() borrowed the running future");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("already borrowed"), "{message:?}");
}
