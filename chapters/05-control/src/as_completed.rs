//! `asyncio_as_completed.py`: take each result as soon as it is ready.

use std::time::Duration;

// ANCHOR: example
async fn phase(i: u64) -> String {
    println!("in phase {i}");
    aio::sleep(Duration::from_millis(500 - 100 * i)).await;
    println!("done with phase {i}");
    format!("phase {i} result")
}

async fn main_task(num_phases: u64) -> Result<Vec<String>, aio::Error> {
    println!("starting main");
    let mut phases = aio::as_completed((0..num_phases).map(phase), None);
    println!("waiting for phases to complete");
    let mut results = Vec::new();
    while let Some(answer) = phases.next().await {
        let answer = answer?;
        println!("received answer {answer:?}");
        results.push(answer);
    }
    println!("results: {results:?}");
    Ok(results)
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(3));
    event_loop.close()?;
    outcome??;
    Ok(())
}
// ANCHOR_END: example
