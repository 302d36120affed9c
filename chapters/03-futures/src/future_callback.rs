//! `asyncio_future_callback.py`: done-callbacks run in registration order,
//! after the result is set.

use aio::{EventLoop, Promise};

// ANCHOR: example
fn callback(future: &Promise<&'static str>, n: u32) {
    match future.result() {
        Ok(result) => println!("{n}: future done: {result}"),
        Err(error) => println!("{n}: future failed: {error}"),
    }
}

async fn register_callbacks(all_done: &Promise<&'static str>) {
    println!("registering callbacks on future");
    // Python binds `n` with functools.partial; a closure captures it.
    all_done.add_done_callback(|future| callback(future, 1));
    all_done.add_done_callback(|future| callback(future, 2));
}

async fn main_task(
    all_done: Promise<&'static str>,
) -> Result<(), aio::InvalidStateError> {
    register_callbacks(&all_done).await;
    println!("setting result of future");
    all_done.set_result("the result")
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let all_done = event_loop.create_future();
    let outcome = event_loop.run_until_complete(main_task(all_done));
    event_loop.close()?;
    Ok(outcome??)
}
// ANCHOR_END: example
