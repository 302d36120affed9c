//! `asyncio_lock.py`: two coroutines take turns with a lock, in FIFO order.

use aio::{EventLoop, Lock, ReturnWhen, SyncError};
use std::time::Duration;

// ANCHOR: example
fn unlock(lock: &Lock) {
    println!("callback releasing lock");
    lock.release().expect("main holds the lock");
}

async fn coro1(lock: Lock) -> Result<(), SyncError> {
    println!("coro1 waiting for the lock");
    {
        let _guard = lock.lock().await; // Python: async with lock:
        println!("coro1 acquired lock");
    }
    println!("coro1 released lock");
    Ok(())
}

async fn coro2(lock: Lock) -> Result<(), SyncError> {
    println!("coro2 waiting for the lock");
    lock.acquire().await;
    println!("coro2 acquired lock");
    println!("coro2 released lock");
    lock.release()
}

async fn main_task(
    event_loop: EventLoop,
) -> Result<(), Box<dyn std::error::Error>> {
    // Create and acquire a shared lock.
    let lock = Lock::new();
    println!("acquiring the lock before starting coroutines");
    lock.acquire().await;
    println!("lock acquired: {}", lock.locked());

    // Schedule a callback to unlock the lock.
    let shared = lock.clone();
    event_loop
        .call_later(Duration::from_millis(100), move || unlock(&shared))?;

    // Run the coroutines that want to use the lock.
    println!("waiting for coroutines");
    let coroutines =
        vec![aio::spawn(coro1(lock.clone()))?, aio::spawn(coro2(lock))?];
    let (done, _pending) =
        aio::wait(coroutines, None, ReturnWhen::AllCompleted).await?;
    for task in done {
        task.await??;
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
