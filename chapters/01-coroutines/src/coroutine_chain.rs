//! `asyncio_coroutine_chain.py`: one coroutine awaits two others, in order.

// ANCHOR: example
async fn outer() -> (&'static str, String) {
    println!("in outer");
    println!("waiting for result1");
    let result1 = phase1().await;
    println!("waiting for result2");
    let result2 = phase2(result1).await;
    (result1, result2)
}

async fn phase1() -> &'static str {
    println!("in phase1");
    "result1"
}

async fn phase2(arg: &str) -> String {
    println!("in phase2");
    format!("result2 derived from {arg}")
}

pub fn main() -> Result<(), aio::Error> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(outer());
    event_loop.close()?;
    let return_value = outcome?;
    println!("return value: {return_value:?}");
    Ok(())
}
// ANCHOR_END: example
