//! The scheduler benchmark's workloads on tokio's `current_thread` runtime,
//! shared by `benches/scheduler.rs` (which times them) and
//! `examples/workload_cost.rs` (which counts their instructions).

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

pub fn block_on<T>(future: impl Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(future)
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
            (0..n).map(|i| tokio::spawn(async move { i })).collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

pub fn yield_many(tasks: usize, yields: usize) {
    block_on(async move {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                tokio::spawn(async move {
                    for _ in 0..yields {
                        tokio::task::yield_now().await;
                    }
                })
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
            let (ping_tx, ping_rx) = tokio::sync::oneshot::channel::<()>();
            let (pong_tx, pong_rx) = tokio::sync::oneshot::channel::<()>();
            tokio::spawn(async move {
                ping_rx.await.unwrap();
                pong_tx.send(()).unwrap();
            });
            ping_tx.send(()).unwrap();
            pong_rx.await.unwrap();
        }
    });
}

pub fn chained_spawn(depth: usize) {
    fn link(remaining: usize, done: tokio::sync::oneshot::Sender<()>) {
        if remaining == 0 {
            done.send(()).unwrap();
        } else {
            tokio::spawn(async move { link(remaining - 1, done) });
        }
    }
    block_on(async move {
        let (tx, rx) = tokio::sync::oneshot::channel();
        link(depth, tx);
        rx.await.unwrap();
    });
}

pub fn timers(deadlines: Rc<Vec<Duration>>) {
    block_on(async move {
        let tasks: Vec<_> = deadlines
            .iter()
            .map(|d| tokio::spawn(tokio::time::sleep(*d)))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

pub fn timeouts(n: usize) {
    block_on(async move {
        for _ in 0..n {
            tokio::time::timeout(
                Duration::from_secs(1),
                tokio::task::yield_now(),
            )
            .await
            .unwrap();
        }
    });
}

pub fn queue_round_trips(n: usize) {
    block_on(async move {
        let (request_tx, mut request_rx) =
            tokio::sync::mpsc::channel::<usize>(1);
        let (reply_tx, mut reply_rx) = tokio::sync::mpsc::channel::<usize>(1);
        tokio::spawn(async move {
            for _ in 0..n {
                let request = request_rx.recv().await.unwrap();
                reply_tx.send(request + 1).await.unwrap();
            }
        });
        for i in 0..n {
            request_tx.send(i).await.unwrap();
            assert_eq!(reply_rx.recv().await.unwrap(), i + 1);
        }
    });
}
