//! `asyncio_create_task.py`: start a task, and await it.

use aio::EventLoop;

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
    println!("waiting for {task:?}");
    // Awaiting `&task` leaves the result in the task, as in asyncio.
    let return_value = (&task).await?;
    println!("task completed {task:?}");
    println!("return value: {return_value:?}");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(event_loop.clone()));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
