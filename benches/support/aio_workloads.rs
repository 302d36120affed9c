//! The scheduler benchmark's workloads on aio, shared by
//! `benches/scheduler.rs` (which times them, on the real clock) and
//! `examples/trace_cost.rs` (which counts their instructions, on the virtual
//! clock). Each loop gets the thread's default clock: the caller picks it with
//! `aio::with_clock`.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

pub fn block_on<T: 'static>(future: impl Future<Output = T> + 'static) -> T {
    let event_loop = aio::EventLoop::new().unwrap();
    let output = event_loop.run_until_complete(future).unwrap();
    event_loop.close().unwrap();
    output
}

/// Builds `n` runtimes, runs nothing on each, and drops (closes) it: the
/// fixed cost that every other workload pays once per run.
pub fn build_many(n: usize) {
    for _ in 0..n {
        block_on(async {});
    }
}

pub fn spawn_many(n: usize) {
    block_on(async move {
        let tasks: Vec<_> =
            (0..n).map(|i| aio::spawn(async move { i }).unwrap()).collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

pub fn yield_many(tasks: usize, yields: usize) {
    block_on(async move {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                aio::spawn(async move {
                    for _ in 0..yields {
                        aio::sleep(Duration::ZERO).await;
                    }
                })
                .unwrap()
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
}

pub fn ping_pong(round_trips: usize) {
    block_on(async move {
        for _ in 0..round_trips {
            let ping: aio::Promise<()> = aio::Promise::new().unwrap();
            let pong: aio::Promise<()> = aio::Promise::new().unwrap();
            let (ping2, pong2) = (ping.clone(), pong.clone());
            aio::spawn(async move {
                ping2.await.unwrap();
                pong2.set_result(()).unwrap();
            })
            .unwrap();
            ping.set_result(()).unwrap();
            pong.await.unwrap();
        }
    });
}

pub fn chained_spawn(depth: usize) {
    fn link(remaining: usize, done: aio::Promise<()>) {
        if remaining == 0 {
            done.set_result(()).unwrap();
        } else {
            aio::spawn(async move { link(remaining - 1, done) }).unwrap();
        }
    }
    block_on(async move {
        let done = aio::Promise::new().unwrap();
        link(depth, done.clone());
        done.await.unwrap();
    });
}

pub fn timers(deadlines: Rc<Vec<Duration>>) {
    block_on(async move {
        let tasks: Vec<_> = deadlines
            .iter()
            .map(|d| aio::spawn(aio::sleep(*d)).unwrap())
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

pub fn timeouts(n: usize) {
    block_on(async move {
        for _ in 0..n {
            // The inner future yields once, so the timeout is really armed,
            // then completes, so the timeout is cancelled.
            aio::wait_for(aio::sleep(Duration::ZERO), Duration::from_secs(1))
                .await
                .unwrap();
        }
    });
}

pub fn queue_round_trips(n: usize) {
    block_on(async move {
        let requests: aio::Queue<usize> = aio::Queue::new(1);
        let replies: aio::Queue<usize> = aio::Queue::new(1);
        let (rq, rp) = (requests.clone(), replies.clone());
        aio::spawn(async move {
            for _ in 0..n {
                let request = rq.get().await.unwrap();
                rp.put(request + 1).await.unwrap();
            }
        })
        .unwrap();
        for i in 0..n {
            requests.put(i).await.unwrap();
            assert_eq!(replies.get().await.unwrap(), i + 1);
        }
    });
}
