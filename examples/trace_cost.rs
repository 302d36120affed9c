//! What the loop's trace (chapter 1) costs when nobody records: the scheduler
//! benchmark's spawn_many, yield_many, ping_pong and timers shapes, on the
//! virtual clock, for an instruction count that repeats exactly:
//!
//! ```sh
//! cargo build --release --example trace_cost
//! valgrind --tool=callgrind target/release/examples/trace_cost
//! ```
use std::time::Duration;

fn block_on<T: 'static>(future: impl Future<Output = T> + 'static) -> T {
    let event_loop = aio::EventLoop::builder().virtual_clock().build().unwrap();
    let output = event_loop.run_until_complete(future).unwrap();
    event_loop.close().unwrap();
    output
}

fn main() {
    block_on(async {
        let tasks: Vec<_> = (0..20_000)
            .map(|i| aio::spawn(async move { i }).unwrap())
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    block_on(async {
        let handles: Vec<_> = (0..100)
            .map(|_| {
                aio::spawn(async {
                    for _ in 0..100 {
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
    block_on(async {
        for _ in 0..20_000 {
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
    block_on(async {
        let tasks: Vec<_> = (0..5_000u64)
            .map(|i| {
                aio::spawn(aio::sleep(Duration::from_micros(
                    i * 7919 % 100_000,
                )))
                .unwrap()
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}
