//! One allocation per task: the task's header, its future and its result share
//! one `Arc`. This binary installs a counting allocator, so it holds this one
//! test only.

use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "support/counting_allocator.rs"]
mod counting;
use counting::allocations_during;

static FINISHED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn spawning_and_running_a_task_allocates_once() {
    const TASKS: usize = 1_000;
    let event_loop = aio::EventLoop::builder().virtual_clock().build().unwrap();
    let spawn_all = |event_loop: &aio::EventLoop| {
        for n in 0..TASKS {
            let task = event_loop
                .create_task(async move {
                    FINISHED.fetch_add(1, Ordering::Relaxed);
                    n * 2
                })
                .unwrap();
            drop(task); // detached: it still runs
        }
    };
    // Warm up, so the ready queue and the task registry already have their
    // capacity.
    spawn_all(&event_loop);
    event_loop.run_until_complete(async {}).unwrap();

    let spawning = allocations_during(|| spawn_all(&event_loop));
    assert_eq!(spawning, TASKS, "one allocation per spawned task");
    let running = allocations_during(|| {
        event_loop.stop();
        event_loop.run_forever().unwrap();
    });
    assert_eq!(running, 0, "polling tasks to completion allocates nothing");
    assert_eq!(
        FINISHED.load(Ordering::Relaxed),
        2 * TASKS,
        "every task ran to completion"
    );
    event_loop.close().unwrap();
}
