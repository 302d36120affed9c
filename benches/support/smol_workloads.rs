//! The scheduler benchmark's workloads on smol's `LocalExecutor`, shared by
//! `benches/scheduler.rs` (which times them) and `examples/workload_cost.rs`
//! (which counts their instructions).

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

pub fn block_on<T>(future: impl Future<Output = T>) -> T {
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(future))
}

/// Builds `n` runtimes, runs nothing on each, and drops (closes) it: the
/// fixed cost that every other workload pays once per run.
pub fn build_many(n: usize) {
    for _ in 0..n {
        block_on(async {});
    }
}

pub fn spawn_many(n: usize) {
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        let tasks: Vec<_> =
            (0..n).map(|i| ex.spawn(async move { i })).collect();
        for task in tasks {
            task.await;
        }
    }));
}

pub fn yield_many(tasks: usize, yields: usize) {
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                ex.spawn(async move {
                    for _ in 0..yields {
                        smol::future::yield_now().await;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await;
        }
    }));
}

pub fn ping_pong(round_trips: usize) {
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        for _ in 0..round_trips {
            let (ping_tx, ping_rx) = smol::channel::bounded::<()>(1);
            let (pong_tx, pong_rx) = smol::channel::bounded::<()>(1);
            ex.spawn(async move {
                ping_rx.recv().await.unwrap();
                pong_tx.send(()).await.unwrap();
            })
            .detach();
            ping_tx.send(()).await.unwrap();
            pong_rx.recv().await.unwrap();
        }
    }));
}

pub fn chained_spawn(depth: usize) {
    fn link(
        ex: Rc<smol::LocalExecutor<'static>>,
        remaining: usize,
        done: smol::channel::Sender<()>,
    ) {
        if remaining == 0 {
            done.try_send(()).unwrap();
        } else {
            let next = ex.clone();
            ex.spawn(async move { link(next, remaining - 1, done) }).detach();
        }
    }
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        let (tx, rx) = smol::channel::bounded(1);
        link(ex, depth, tx);
        rx.recv().await.unwrap();
    }));
}

pub fn timers(deadlines: Rc<Vec<Duration>>) {
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        let tasks: Vec<_> = deadlines
            .iter()
            .map(|d| {
                let d = *d;
                ex.spawn(async move {
                    smol::Timer::after(d).await;
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
    }));
}

pub fn timeouts(n: usize) {
    block_on(async move {
        for _ in 0..n {
            let work = async {
                smol::future::yield_now().await;
                true
            };
            let timeout = async {
                smol::Timer::after(Duration::from_secs(1)).await;
                false
            };
            assert!(smol::future::or(work, timeout).await);
        }
    });
}

pub fn queue_round_trips(n: usize) {
    let executor = Rc::new(smol::LocalExecutor::new());
    let ex = executor.clone();
    smol::block_on(executor.run(async move {
        let (request_tx, request_rx) = smol::channel::bounded::<usize>(1);
        let (reply_tx, reply_rx) = smol::channel::bounded::<usize>(1);
        ex.spawn(async move {
            for _ in 0..n {
                let request = request_rx.recv().await.unwrap();
                reply_tx.send(request + 1).await.unwrap();
            }
        })
        .detach();
        for i in 0..n {
            request_tx.send(i).await.unwrap();
            assert_eq!(reply_rx.recv().await.unwrap(), i + 1);
        }
    }));
}
