//! `asyncio_event.py`: two coroutines wait for an event that a callback sets.

use aio::{Event, EventLoop, ReturnWhen};
use std::time::Duration;

// ANCHOR: example
fn set_event(event: &Event) {
    println!("setting event in callback");
    event.set();
}

async fn coro1(event: Event) {
    println!("coro1 waiting for event");
    event.wait().await;
    println!("coro1 triggered");
}

async fn coro2(event: Event) {
    println!("coro2 waiting for event");
    event.wait().await;
    println!("coro2 triggered");
}

async fn main_task(
    event_loop: EventLoop,
) -> Result<(), Box<dyn std::error::Error>> {
    // Create a shared event.
    let event = Event::new();
    println!("event start state: {}", event.is_set());

    let shared = event.clone();
    event_loop
        .call_later(Duration::from_millis(100), move || set_event(&shared))?;

    let coroutines = vec![
        aio::spawn(coro1(event.clone()))?,
        aio::spawn(coro2(event.clone()))?,
    ];
    aio::wait(coroutines, None, ReturnWhen::AllCompleted).await?;
    println!("event end state: {}", event.is_set());
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(event_loop.clone()));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
