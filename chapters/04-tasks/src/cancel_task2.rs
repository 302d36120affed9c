//! `asyncio_cancel_task2.py`: cancel a task while it sleeps; it notices, and so
//! does `main`.

use aio::{EventLoop, TaskError, TaskRef};
use std::time::Duration;

// ANCHOR: guard
/// Runs `on_cancel` if it is dropped before `disarm`: cancellation drops the
/// task's future, so this is where a Rust task notices it was cancelled.
struct CancelGuard<F: FnOnce()> {
    on_cancel: Option<F>,
}

impl<F: FnOnce()> CancelGuard<F> {
    fn new(on_cancel: F) -> Self {
        CancelGuard { on_cancel: Some(on_cancel) }
    }

    fn disarm(mut self) {
        self.on_cancel = None;
    }
}

impl<F: FnOnce()> Drop for CancelGuard<F> {
    fn drop(&mut self) {
        if let Some(on_cancel) = self.on_cancel.take() {
            on_cancel();
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: example
async fn task_func() -> &'static str {
    println!("in task_func, sleeping");
    let guard = CancelGuard::new(|| println!("task_func was canceled"));
    aio::sleep(Duration::from_secs(1)).await;
    guard.disarm();
    "the result"
}

fn task_canceller(task: &TaskRef) {
    println!("in task_canceller");
    task.cancel();
    println!("canceled the task");
}

async fn main_task(
    event_loop: EventLoop,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("creating task");
    let task = event_loop.create_task(task_func())?;
    let target = task.as_task_ref();
    event_loop.call_soon(move || task_canceller(&target))?;
    if let Err(TaskError::Cancelled) = task.await {
        println!("main() also sees task as canceled");
    }
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(event_loop.clone()));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
