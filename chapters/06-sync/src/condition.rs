//! `asyncio_condition.py`: a manipulator notifies waiting consumers a few at a
//! time.

use aio::{Condition, ReturnWhen, SyncError};
use std::time::Duration;

// ANCHOR: example
async fn consumer(condition: Condition, n: u32) -> Result<(), SyncError> {
    {
        let guard = condition.lock().await; // Python: async with condition:
        println!("consumer {n} is waiting");
        let _guard = condition.wait(guard).await?;
        println!("consumer {n} triggered");
    }
    println!("ending consumer {n}");
    Ok(())
}

async fn manipulate_condition(condition: Condition) -> Result<(), SyncError> {
    println!("starting manipulate_condition");
    // Pause to let the consumers start.
    aio::sleep(Duration::from_millis(100)).await;
    for i in 1..3 {
        {
            let _guard = condition.lock().await;
            println!("notifying {i} consumers");
            condition.notify(i)?;
        }
        aio::sleep(Duration::from_millis(100)).await;
    }
    {
        let _guard = condition.lock().await;
        println!("notifying remaining consumers");
        condition.notify_all()?;
    }
    println!("ending manipulate_condition");
    Ok(())
}

async fn main_task() -> Result<(), Box<dyn std::error::Error>> {
    // Create a condition.
    let condition = Condition::new();
    // Schedule a task to manipulate the condition variable.
    let manipulator = aio::spawn(manipulate_condition(condition.clone()))?;
    // Set up tasks watching the condition.
    let consumers = (0..5)
        .map(|n| aio::spawn(consumer(condition.clone(), n)))
        .collect::<Result<Vec<_>, _>>()?;
    // Wait for the consumers to be done.
    let (done, _pending) =
        aio::wait(consumers, None, ReturnWhen::AllCompleted).await?;
    for task in done {
        task.await??;
    }
    manipulator.await??;
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task());
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
