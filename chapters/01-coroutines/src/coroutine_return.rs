//! `asyncio_coroutine_return.py`: `run_until_complete` hands back the return
//! value.

// ANCHOR: example
async fn coroutine() -> &'static str {
    println!("in coroutine");
    "result"
}

pub fn main() -> Result<(), aio::Error> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(coroutine());
    event_loop.close()?;
    let return_value = outcome?;
    println!("it returned: {return_value:?}");
    Ok(())
}
// ANCHOR_END: example
