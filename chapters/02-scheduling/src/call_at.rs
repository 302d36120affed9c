//! `asyncio_call_at.py`: schedule callbacks at absolute loop times.

use aio::EventLoop;
use std::time::{Duration, SystemTime};

// ANCHOR: example
fn callback(n: i32, event_loop: &EventLoop) {
    println!("callback {n} invoked at {:.3}", event_loop.time().as_secs_f64());
}

async fn main_task(event_loop: EventLoop) -> Result<(), aio::Error> {
    let now = event_loop.time();
    let wall_clock = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    println!("clock time: {:.3}", wall_clock.as_secs_f64());
    println!("loop  time: {:.3}", now.as_secs_f64());
    println!("registering callbacks");
    let (lp1, lp2, lp3) =
        (event_loop.clone(), event_loop.clone(), event_loop.clone());
    event_loop
        .call_at(now + Duration::from_millis(200), move || callback(1, &lp1))?;
    event_loop
        .call_at(now + Duration::from_millis(100), move || callback(2, &lp2))?;
    event_loop.call_soon(move || callback(3, &lp3))?;
    aio::sleep(Duration::from_secs(1)).await;
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
