//! One allocation per task: the task's header, its future and its result share
//! one `Arc`. This binary installs a counting allocator, so it holds this one
//! test only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

static FINISHED: AtomicUsize = AtomicUsize::new(0);

struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counting only touches const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        }
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we
        // pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Counts the allocations that `work` makes on this thread.
fn allocations_during(work: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|count| count.set(0));
    COUNTING.with(|counting| counting.set(true));
    work();
    COUNTING.with(|counting| counting.set(false));
    ALLOCATIONS.with(Cell::get)
}

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
