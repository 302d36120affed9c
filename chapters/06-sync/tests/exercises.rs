//! The graders of chapter 6's exercises, one module per exercise.
//!
//! `cargo test -p ch06-sync --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod get_many {
    use super::grading::{run, settle};
    use aio::{Queue, SyncError};
    use ch06_sync::exercises::get_many::get_many;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn takes_up_to_n_items_oldest_first() {
        run(async {
            let queue = Queue::new(0);
            for item in 1..=5 {
                queue.put_nowait(item).unwrap();
            }
            let first = get_many(&queue, 3).await;
            assert_eq!(
                first,
                Ok(vec![1, 2, 3]),
                "with 5 items queued, get_many(3) takes the 3 oldest"
            );
            let rest = get_many(&queue, 10).await;
            assert_eq!(
                rest,
                Ok(vec![4, 5]),
                "with 2 items left, get_many(10) takes both and returns \
                 without waiting for more"
            );
        });
    }

    #[test]
    fn waits_for_the_first_item_only() {
        run(async {
            let queue = Queue::new(0);
            let got = Rc::new(RefCell::new(None));
            let (q, g) = (queue.clone(), got.clone());
            let _getter = aio::spawn(async move {
                let items = get_many(&q, 3).await;
                g.replace(Some(items));
            })
            .unwrap();
            settle().await;
            assert!(
                got.borrow().is_none(),
                "get_many returned from an empty queue: it must wait for an \
                 item"
            );
            queue.put_nowait(7).unwrap();
            queue.put_nowait(8).unwrap();
            settle().await;
            assert_eq!(
                got.borrow_mut().take(),
                Some(Ok(vec![7, 8])),
                "two items arrived in the same tick: get_many(3) wakes for \
                 the first and takes both, without waiting for a third"
            );
        });
    }

    #[test]
    fn frees_room_for_waiting_putters() {
        run(async {
            let queue = Queue::new(2);
            queue.put_nowait(1).unwrap();
            queue.put_nowait(2).unwrap();
            for item in [3, 4] {
                let q = queue.clone();
                aio::spawn(async move { q.put(item).await.unwrap() }).unwrap();
            }
            settle().await;
            let taken = get_many(&queue, 2).await;
            assert_eq!(taken, Ok(vec![1, 2]), "get_many(2) on a full queue");
            settle().await;
            assert_eq!(
                queue.qsize(),
                2,
                "both blocked putters should have put their items once \
                 get_many freed two places: take the items with the queue's \
                 own get/get_nowait, which wake a putter per item"
            );
            assert_eq!(get_many(&queue, 5).await, Ok(vec![3, 4]));
        });
    }

    #[test]
    fn reports_shut_down_once_the_queue_is_empty() {
        run(async {
            let queue = Queue::new(0);
            queue.put_nowait("left").unwrap();
            queue.shutdown(false);
            assert_eq!(
                get_many(&queue, 5).await,
                Ok(vec!["left"]),
                "after a plain shutdown, what is left can still be got"
            );
            assert_eq!(
                get_many(&queue, 5).await,
                Err(SyncError::QueueShutDown),
                "a shut-down, empty queue gives Err(QueueShutDown)"
            );
            let waiting: Queue<&str> = Queue::new(0);
            let w = waiting.clone();
            let getter =
                aio::spawn(async move { get_many(&w, 2).await }).unwrap();
            settle().await;
            assert!(!getter.done(), "get_many must wait on an empty queue");
            waiting.shutdown(false);
            assert_eq!(
                getter.await.unwrap(),
                Err(SyncError::QueueShutDown),
                "a get_many waiting when the queue is shut down gives \
                 Err(QueueShutDown)"
            );
        });
    }

    #[test]
    fn a_cancelled_call_takes_nothing() {
        run(async {
            let queue = Queue::new(0);
            let q = queue.clone();
            let getter =
                aio::spawn(async move { get_many(&q, 2).await }).unwrap();
            settle().await;
            assert!(!getter.done(), "get_many must wait on an empty queue");
            queue.put_nowait("item").unwrap(); // wakes the getter...
            getter.cancel(); // ... which is cancelled before it runs
            settle().await;
            assert_eq!(
                queue.qsize(),
                1,
                "a get_many cancelled after being woken must leave the item \
                 in the queue"
            );
        });
    }
}

mod rw_lock {
    use super::grading::{Journal, run, settle};
    use aio::Event;
    use ch06_sync::exercises::rw_lock::RwLock;

    /// A task that takes the lock, logs "<name> in", holds it until told to
    /// `leave`, then logs "<name> out".
    struct Holder {
        leave: Event,
        task: aio::Task<()>,
    }

    impl Holder {
        fn reader(lock: &RwLock, journal: &Journal, name: &str) -> Holder {
            Holder::start(lock, journal, name, false)
        }

        fn writer(lock: &RwLock, journal: &Journal, name: &str) -> Holder {
            Holder::start(lock, journal, name, true)
        }

        fn start(
            lock: &RwLock,
            journal: &Journal,
            name: &str,
            writes: bool,
        ) -> Holder {
            let leave = Event::new();
            let (lock, journal, l) =
                (lock.clone(), journal.clone(), leave.clone());
            let name = name.to_owned();
            let task = aio::spawn(async move {
                if writes {
                    let _guard = lock.write().await;
                    journal.log(format!("{name} in"));
                    l.wait().await;
                } else {
                    let _guard = lock.read().await;
                    journal.log(format!("{name} in"));
                    l.wait().await;
                }
                journal.log(format!("{name} out"));
            })
            .unwrap();
            Holder { leave, task }
        }
    }

    #[test]
    fn readers_share_the_lock() {
        run(async {
            let lock = RwLock::new();
            let first = lock.read().await;
            let second = lock.read().await;
            assert_eq!(lock.readers(), 2, "two read guards are held");
            assert!(!lock.writing(), "nobody is writing");
            drop(first);
            assert_eq!(lock.readers(), 1, "one read guard was dropped");
            drop(second);
            assert_eq!(lock.readers(), 0);
        });
    }

    #[test]
    fn a_writer_waits_for_every_reader() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let lock = RwLock::new();
                let r1 = Holder::reader(&lock, &journal, "r1");
                let r2 = Holder::reader(&lock, &journal, "r2");
                settle().await;
                let w = Holder::writer(&lock, &journal, "w");
                settle().await;
                r1.leave.set();
                settle().await;
                assert!(
                    !lock.writing(),
                    "the writer got in while r2 still reads"
                );
                r2.leave.set();
                settle().await;
                assert!(lock.writing(), "the readers left: the writer writes");
                assert_eq!(lock.readers(), 0);
                w.leave.set();
                settle().await;
                assert!(!lock.writing(), "the writer's guard was dropped");
            }
        });
        assert_eq!(
            journal.entries(),
            ["r1 in", "r2 in", "r1 out", "r2 out", "w in", "w out"]
        );
    }

    #[test]
    fn readers_wait_for_the_writer() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let lock = RwLock::new();
                let w = Holder::writer(&lock, &journal, "w");
                settle().await;
                assert!(lock.writing(), "a writer on a free lock gets in");
                let _r = Holder::reader(&lock, &journal, "r");
                settle().await;
                assert_eq!(lock.readers(), 0, "a reader got in while w writes");
                w.leave.set();
                settle().await;
                assert_eq!(lock.readers(), 1, "w left: the reader reads");
            }
        });
        assert_eq!(journal.entries(), ["w in", "w out", "r in"]);
    }

    #[test]
    fn a_queued_writer_holds_up_the_readers_after_it() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let lock = RwLock::new();
                let r1 = Holder::reader(&lock, &journal, "r1");
                settle().await;
                let w = Holder::writer(&lock, &journal, "w");
                settle().await;
                let _r2 = Holder::reader(&lock, &journal, "r2");
                settle().await;
                assert_eq!(
                    lock.readers(),
                    1,
                    "r2 came after the writer and must wait for it, though \
                     only a reader holds the lock: otherwise a stream of \
                     readers starves the writer"
                );
                r1.leave.set();
                settle().await;
                w.leave.set();
                settle().await;
            }
        });
        assert_eq!(
            journal.entries(),
            ["r1 in", "r1 out", "w in", "w out", "r2 in"]
        );
    }

    #[test]
    fn the_readers_queued_after_a_writer_go_in_together() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let lock = RwLock::new();
                let w1 = Holder::writer(&lock, &journal, "w1");
                settle().await;
                let r1 = Holder::reader(&lock, &journal, "r1");
                let r2 = Holder::reader(&lock, &journal, "r2");
                let w2 = Holder::writer(&lock, &journal, "w2");
                let _r3 = Holder::reader(&lock, &journal, "r3");
                settle().await;
                w1.leave.set();
                settle().await;
                assert_eq!(
                    lock.readers(),
                    2,
                    "w1 left: r1 and r2, queued next, read together, and w2 \
                     waits for them"
                );
                assert!(!lock.writing());
                r1.leave.set();
                r2.leave.set();
                settle().await;
                assert!(lock.writing(), "w2 writes once r1 and r2 are out");
                w2.leave.set();
                settle().await;
            }
        });
        let entries = journal.entries();
        let w2_in = entries.iter().position(|e| e == "w2 in");
        let r3_in = entries.iter().position(|e| e == "r3 in");
        assert!(
            w2_in.is_some() && w2_in < r3_in,
            "r3 asked after w2 and must read after it: {entries:?}"
        );
    }

    #[test]
    fn a_cancelled_writer_lets_the_readers_behind_it_in() {
        run(async {
            let journal = Journal::default();
            let lock = RwLock::new();
            let r1 = Holder::reader(&lock, &journal, "r1");
            settle().await;
            let w = Holder::writer(&lock, &journal, "w");
            settle().await;
            let r2 = Holder::reader(&lock, &journal, "r2");
            settle().await;
            assert_eq!(lock.readers(), 1, "r2 must wait behind the writer");
            w.task.cancel(); // waiting for r1 to leave
            settle().await;
            assert_eq!(
                lock.readers(),
                2,
                "the writer was cancelled while it waited for r1: r2 may \
                 read now"
            );
            r1.leave.set();
            let w2 = Holder::writer(&lock, &journal, "w2"); // waits for r2
            let w3 = Holder::writer(&lock, &journal, "w3"); // in line
            let _r3 = Holder::reader(&lock, &journal, "r3"); // behind w3
            settle().await;
            w3.task.cancel(); // while it waits its turn
            settle().await;
            r2.leave.set();
            settle().await;
            assert!(lock.writing(), "r2 left: w2 writes");
            w2.leave.set();
            settle().await;
            assert_eq!(
                lock.readers(),
                1,
                "w3 was cancelled while it waited in line: once w2 is done, \
                 r3, behind w3, reads"
            );
            assert!(!lock.writing());
        });
    }
}

mod promise_lock {
    //! Every scenario runs on `aio::Lock` and on the reader's lock, and the
    //! two journals must be the same.

    use super::grading::{Journal, run, settle};
    use aio::{Lock, SyncError};
    use ch06_sync::exercises::promise_lock::PromiseLock;

    /// What the scenarios need of a lock.
    trait TestLock: Clone + 'static {
        fn make() -> Self;
        async fn acquire(&self);
        fn release(&self) -> Result<(), SyncError>;
        fn locked(&self) -> bool;
    }

    impl TestLock for Lock {
        fn make() -> Self {
            Lock::new()
        }
        async fn acquire(&self) {
            Lock::acquire(self).await
        }
        fn release(&self) -> Result<(), SyncError> {
            Lock::release(self)
        }
        fn locked(&self) -> bool {
            Lock::locked(self)
        }
    }

    impl TestLock for PromiseLock {
        fn make() -> Self {
            PromiseLock::new()
        }
        async fn acquire(&self) {
            PromiseLock::acquire(self).await
        }
        fn release(&self) -> Result<(), SyncError> {
            PromiseLock::release(self)
        }
        fn locked(&self) -> bool {
            PromiseLock::locked(self)
        }
    }

    /// A task that takes the lock, logs it, holds it 1 ms and releases it.
    fn waiter<L: TestLock>(
        lock: &L,
        journal: &Journal,
        name: &'static str,
    ) -> aio::Task<()> {
        let (lock, journal) = (lock.clone(), journal.clone());
        aio::spawn(async move {
            lock.acquire().await;
            journal.log(format!("{name} got the lock"));
            aio::sleep(std::time::Duration::from_millis(1)).await;
            let released = lock.release();
            journal.log(format!("{name} released it: {released:?}"));
        })
        .unwrap()
    }

    /// The journal `scenario` writes, run on a loop of its own.
    fn journal_of<F>(scenario: impl FnOnce(Journal) -> F) -> Vec<String>
    where
        F: Future<Output = ()> + 'static,
    {
        let journal = Journal::default();
        run(scenario(journal.clone()));
        journal.entries()
    }

    async fn free_lock_and_misuse<L: TestLock>(journal: Journal) {
        let lock = L::make();
        journal.log(format!("release when free: {:?}", lock.release()));
        lock.acquire().await;
        journal.log(format!("acquired, locked: {}", lock.locked()));
        journal.log(format!("release: {:?}", lock.release()));
        journal.log(format!("locked: {}", lock.locked()));
    }

    #[test]
    fn takes_a_free_lock_and_refuses_a_release_when_free() {
        assert_eq!(
            journal_of(free_lock_and_misuse::<PromiseLock>),
            journal_of(free_lock_and_misuse::<Lock>),
            "a free lock is taken at once, and releasing it when free gives \
             Err(SyncError::NotLocked) (PromiseLock's journal left, \
             aio::Lock's right)"
        );
    }

    async fn fifo_without_barging<L: TestLock>(journal: Journal) {
        let lock = L::make();
        lock.acquire().await;
        let _waiters = ["first", "second", "third"]
            .map(|name| waiter(&lock, &journal, name));
        settle().await;
        journal.log("main releases");
        lock.release().unwrap();
        // A newcomer, while the waiters are served, must queue behind them.
        let _newcomer = waiter(&lock, &journal, "newcomer");
        for _ in 0..5 {
            settle().await;
        }
        journal.log(format!("locked at the end: {}", lock.locked()));
    }

    #[test]
    fn waiters_get_the_lock_in_order_and_nobody_barges() {
        assert_eq!(
            journal_of(fifo_without_barging::<PromiseLock>),
            journal_of(fifo_without_barging::<Lock>),
            "three tasks queue on a held lock, then a newcomer arrives as it \
             is released: they must get it one by one, in the order they \
             asked (PromiseLock's journal left, aio::Lock's right)"
        );
    }

    async fn cancelled_while_queued<L: TestLock>(journal: Journal) {
        let lock = L::make();
        lock.acquire().await;
        let a = waiter(&lock, &journal, "a");
        let _b = waiter(&lock, &journal, "b");
        settle().await;
        a.cancel(); // a is queued, nobody chose it
        settle().await;
        journal.log("main releases");
        lock.release().unwrap();
        settle().await;
        settle().await;
        journal.log(format!("locked at the end: {}", lock.locked()));
    }

    #[test]
    fn a_waiter_cancelled_in_the_queue_leaves_it() {
        assert_eq!(
            journal_of(cancelled_while_queued::<PromiseLock>),
            journal_of(cancelled_while_queued::<Lock>),
            "a, queued first, is cancelled before the release: the release \
             must wake b, not a's forgotten promise (PromiseLock's journal \
             left, aio::Lock's right)"
        );
    }

    async fn woken_then_cancelled<L: TestLock>(journal: Journal) {
        let lock = L::make();
        lock.acquire().await;
        let a = waiter(&lock, &journal, "a");
        let _b = waiter(&lock, &journal, "b");
        settle().await;
        journal.log("main releases and cancels a");
        lock.release().unwrap(); // wakes a...
        a.cancel(); // ... which is cancelled before it runs
        settle().await;
        settle().await;
        journal.log(format!("locked at the end: {}", lock.locked()));
    }

    #[test]
    fn a_waiter_woken_then_cancelled_passes_the_lock_on() {
        assert_eq!(
            journal_of(woken_then_cancelled::<PromiseLock>),
            journal_of(woken_then_cancelled::<Lock>),
            "the release wakes a, and a is cancelled before it runs: its \
             clean-up must wake b, or the lock is free with b asleep \
             (PromiseLock's journal left, aio::Lock's right)"
        );
    }
}

mod tokio_notify {
    //! The behaviour tokio documents for `tokio::sync::Notify`.

    use super::grading::{Journal, run, settle};
    use ch06_sync::exercises::tokio_notify::Notify;
    use std::time::Duration;

    /// Whether a fresh `notified()` completes within a (virtual) second.
    async fn completes_soon(notify: &Notify) -> bool {
        aio::wait_for(notify.notified(), Duration::from_secs(1)).await.is_ok()
    }

    /// A task that waits once and logs "<name> notified".
    fn waiter(
        notify: &Notify,
        journal: &Journal,
        name: &'static str,
    ) -> aio::Task<()> {
        let (notify, journal) = (notify.clone(), journal.clone());
        aio::spawn(async move {
            notify.notified().await;
            journal.log(format!("{name} notified"));
        })
        .unwrap()
    }

    #[test]
    fn a_notify_one_with_nobody_waiting_is_kept_for_the_next_wait() {
        run(async {
            let notify = Notify::new();
            notify.notify_one();
            assert!(
                completes_soon(&notify).await,
                "notify_one with nobody waiting stores a permit: the next \
                 notified() completes at once"
            );
            assert!(
                !completes_soon(&notify).await,
                "the permit was used: the wait after it must block"
            );
        });
    }

    #[test]
    fn two_notify_ones_store_only_one_permit() {
        run(async {
            let notify = Notify::new();
            notify.notify_one();
            notify.notify_one();
            assert!(completes_soon(&notify).await, "one permit is stored");
            assert!(
                !completes_soon(&notify).await,
                "a Notify stores at most one permit: the second wait blocks"
            );
        });
    }

    #[test]
    fn notify_one_wakes_the_waiters_one_at_a_time_oldest_first() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let notify = Notify::new();
                let _tasks =
                    ["a", "b", "c"].map(|name| waiter(&notify, &journal, name));
                settle().await;
                notify.notify_one();
                settle().await;
                assert_eq!(
                    journal.entries(),
                    ["a notified"],
                    "one notify_one wakes the oldest waiter only"
                );
                notify.notify_one();
                notify.notify_one();
                settle().await;
                assert!(
                    !completes_soon(&notify).await,
                    "three notify_ones for three waiters leave no permit"
                );
            }
        });
        assert_eq!(
            journal.entries(),
            ["a notified", "b notified", "c notified"]
        );
    }

    #[test]
    fn notify_waiters_wakes_every_waiter_and_stores_nothing() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let notify = Notify::new();
                let _tasks =
                    ["a", "b"].map(|name| waiter(&notify, &journal, name));
                settle().await;
                notify.notify_waiters();
                settle().await;
                assert_eq!(
                    journal.entries(),
                    ["a notified", "b notified"],
                    "notify_waiters wakes every waiter, oldest first"
                );
                assert!(
                    !completes_soon(&notify).await,
                    "notify_waiters stores no permit"
                );
                notify.notify_waiters(); // nobody waits: nothing happens
                assert!(!completes_soon(&notify).await);
            }
        });
    }

    #[test]
    fn notify_waiters_reaches_a_future_made_before_it_not_yet_polled() {
        run(async {
            let notify = Notify::new();
            let made_before = notify.notified();
            notify.notify_waiters();
            let made_after = notify.notified();
            assert!(
                aio::wait_for(made_before, Duration::from_secs(1))
                    .await
                    .is_ok(),
                "a Notified made before notify_waiters completes, even if it \
                 was first polled after: remember, when notified() is \
                 called, how many notify_waiters calls there were"
            );
            assert!(
                aio::wait_for(made_after, Duration::from_secs(1))
                    .await
                    .is_err(),
                "a Notified made after notify_waiters must wait"
            );
        });
    }

    #[test]
    fn a_waiter_chosen_by_notify_one_then_cancelled_passes_it_on() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let notify = Notify::new();
                let a = waiter(&notify, &journal, "a");
                let _b = waiter(&notify, &journal, "b");
                settle().await;
                notify.notify_one(); // chooses a...
                a.cancel(); // ... which is cancelled before it runs
                settle().await;
                assert_eq!(
                    journal.entries(),
                    ["b notified"],
                    "a was chosen by notify_one and cancelled before it ran: \
                     dropping its Notified passes the notification to b"
                );
                let c = waiter(&notify, &journal, "c");
                settle().await;
                notify.notify_one(); // chooses c...
                c.cancel(); // ... and nobody else waits
                settle().await;
                assert!(
                    completes_soon(&notify).await,
                    "c was chosen and cancelled, with nobody else waiting: its \
                     notification goes back into the permit"
                );
            }
        });
        assert_eq!(journal.entries(), ["b notified"]);
    }

    #[test]
    fn a_waiter_woken_by_notify_waiters_then_cancelled_passes_nothing_on() {
        let journal = Journal::default();
        run({
            let journal = journal.clone();
            async move {
                let notify = Notify::new();
                let a = waiter(&notify, &journal, "a");
                let _b = waiter(&notify, &journal, "b");
                settle().await;
                notify.notify_waiters();
                a.cancel();
                settle().await;
                assert_eq!(journal.entries(), ["b notified"]);
                assert!(
                    !completes_soon(&notify).await,
                    "a was woken by notify_waiters, which is owed to nobody \
                     else: its cancellation must not store a permit"
                );
            }
        });
    }
}

/// What the graders share: [`shared_grading`]'s journal, and runs on a loop
/// bounded by a minute of virtual time.
mod grading {
    pub use crate::shared_grading::Journal;
    use crate::shared_grading::{Limit, run_on_virtual_clock};
    use std::time::Duration;

    /// Runs `program` on a loop of its own, on the virtual clock, for at most
    /// a minute of virtual time (the clock jumps while everything waits), so
    /// that a lock or a queue that never wakes anyone fails the test instead
    /// of hanging it. Tasks left waiting at the end (holders of a lock, say)
    /// are cancelled.
    pub fn run<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
        const A_MINUTE: Limit =
            Limit::seconds(60, "something waits that nobody wakes");
        run_on_virtual_clock(A_MINUTE, program)
    }

    /// Lets every task that can run, run: on the virtual clock, a 1 ms sleep
    /// ends once the loop has nothing else to do.
    pub async fn settle() {
        aio::sleep(Duration::from_millis(1)).await;
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
