//! `asyncio_queue.py`: a producer and two consumers share a bounded queue.

use aio::{Queue, ReturnWhen, SyncError};
use std::time::Duration;

// ANCHOR: example
/// A job, or the signal to stop (Python puts `None` in the queue for that).
#[derive(Debug)]
enum Item {
    Job(u64),
    Stop,
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Job(n) => write!(f, "{n}"),
            Item::Stop => write!(f, "Stop"),
        }
    }
}

async fn consumer(n: u32, q: Queue<Item>) -> Result<(), SyncError> {
    println!("consumer {n}: starting");
    loop {
        println!("consumer {n}: waiting for item");
        let item = q.get().await?;
        println!("consumer {n}: has item {item}");
        match item {
            Item::Stop => {
                q.task_done()?;
                break;
            }
            Item::Job(job) => {
                aio::sleep(Duration::from_millis(10 * job)).await;
                q.task_done()?;
            }
        }
    }
    println!("consumer {n}: ending");
    Ok(())
}

async fn producer(q: Queue<Item>, num_workers: u64) -> Result<(), SyncError> {
    println!("producer: starting");
    // Add some numbers to the queue to simulate jobs.
    for i in 0..num_workers * 3 {
        q.put(Item::Job(i)).await?;
        println!("producer: added task {i} to the queue");
    }
    // Add stop markers to the queue to signal the consumers to exit.
    println!("producer: adding stop signals to the queue");
    for _ in 0..num_workers {
        q.put(Item::Stop).await?;
    }
    println!("producer: waiting for queue to empty");
    q.join().await;
    println!("producer: ending");
    Ok(())
}

async fn main_task(
    num_consumers: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    // A bounded queue, so the producer blocks until the consumers take some
    // items.
    let q = Queue::new(num_consumers as usize);
    // Schedule the consumer tasks, then the producer.
    let mut tasks = (0..num_consumers)
        .map(|n| aio::spawn(consumer(n, q.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    tasks.push(aio::spawn(producer(q, u64::from(num_consumers)))?);
    // Wait for all of them to finish.
    let (done, _pending) =
        aio::wait(tasks, None, ReturnWhen::AllCompleted).await?;
    for task in done {
        task.await??;
    }
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task(2));
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: example
