//! `asyncio_future_event_loop.py`: a callback sets a future that
//! `run_until_complete` waits for.

use aio::{EventLoop, Promise};

// ANCHOR: example
fn mark_done(future: &Promise<&'static str>, result: &'static str) {
    println!("setting future result to {result:?}");
    future.set_result(result).expect("the future is set only once");
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let all_done = event_loop.create_future();
    println!("scheduling mark_done");
    let future = all_done.clone();
    event_loop.call_soon(move || mark_done(&future, "the result"))?;
    println!("entering event loop");
    let outcome = event_loop.run_until_complete(all_done.clone());
    if let Ok(Ok(result)) = &outcome {
        println!("returned result: {result:?}");
    }
    println!("closing event loop");
    event_loop.close()?;
    outcome??;
    // The result stays in the future after the loop is closed.
    println!("future result: {:?}", all_done.result()?);
    Ok(())
}
// ANCHOR_END: example
