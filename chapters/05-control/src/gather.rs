//! `asyncio_gather.py`: results come back in argument order, whatever the
//! finishing order.

use std::time::Duration;

// ANCHOR: example
async fn phase1() -> &'static str {
    println!("in phase1");
    aio::sleep(Duration::from_secs(2)).await;
    println!("done with phase1");
    "phase1 result"
}

async fn phase2() -> &'static str {
    println!("in phase2");
    aio::sleep(Duration::from_secs(1)).await;
    println!("done with phase2");
    "phase2 result"
}

async fn main_task() -> Result<(), aio::Error> {
    println!("starting main");
    println!("waiting for phases to complete");
    // Two different future types: the macro gathers them into a tuple.
    let (result1, result2) = aio::gather!(phase1(), phase2()).await?;
    let results = [result1, result2];
    println!("results: {results:?}");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task());
    event_loop.close()?;
    Ok(outcome??)
}
// ANCHOR_END: example
