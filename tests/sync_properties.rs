//! Model-based property tests of the synchronization primitives.
//!
//! Each test drives a primitive with a random sequence of operations (spawn a
//! waiter, release, set, notify, put, get, cancel a waiter, and the tricky one:
//! wake a waiter and cancel it before it runs), lets the loop settle on the
//! virtual clock after each one, and compares what happened with a small
//! reference model: who got the resource, in which order, what is left. 1,000
//! cases per primitive.

mod common;

use aio::{
    Barrier, Condition, Event, EventLoop, Lock, Queue, Semaphore, SyncError,
    TaskRef,
};
use common::virtual_loop;
use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

type Log = Rc<RefCell<Vec<String>>>;

/// Runs the loop until everything that can run has run.
fn settle(event_loop: &EventLoop) {
    event_loop
        .run_until_complete(aio::sleep(Duration::from_millis(1)))
        .unwrap();
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// A new task starts waiting (acquire, wait, get, arrive...).
    Spawn,
    /// Give the resource back / signal (release, set, notify, put...).
    Signal(usize),
    /// Cancel the k-th waiting task.
    Cancel(usize),
    /// Signal, then cancel the waiter it chose before that waiter runs.
    SignalAndCancelChosen,
    /// A second kind of signal (clear, notify_all, get, reset...).
    Other,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => Just(Op::Spawn),
        2 => (1usize..4).prop_map(Op::Signal),
        1 => (0usize..8).prop_map(Op::Cancel),
        1 => Just(Op::SignalAndCancelChosen),
        1 => Just(Op::Other),
    ];
    prop::collection::vec(op, 1..40)
}

/// Removes and returns the k-th (modulo) element of a model's wait queue.
fn take_kth<T>(queue: &mut VecDeque<T>, k: usize) -> Option<T> {
    if queue.is_empty() { None } else { queue.remove(k % queue.len()) }
}

proptest! {
    #![proptest_config(config())]

    /// Lock: FIFO hand-over, never left held by a cancelled waiter, never free
    /// while someone waits.
    #[test]
    fn lock_matches_the_model(ops in ops()) {
        let event_loop = virtual_loop();
        let lock = Lock::new();
        let log: Log = Rc::default();
        let mut tasks: Vec<TaskRef> = Vec::new();
        let (mut model_held, mut model_queue, mut model_log) = (false, VecDeque::<usize>::new(), Vec::<String>::new());
        for op in ops {
            match op {
                Op::Spawn => {
                    let id = tasks.len();
                    let (lock, log) = (lock.clone(), log.clone());
                    tasks.push(event_loop.create_task(async move {
                        lock.acquire().await;
                        log.borrow_mut().push(format!("{id} acquired"));
                    }).unwrap().as_task_ref());
                    if !model_held && model_queue.is_empty() {
                        model_held = true;
                        model_log.push(format!("{id} acquired"));
                    } else {
                        model_queue.push_back(id);
                    }
                }
                Op::Signal(_) | Op::Other => {
                    let released = lock.release();
                    prop_assert_eq!(released.is_ok(), model_held);
                    model_held = false;
                    if let Some(next) = model_queue.pop_front() {
                        model_held = true;
                        model_log.push(format!("{next} acquired"));
                    }
                }
                Op::Cancel(k) => {
                    if let Some(id) = take_kth(&mut model_queue, k) {
                        tasks[id].cancel();
                    }
                }
                Op::SignalAndCancelChosen => {
                    if model_held && !model_queue.is_empty() {
                        lock.release().unwrap();
                        let chosen = model_queue.pop_front().unwrap();
                        tasks[chosen].cancel();
                        model_held = false;
                        if let Some(next) = model_queue.pop_front() {
                            model_held = true;
                            model_log.push(format!("{next} acquired"));
                        }
                    }
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "acquisition order");
            prop_assert_eq!(lock.locked(), model_held);
            prop_assert!(model_held || model_queue.is_empty(), "nobody waits on a free lock");
        }
        drop(tasks);
        event_loop.close().unwrap();
    }

    /// Semaphore with 2 permits: FIFO, never more holders than permits, never a
    /// waiter while a permit is free.
    #[test]
    fn semaphore_matches_the_model(ops in ops()) {
        const PERMITS: usize = 2;
        let event_loop = virtual_loop();
        let semaphore = Semaphore::new(PERMITS);
        let log: Log = Rc::default();
        let mut tasks: Vec<TaskRef> = Vec::new();
        let (mut free, mut model_queue, mut model_log) = (PERMITS, VecDeque::<usize>::new(), Vec::<String>::new());
        for op in ops {
            match op {
                Op::Spawn => {
                    let id = tasks.len();
                    let (semaphore, log) = (semaphore.clone(), log.clone());
                    tasks.push(event_loop.create_task(async move {
                        semaphore.acquire().await;
                        log.borrow_mut().push(format!("{id} acquired"));
                    }).unwrap().as_task_ref());
                    if free > 0 && model_queue.is_empty() {
                        free -= 1;
                        model_log.push(format!("{id} acquired"));
                    } else {
                        model_queue.push_back(id);
                    }
                }
                Op::Signal(_) | Op::Other => {
                    if free < PERMITS {
                        semaphore.release().unwrap();
                        match model_queue.pop_front() {
                            Some(next) => model_log.push(format!("{next} acquired")),
                            None => free += 1,
                        }
                    }
                }
                Op::Cancel(k) => {
                    if let Some(id) = take_kth(&mut model_queue, k) {
                        tasks[id].cancel();
                    }
                }
                Op::SignalAndCancelChosen => {
                    if free < PERMITS && !model_queue.is_empty() {
                        semaphore.release().unwrap();
                        let chosen = model_queue.pop_front().unwrap();
                        tasks[chosen].cancel();
                        match model_queue.pop_front() {
                            Some(next) => model_log.push(format!("{next} acquired")),
                            None => free += 1,
                        }
                    }
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "acquisition order");
            prop_assert_eq!(semaphore.value(), free, "free permits");
            prop_assert!(free <= PERMITS);
            prop_assert!(free == 0 || model_queue.is_empty(), "nobody waits while a permit is free");
        }
        drop(tasks);
        event_loop.close().unwrap();
    }

    /// Event: set releases every current waiter, in order; clear re-arms it.
    #[test]
    fn event_matches_the_model(ops in ops()) {
        let event_loop = virtual_loop();
        let event = Event::new();
        let log: Log = Rc::default();
        let mut tasks: Vec<TaskRef> = Vec::new();
        let (mut model_set, mut model_queue, mut model_log) = (false, VecDeque::<usize>::new(), Vec::<String>::new());
        for op in ops {
            match op {
                Op::Spawn => {
                    let id = tasks.len();
                    let (event, log) = (event.clone(), log.clone());
                    tasks.push(event_loop.create_task(async move {
                        event.wait().await;
                        log.borrow_mut().push(format!("{id} triggered"));
                    }).unwrap().as_task_ref());
                    if model_set { model_log.push(format!("{id} triggered")) } else { model_queue.push_back(id) }
                }
                Op::Signal(_) | Op::SignalAndCancelChosen => {
                    event.set();
                    model_set = true;
                    model_log.extend(model_queue.drain(..).map(|id| format!("{id} triggered")));
                }
                Op::Other => {
                    event.clear();
                    model_set = false;
                }
                Op::Cancel(k) => {
                    if let Some(id) = take_kth(&mut model_queue, k) {
                        tasks[id].cancel();
                    }
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "wake order");
            prop_assert_eq!(event.is_set(), model_set);
        }
        drop(tasks);
        event_loop.close().unwrap();
    }

    /// Condition: notify(n) wakes exactly n waiters, FIFO; a notified waiter
    /// cancelled before it runs passes its notification on.
    #[test]
    fn condition_matches_the_model(ops in ops()) {
        let event_loop = virtual_loop();
        let condition = Condition::new();
        let log: Log = Rc::default();
        let tasks: Rc<RefCell<Vec<TaskRef>>> = Rc::default();
        let (mut model_queue, mut model_log) = (VecDeque::<usize>::new(), Vec::<String>::new());
        for op in ops {
            match op {
                Op::Spawn => {
                    let id = tasks.borrow().len();
                    let (condition, log) = (condition.clone(), log.clone());
                    let task = event_loop.create_task(async move {
                        let guard = condition.lock().await;
                        let _guard = condition.wait(guard).await.unwrap();
                        log.borrow_mut().push(format!("{id} notified"));
                    }).unwrap();
                    tasks.borrow_mut().push(task.as_task_ref());
                    model_queue.push_back(id);
                }
                Op::Signal(n) => {
                    let condition = condition.clone();
                    event_loop.create_task(async move {
                        let _guard = condition.lock().await;
                        condition.notify(n).unwrap();
                    }).unwrap();
                    let woken = n.min(model_queue.len());
                    model_log.extend(model_queue.drain(..woken).map(|id| format!("{id} notified")));
                }
                Op::Other => {
                    let condition = condition.clone();
                    event_loop.create_task(async move {
                        let _guard = condition.lock().await;
                        condition.notify_all().unwrap();
                    }).unwrap();
                    model_log.extend(model_queue.drain(..).map(|id| format!("{id} notified")));
                }
                Op::Cancel(k) => {
                    if let Some(id) = take_kth(&mut model_queue, k) {
                        tasks.borrow()[id].cancel();
                    }
                }
                Op::SignalAndCancelChosen => {
                    if let Some(&chosen) = model_queue.front() {
                        let (condition, tasks) = (condition.clone(), tasks.clone());
                        event_loop.create_task(async move {
                            let _guard = condition.lock().await;
                            condition.notify(1).unwrap();
                            tasks.borrow()[chosen].cancel();
                        }).unwrap();
                        model_queue.pop_front();
                        if let Some(next) = model_queue.pop_front() {
                            model_log.push(format!("{next} notified"));
                        }
                    }
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "notification order");
            prop_assert!(!condition.locked(), "the lock is free between steps");
        }
        drop(tasks);
        event_loop.close().unwrap();
    }

    /// Queue with room for 2: items are never lost or duplicated, getters and
    /// putters are served FIFO, and its contents always equal the model's.
    #[test]
    fn queue_matches_the_model(ops in ops()) {
        const MAXSIZE: usize = 2;
        let event_loop = virtual_loop();
        let queue: Queue<usize> = Queue::new(MAXSIZE);
        let log: Log = Rc::default();
        let mut tasks: Vec<TaskRef> = Vec::new();
        let mut items = VecDeque::<usize>::new();
        let mut getters = VecDeque::<usize>::new();
        let mut putters = VecDeque::<(usize, usize)>::new();
        let mut model_log = Vec::<String>::new();
        let mut next_item = 100;
        // A get hands out the front item and lets the first waiting putter in.
        let serve_get = |items: &mut VecDeque<usize>, putters: &mut VecDeque<(usize, usize)>| {
            let item = items.pop_front();
            if let Some((_, waiting_item)) = putters.pop_front() {
                items.push_back(waiting_item);
            }
            item
        };
        for op in ops {
            match op {
                Op::Spawn => {
                    // A getter task.
                    let id = tasks.len();
                    let (queue, log) = (queue.clone(), log.clone());
                    tasks.push(event_loop.create_task(async move {
                        let item = queue.get().await.unwrap();
                        log.borrow_mut().push(format!("{id} got {item}"));
                    }).unwrap().as_task_ref());
                    if items.is_empty() {
                        getters.push_back(id);
                    } else {
                        let item = serve_get(&mut items, &mut putters).unwrap();
                        model_log.push(format!("{id} got {item}"));
                    }
                }
                Op::Signal(_) => {
                    // A putter task.
                    let (id, item) = (tasks.len(), next_item);
                    next_item += 1;
                    let queue = queue.clone();
                    tasks.push(event_loop.create_task(async move {
                        queue.put(item).await.unwrap();
                    }).unwrap().as_task_ref());
                    if items.len() < MAXSIZE {
                        items.push_back(item);
                        if let Some(getter) = getters.pop_front() {
                            let item = items.pop_front().unwrap();
                            model_log.push(format!("{getter} got {item}"));
                        }
                    } else {
                        putters.push_back((id, item));
                    }
                }
                Op::Other => {
                    let got = queue.get_nowait();
                    match serve_get(&mut items, &mut putters) {
                        Some(item) => prop_assert_eq!(got, Ok(item)),
                        None => prop_assert_eq!(got, Err(SyncError::QueueEmpty)),
                    }
                }
                Op::Cancel(k) => {
                    // Cancel a waiting getter or putter, whichever list is
                    // longer.
                    if getters.len() >= putters.len() {
                        if let Some(id) = take_kth(&mut getters, k) {
                            tasks[id].cancel();
                        }
                    } else if let Some((id, _)) = take_kth(&mut putters, k) {
                        tasks[id].cancel();
                    }
                }
                Op::SignalAndCancelChosen => {
                    if !getters.is_empty() {
                        // Put wakes the first getter, which is cancelled before
                        // it runs.
                        let item = next_item;
                        next_item += 1;
                        queue.put_nowait(item).unwrap();
                        tasks[getters.pop_front().unwrap()].cancel();
                        items.push_back(item);
                        if let Some(getter) = getters.pop_front() {
                            let item = items.pop_front().unwrap();
                            model_log.push(format!("{getter} got {item}"));
                        }
                    }
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "who got what");
            prop_assert_eq!(queue.qsize(), items.len());
            prop_assert!(items.is_empty() || getters.is_empty(), "no getter waits while items are queued");
            prop_assert!(items.len() == MAXSIZE || putters.is_empty(), "no putter waits while there is room");
        }
        let rest: Vec<usize> = std::iter::from_fn(|| queue.get_nowait().ok()).collect();
        prop_assert_eq!(rest, items.into_iter().collect::<Vec<_>>(), "the queue holds exactly the model's items");
        drop(tasks);
        event_loop.close().unwrap();
    }

    /// Barrier of 3: trips when the third live waiter arrives, with arrival
    /// indices; cancelled waiters leave the count; reset breaks the current
    /// round and repairs an abort; abort (`Signal(3)`) breaks the round and
    /// every wait after it.
    #[test]
    fn barrier_matches_the_model(ops in ops()) {
        const PARTIES: usize = 3;
        let event_loop = virtual_loop();
        let barrier = Barrier::new(PARTIES);
        let log: Log = Rc::default();
        let mut tasks: Vec<TaskRef> = Vec::new();
        let (mut waiting, mut model_log) = (VecDeque::<usize>::new(), Vec::<String>::new());
        let mut broken = false;
        let break_round = |waiting: &mut VecDeque<usize>, model_log: &mut Vec<String>| {
            model_log.extend(waiting.drain(..).map(|w| format!("{w}: Err(BrokenBarrier)")));
        };
        for op in ops {
            match op {
                Op::Signal(3) => {
                    barrier.abort();
                    broken = true;
                    break_round(&mut waiting, &mut model_log);
                }
                Op::Spawn | Op::Signal(_) => {
                    let id = tasks.len();
                    let (barrier, log) = (barrier.clone(), log.clone());
                    tasks.push(event_loop.create_task(async move {
                        let outcome = barrier.wait().await;
                        log.borrow_mut().push(format!("{id}: {outcome:?}"));
                    }).unwrap().as_task_ref());
                    if broken {
                        model_log.push(format!("{id}: Err(BrokenBarrier)"));
                    } else if waiting.len() + 1 == PARTIES {
                        // The last arrival returns at once; the others when
                        // they run.
                        model_log.push(format!("{id}: Ok({})", PARTIES - 1));
                        model_log.extend(waiting.drain(..).enumerate().map(|(index, w)| format!("{w}: Ok({index})")));
                    } else {
                        waiting.push_back(id);
                    }
                }
                Op::Cancel(_) | Op::SignalAndCancelChosen => {
                    if let Some(id) = take_kth(&mut waiting, k_of(&op)) {
                        tasks[id].cancel();
                    }
                }
                Op::Other => {
                    barrier.reset();
                    broken = false;
                    break_round(&mut waiting, &mut model_log);
                }
            }
            settle(&event_loop);
            prop_assert_eq!(&*log.borrow(), &model_log, "who passed, with which index");
            prop_assert_eq!(barrier.n_waiting(), waiting.len());
            prop_assert_eq!(barrier.broken(), broken);
        }
        drop(tasks);
        event_loop.close().unwrap();
    }
}

/// The waiter index an operation names (the first one for
/// `SignalAndCancelChosen`).
fn k_of(op: &Op) -> usize {
    match op {
        Op::Cancel(k) => *k,
        _ => 0,
    }
}
