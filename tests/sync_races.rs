//! Cancellation races in the synchronization primitives, one by one: a waiter
//! that is chosen and then cancelled before it runs must pass its wake-up on.

mod common;

use aio::{
    Barrier, BoundedSemaphore, Condition, Event, LifoQueue, Lock,
    PriorityQueue, Queue, Semaphore, SyncError,
};
use common::{Journal, virtual_loop};
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

fn run<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let event_loop = virtual_loop();
    let output = event_loop.run_until_complete(program).unwrap();
    event_loop.close().unwrap();
    output
}

/// Lets every task that can run, run.
async fn settle() {
    aio::sleep(MS).await;
}

#[test]
fn lock_a_woken_then_cancelled_waiter_passes_the_lock_on() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let lock = Lock::new();
        lock.acquire().await;
        let spawn_waiter = |name: &'static str| {
            let (lock, j) = (lock.clone(), j.clone());
            aio::spawn(async move {
                let _guard = lock.lock().await;
                j.log(format!("{name} got the lock"));
                aio::sleep(MS).await;
            })
            .unwrap()
        };
        let a = spawn_waiter("a");
        let _b = spawn_waiter("b");
        settle().await;
        lock.release().unwrap(); // wakes a
        a.cancel(); // ... which is cancelled before it runs
        settle().await;
        settle().await;
        assert!(!lock.locked(), "b took the lock and released it");
        assert_eq!(lock.release(), Err(SyncError::NotLocked));
    });
    assert_eq!(journal.entries(), ["b got the lock"]);
}

#[test]
fn lock_is_fifo_and_never_barged() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let lock = Lock::new();
        let guard = lock.lock().await;
        for name in ["first", "second", "third"] {
            let (lock, j) = (lock.clone(), j.clone());
            aio::spawn(async move {
                let _guard = lock.lock().await;
                j.log(name);
            })
            .unwrap();
        }
        settle().await;
        drop(guard);
        // A newcomer arriving while the queue is being served waits its turn.
        let (l, jj) = (lock.clone(), j.clone());
        aio::spawn(async move {
            let _guard = l.lock().await;
            jj.log("newcomer");
        })
        .unwrap();
        settle().await;
    });
    assert_eq!(journal.entries(), ["first", "second", "third", "newcomer"]);
}

/// Spawns a task that waits on `condition` and logs `name` once notified.
fn condition_waiter(
    condition: &Condition,
    journal: &Journal,
    name: &'static str,
) -> aio::Task<()> {
    let (condition, journal) = (condition.clone(), journal.clone());
    aio::spawn(async move {
        let guard = condition.lock().await;
        let _guard = condition.wait(guard).await.unwrap();
        journal.log(format!("{name} notified"));
    })
    .unwrap()
}

#[test]
fn condition_a_notified_then_cancelled_waiter_passes_the_notify_on() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let condition = Condition::new();
        let a = condition_waiter(&condition, &j, "a");
        let _b = condition_waiter(&condition, &j, "b");
        settle().await;
        {
            let _guard = condition.lock().await;
            condition.notify(1).unwrap(); // chooses a
        }
        a.cancel(); // ... which is cancelled before it runs
        settle().await;
        assert_eq!(
            j.entries(),
            ["b notified"],
            "the notification went on to b"
        );
    });
}

#[test]
fn condition_a_waiter_cancelled_while_retaking_the_lock_passes_the_notify_on() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let condition = Condition::new();
        let c = condition_waiter(&condition, &j, "c");
        let _d = condition_waiter(&condition, &j, "d");
        settle().await;
        let guard = condition.lock().await;
        condition.notify(1).unwrap(); // chooses c
        settle().await; // c woke and now waits for the lock we hold
        c.cancel();
        settle().await;
        drop(guard);
        settle().await;
        assert_eq!(
            j.entries(),
            ["d notified"],
            "c's notification went on to d"
        );
    });
}

#[test]
fn condition_checks_the_lock_and_the_guard() {
    run(async {
        let condition = Condition::new();
        assert_eq!(condition.notify(1), Err(SyncError::NotLocked));
        let other = Lock::new();
        let foreign = other.lock().await;
        assert!(matches!(
            condition.wait(foreign).await,
            Err(SyncError::ForeignGuard)
        ));
        let counter = std::rc::Rc::new(std::cell::Cell::new(0));
        let (c, n) = (condition.clone(), counter.clone());
        let waiter = aio::spawn(async move {
            let guard = c.lock().await;
            let _guard = c.wait_for(guard, || n.get() >= 3).await.unwrap();
            n.get()
        })
        .unwrap();
        for _ in 0..3 {
            settle().await;
            let _guard = condition.lock().await;
            counter.set(counter.get() + 1);
            condition.notify_all().unwrap();
        }
        assert_eq!(waiter.await.unwrap(), 3);
    });
}

#[test]
fn semaphore_a_handed_permit_goes_back_when_its_waiter_is_cancelled() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let semaphore = Semaphore::new(1);
        semaphore.acquire().await;
        let spawn_waiter = |name: &'static str| {
            let (semaphore, j) = (semaphore.clone(), j.clone());
            aio::spawn(async move {
                let _permit = semaphore.permit().await;
                j.log(format!("{name} got a permit"));
            })
            .unwrap()
        };
        let a = spawn_waiter("a");
        let _b = spawn_waiter("b");
        settle().await;
        semaphore.release().unwrap(); // handed to a
        a.cancel();
        settle().await;
        assert_eq!(semaphore.value(), 1, "b used the permit and gave it back");
    });
    assert_eq!(journal.entries(), ["b got a permit"]);
}

#[test]
fn bounded_semaphore_refuses_extra_releases() {
    run(async {
        let semaphore = BoundedSemaphore::new(2);
        assert_eq!(semaphore.release(), Err(SyncError::ReleasedTooManyTimes));
        semaphore.acquire().await;
        assert!(semaphore.release().is_ok());
        assert_eq!(semaphore.value(), 2);
        let unbounded = Semaphore::new(0);
        assert!(unbounded.release().is_ok() && unbounded.value() == 1);
    });
}

#[test]
fn queue_a_woken_then_cancelled_getter_leaves_the_item_for_the_next() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let queue: Queue<&str> = Queue::new(0);
        let getters: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let (queue, j) = (queue.clone(), j.clone());
                aio::spawn(async move {
                    let item = queue.get().await.unwrap();
                    j.log(format!("{name} got {item}"));
                })
                .unwrap()
            })
            .collect();
        settle().await;
        queue.put_nowait("the item").unwrap(); // wakes a
        getters[0].cancel();
        settle().await;
        assert!(queue.empty());
    });
    assert_eq!(journal.entries(), ["b got the item"]);
}

#[test]
fn queue_a_woken_then_cancelled_putter_leaves_the_room_for_the_next() {
    run(async move {
        let queue: Queue<u32> = Queue::new(1);
        queue.put_nowait(0).unwrap();
        let putters: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let queue = queue.clone();
                aio::spawn(async move { queue.put(item).await.unwrap() })
                    .unwrap()
            })
            .collect();
        settle().await;
        assert_eq!(queue.get_nowait(), Ok(0)); // wakes putter 1
        putters[0].cancel();
        settle().await;
        assert_eq!(queue.get_nowait(), Ok(2), "putter 2 used the room");
        assert_eq!(queue.get_nowait(), Err(SyncError::QueueEmpty));
    });
}

#[test]
fn queue_orders_errors_join_and_shutdown() {
    run(async {
        let lifo = LifoQueue::new(0);
        let priority = PriorityQueue::new(0);
        for n in [3, 1, 2] {
            lifo.put_nowait(n).unwrap();
            priority.put_nowait(n).unwrap();
        }
        let drain = |q: &Queue<i32>| {
            std::iter::from_fn(|| q.get_nowait().ok()).collect::<Vec<_>>()
        };
        assert_eq!(drain(&lifo), [2, 1, 3]);
        assert_eq!(drain(&priority), [1, 2, 3]);

        let queue: Queue<u8> = Queue::new(1);
        queue.put_nowait(1).unwrap();
        assert_eq!(queue.put_nowait(2), Err(SyncError::QueueFull));
        assert!(queue.full() && queue.qsize() == 1);
        let joiner = {
            let queue = queue.clone();
            aio::spawn(async move { queue.join().await }).unwrap()
        };
        settle().await;
        assert!(!joiner.done(), "one item is still unfinished");
        queue.get_nowait().unwrap();
        queue.task_done().unwrap();
        settle().await;
        assert!(joiner.done());
        assert_eq!(queue.task_done(), Err(SyncError::TaskDoneTooManyTimes));

        // Shutdown wakes blocked getters with an error; puts fail from then on.
        let getter = {
            let queue = queue.clone();
            aio::spawn(async move { queue.get().await }).unwrap()
        };
        settle().await;
        queue.shutdown(false);
        assert_eq!(getter.await.unwrap(), Err(SyncError::QueueShutDown));
        assert_eq!(queue.put_nowait(5), Err(SyncError::QueueShutDown));

        // Immediate shutdown drops the items, counts them done and wakes
        // putters.
        let full: Queue<u8> = Queue::new(1);
        full.put_nowait(1).unwrap();
        let putter = {
            let full = full.clone();
            aio::spawn(async move { full.put(2).await }).unwrap()
        };
        settle().await;
        full.shutdown(true);
        assert!(full.empty());
        full.join().await;
        assert_eq!(putter.await.unwrap(), Err(SyncError::QueueShutDown));
        assert_eq!(full.get_nowait(), Err(SyncError::QueueShutDown));
    });
}

#[test]
fn event_wakes_all_waiters_in_order_and_a_cancelled_one_leaves() {
    let journal = Journal::default();
    let j = journal.clone();
    run(async move {
        let event = Event::new();
        let waiters: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let (event, j) = (event.clone(), j.clone());
                aio::spawn(async move {
                    event.wait().await;
                    j.log(name);
                })
                .unwrap()
            })
            .collect();
        settle().await;
        waiters[1].cancel();
        settle().await;
        event.set();
        event.clear(); // too late: the waiters were already woken
        settle().await;
        assert!(!event.is_set());
    });
    assert_eq!(journal.entries(), ["a", "c"]);
}

#[test]
fn barrier_trips_with_arrival_indices_and_breaks_on_reset_and_abort() {
    run(async {
        let barrier = Barrier::new(3);
        let arrive = |barrier: &Barrier| {
            let barrier = barrier.clone();
            aio::spawn(async move { barrier.wait().await }).unwrap()
        };
        let first = arrive(&barrier);
        let cancelled = arrive(&barrier);
        settle().await;
        assert_eq!(barrier.n_waiting(), 2);
        cancelled.cancel();
        settle().await;
        assert_eq!(
            barrier.n_waiting(),
            1,
            "a cancelled waiter leaves the count"
        );
        let second = arrive(&barrier);
        settle().await;
        assert_eq!(barrier.wait().await, Ok(2), "the last to arrive trips it");
        assert_eq!(
            (first.await.unwrap(), second.await.unwrap()),
            (Ok(0), Ok(1))
        );

        let waiting = arrive(&barrier);
        settle().await;
        barrier.reset();
        assert_eq!(waiting.await.unwrap(), Err(SyncError::BrokenBarrier));
        assert_eq!(barrier.n_waiting(), 0);
        let waiting = arrive(&barrier);
        settle().await;
        barrier.abort();
        assert_eq!(waiting.await.unwrap(), Err(SyncError::BrokenBarrier));
        assert_eq!(barrier.wait().await, Err(SyncError::BrokenBarrier));
        assert!(barrier.broken());
    });
}
