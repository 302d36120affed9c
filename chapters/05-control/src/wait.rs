//! `asyncio_wait.py`: wait for a group of tasks to finish.

use aio::ReturnWhen;
use std::time::Duration;

// ANCHOR: example
async fn phase(i: u64) -> String {
    println!("in phase {i}");
    aio::sleep(Duration::from_millis(100 * i)).await;
    println!("done with phase {i}");
    format!("phase {i} result")
}

async fn main_task(num_phases: u64) -> Result<(), Box<dyn std::error::Error>> {
    println!("starting main");
    let phases = (0..num_phases)
        .map(|i| aio::spawn(phase(i)))
        .collect::<Result<Vec<_>, _>>()?;
    println!("waiting for phases to complete");
    let (completed, _pending) =
        aio::wait(phases, None, ReturnWhen::AllCompleted).await?;
    let results: Vec<String> =
        completed.iter().filter_map(|task| task.result()?.ok()).collect();
    println!("results: {results:?}");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(3));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
