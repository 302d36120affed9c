//! `asyncio_call_soon.py`: queue plain callbacks for the next tick.

use aio::EventLoop;
use std::time::Duration;

// ANCHOR: example
fn callback(arg: i32, kwarg: &str) {
    println!("callback invoked with {arg} and {kwarg}");
}

async fn main_task(event_loop: EventLoop) -> Result<(), aio::Error> {
    println!("registering callbacks");
    // Python: loop.call_soon(callback, 1). A closure carries the arguments.
    event_loop.call_soon(|| callback(1, "default"))?;
    // Python: functools.partial(callback, kwarg='not default').
    let wrapped = |arg| move || callback(arg, "not default");
    event_loop.call_soon(wrapped(2))?;
    aio::sleep(Duration::from_millis(100)).await;
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
