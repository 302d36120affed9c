//! `asyncio_cancel_task.py`: cancel a task before it ever runs.

use aio::{EventLoop, TaskError};

// ANCHOR: example
async fn task_func() -> &'static str {
    println!("in task_func");
    "the result"
}

async fn main_task(
    event_loop: EventLoop,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("creating task");
    let task = event_loop.create_task(task_func())?;
    println!("canceling task");
    task.cancel();
    // Only a request so far: the loop carries it out on its next tick.
    println!("canceled task {task:?}");
    match task.await {
        Err(TaskError::Cancelled) => {
            println!("caught error from canceled task")
        }
        Err(error) => println!("task failed: {error}"),
        Ok(result) => println!("task result: {result:?}"),
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
