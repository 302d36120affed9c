//! `asyncio_wait_timeout.py`: `wait` with a timeout leaves the slow tasks
//! pending.

use aio::ReturnWhen;
use std::time::Duration;

// ANCHOR: example
/// Prints its message if dropped before `disarm`: how a Rust task notices
/// cancellation.
struct OnCancel(Option<String>);

impl OnCancel {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for OnCancel {
    fn drop(&mut self) {
        if let Some(message) = self.0.take() {
            println!("{message}");
        }
    }
}

async fn phase(i: u64) -> String {
    println!("in phase {i}");
    let on_cancel = OnCancel(Some(format!("phase {i} canceled")));
    aio::sleep(Duration::from_millis(100 * i)).await;
    on_cancel.disarm();
    println!("done with phase {i}");
    format!("phase {i} result")
}

async fn main_task(num_phases: u64) -> Result<(), Box<dyn std::error::Error>> {
    println!("starting main");
    let phases = (0..num_phases)
        .map(|i| aio::spawn(phase(i)))
        .collect::<Result<Vec<_>, _>>()?;
    println!("waiting 0.1 for phases to complete");
    let timeout = Some(Duration::from_millis(100));
    let (completed, pending) =
        aio::wait(phases, timeout, ReturnWhen::AllCompleted).await?;
    println!("{} completed and {} pending", completed.len(), pending.len());
    // Cancel the rest, so they do not outlive main without a word.
    if !pending.is_empty() {
        println!("canceling tasks");
        for task in &pending {
            task.cancel();
        }
    }
    println!("exiting main");
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(3));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
