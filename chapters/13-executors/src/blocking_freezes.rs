//! Not in PyMOTW: why a blocking call needs an executor. A ticker task
//! means to tick every 10 ms and prints how long each tick really came
//! after the last. Meanwhile another task calls `std::thread::sleep` for
//! 100 ms: first directly, which blocks the loop's one thread, so no task
//! runs and the ticker's next tick comes 100 ms late; then through
//! `aio::to_thread`, which sleeps on a worker thread while the ticks go on.

use std::future::Future;
use std::thread;
use std::time::{Duration, Instant};

/// How often the ticker means to tick.
const TICK: Duration = Duration::from_millis(10);

/// How long the blocking call blocks.
const BLOCKING: Duration = Duration::from_millis(100);

// ANCHOR: ticker
/// Ticks every [`TICK`] until `stop` is set, printing how long each tick
/// came after the last: [`TICK`], or more if the loop was kept from it.
async fn ticker(stop: aio::Event) {
    let mut last = Instant::now();
    while !stop.is_set() {
        aio::sleep(TICK).await;
        let now = Instant::now();
        let gap = (now - last).as_secs_f64() * 1e3;
        println!("ticker: {gap:.1} ms since the last tick");
        last = now;
    }
}
// ANCHOR_END: ticker

// ANCHOR: blockers
/// The blocking call made on the loop's thread: nothing else runs.
async fn sleep_on_the_loop() -> Result<(), aio::ExecutorError> {
    println!("blocker: std::thread::sleep(100 ms) on the loop's thread");
    thread::sleep(BLOCKING);
    println!("blocker: awake");
    Ok(())
}

/// The same call on a worker thread: the loop goes on meanwhile.
async fn sleep_on_a_worker() -> Result<(), aio::ExecutorError> {
    println!("blocker: the same sleep through aio::to_thread");
    aio::to_thread(|| thread::sleep(BLOCKING)).await?;
    println!("blocker: awake");
    Ok(())
}
// ANCHOR_END: blockers

// ANCHOR: with_ticker
/// Runs `blocker` while the ticker ticks: a few ticks first, and one after
/// it, which says how long the ticker waited.
async fn with_ticker(
    blocker: impl Future<Output = Result<(), aio::ExecutorError>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let stop = aio::Event::new();
    let ticking = aio::spawn(ticker(stop.clone()))?;
    aio::sleep(TICK * 5 / 2).await;
    blocker.await?;
    stop.set();
    ticking.await?;
    Ok(())
}
// ANCHOR_END: with_ticker

/// The `blocking_freezes` binary: the blocking call made both ways.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    aio::run(async {
        println!("-- a blocking call in a task");
        with_ticker(sleep_on_the_loop()).await?;
        println!("-- the same call in an executor");
        with_ticker(sleep_on_a_worker()).await
    })?
}
