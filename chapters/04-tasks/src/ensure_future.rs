//! `asyncio_ensure_future.py`: turn a coroutine into a task, and await it
//! somewhere else.
//!
//! `asyncio.ensure_future` wraps a coroutine in a task (and passes futures
//! through). In Rust every future has one type, so the counterpart is simply
//! `aio::spawn`.

use aio::Task;

// ANCHOR: example
async fn wrapped() -> &'static str {
    println!("wrapped");
    "result"
}

async fn inner(task: Task<&'static str>) -> Result<(), aio::TaskError> {
    println!("inner: starting");
    println!("inner: waiting for {task:?}");
    let result = task.await?;
    println!("inner: task returned {result:?}");
    Ok(())
}

async fn starter() -> Result<(), Box<dyn std::error::Error>> {
    println!("starter: creating task");
    let task = aio::spawn(wrapped())?;
    println!("starter: waiting for inner");
    inner(task).await?;
    println!("starter: inner returned");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    println!("entering event loop");
    let outcome = event_loop.run_until_complete(starter());
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
