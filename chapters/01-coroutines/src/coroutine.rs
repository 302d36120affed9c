//! `asyncio_coroutine.py`: start a loop and run one coroutine to completion.

// ANCHOR: example
async fn coroutine() {
    println!("in coroutine");
}

pub fn main() -> Result<(), aio::Error> {
    let event_loop = aio::EventLoop::new()?;
    println!("starting coroutine");
    // Nothing runs yet: an async fn call only builds a future.
    let coro = coroutine();
    println!("entering event loop");
    let outcome = event_loop.run_until_complete(coro);
    println!("closing event loop");
    event_loop.close()?;
    outcome
}
// ANCHOR_END: example
