//! `asyncio_call_later.py`: timers fire by deadline, and "soon" beats every
//! timer.

use aio::EventLoop;
use std::time::Duration;

// ANCHOR: example
fn callback(n: i32) {
    println!("callback {n} invoked");
}

async fn main_task(event_loop: EventLoop) -> Result<(), aio::Error> {
    println!("registering callbacks");
    event_loop.call_later(Duration::from_millis(200), || callback(1))?;
    event_loop.call_later(Duration::from_millis(100), || callback(2))?;
    event_loop.call_soon(|| callback(3))?;
    aio::sleep(Duration::from_millis(400)).await;
    Ok(())
}

pub fn main() -> Result<(), aio::Error> {
    let event_loop = EventLoop::new()?;
    println!("entering event loop");
    let outcome = event_loop.run_until_complete(main_task(event_loop.clone()));
    println!("closing event loop");
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
