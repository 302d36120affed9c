//! `asyncio_future_await.py`: a coroutine awaits a future that a callback sets.

use aio::{EventLoop, Promise};

// ANCHOR: example
fn mark_done(future: &Promise<&'static str>, result: &'static str) {
    println!("setting future result to {result:?}");
    future.set_result(result).expect("the future is set only once");
}

async fn main_task(
    event_loop: EventLoop,
) -> Result<(), Box<dyn std::error::Error>> {
    let all_done = Promise::new()?;
    println!("scheduling mark_done");
    let future = all_done.clone();
    event_loop.call_soon(move || mark_done(&future, "the result"))?;
    let result = all_done.await?;
    println!("returned result: {result:?}");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(event_loop.clone()));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
