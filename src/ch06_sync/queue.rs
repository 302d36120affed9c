//! Chapter 6 (synchronization): `Queue`, `LifoQueue` and `PriorityQueue`.
//!
//! A port of asyncio's queues, shutdown (Python 3.13) included. A full queue
//! parks putters and an empty one parks getters, each in FIFO order; every
//! `put` wakes one getter and every `get` wakes one putter. A woken waiter
//! re-checks the queue, so a waiter that was woken and then cancelled passes
//! its wake-up on: items never vanish and room is never wasted. `task_done` and
//! `join` count the items still being worked on.

use crate::ch06_sync::event::Event;
use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::wait_queue::WaitQueue;
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::rc::Rc;

/// Where a queue keeps its items: the only difference between the three kinds.
trait Storage<T> {
    fn push(&mut self, item: T);
    fn pop(&mut self) -> Option<T>;
    fn len(&self) -> usize;
}

impl<T> Storage<T> for VecDeque<T> {
    fn push(&mut self, item: T) {
        self.push_back(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.pop_front()
    }
    fn len(&self) -> usize {
        VecDeque::len(self)
    }
}

/// Last in, first out.
struct Stack<T>(Vec<T>);

impl<T> Storage<T> for Stack<T> {
    fn push(&mut self, item: T) {
        self.0.push(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first, like Python's `heapq`.
struct MinHeap<T: Ord>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Storage<T> for MinHeap<T> {
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// An asyncio-style queue. Cloning gives another handle to the same queue.
///
/// ```
/// let got = aio::run(async {
///     let queue = aio::Queue::new(1); // room for one item
///     let producer = aio::spawn({
///         let queue = queue.clone();
///         async move {
///             for n in 1..=3 {
///                 queue.put(n).await.unwrap(); // waits while full
///             }
///             queue.shutdown(false); // no more items
///         }
///     })
///     .unwrap();
///     let mut got = Vec::new();
///     while let Ok(n) = queue.get().await {
///         got.push(n);
///         queue.task_done().unwrap();
///     }
///     producer.await.unwrap();
///     got
/// });
/// assert_eq!(got.unwrap(), [1, 2, 3]);
/// ```
pub struct Queue<T> {
    inner: Rc<QueueState<T>>,
}

struct QueueState<T> {
    items: RefCell<Box<dyn Storage<T>>>,
    maxsize: usize,
    getters: WaitQueue,
    putters: WaitQueue,
    unfinished_tasks: Cell<usize>,
    finished: Event,
    shut_down: Cell<bool>,
}

/// Constructor of a last-in, first-out [`Queue`] (`asyncio.LifoQueue`).
#[derive(Debug)]
pub struct LifoQueue;

/// Constructor of a smallest-first [`Queue`] (`asyncio.PriorityQueue`).
#[derive(Debug)]
pub struct PriorityQueue;

impl LifoQueue {
    /// A LIFO queue holding at most `maxsize` items (0: no limit).
    // Like asyncio's, it is a queue, with another order.
    #[allow(clippy::new_ret_no_self)]
    pub fn new<T: 'static>(maxsize: usize) -> Queue<T> {
        Queue::with_storage(Box::new(Stack(Vec::new())), maxsize)
    }
}

impl PriorityQueue {
    /// A queue that hands out its smallest item first, holding at most
    /// `maxsize` items (0: no limit).
    // Like asyncio's, it is a queue, with another order.
    #[allow(clippy::new_ret_no_self)]
    pub fn new<T: Ord + 'static>(maxsize: usize) -> Queue<T> {
        Queue::with_storage(Box::new(MinHeap(BinaryHeap::new())), maxsize)
    }
}

impl<T: 'static> Queue<T> {
    /// A FIFO queue holding at most `maxsize` items (0: no limit).
    pub fn new(maxsize: usize) -> Queue<T> {
        Queue::with_storage(Box::new(VecDeque::new()), maxsize)
    }

    fn with_storage(items: Box<dyn Storage<T>>, maxsize: usize) -> Queue<T> {
        let finished = Event::new();
        finished.set();
        Queue {
            inner: Rc::new(QueueState {
                items: RefCell::new(items),
                maxsize,
                getters: WaitQueue::new(),
                putters: WaitQueue::new(),
                unfinished_tasks: Cell::new(0),
                finished,
                shut_down: Cell::new(false),
            }),
        }
    }
}

impl<T> Queue<T> {
    /// The most items the queue holds (0: no limit).
    pub fn maxsize(&self) -> usize {
        self.inner.maxsize
    }

    /// How many items are in the queue.
    pub fn qsize(&self) -> usize {
        self.inner.items.borrow().len()
    }

    /// Whether the queue holds no item.
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether the queue holds `maxsize` items (never, with no limit).
    pub fn full(&self) -> bool {
        self.inner.maxsize > 0 && self.qsize() >= self.inner.maxsize
    }

    /// Whether [`shutdown`](Queue::shutdown) was called.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shut_down.get()
    }

    // ANCHOR: queue_get
    /// Takes the next item, waiting while the queue is empty. Fails once the
    /// queue is shut down and empty.
    pub async fn get(&self) -> Result<T, SyncError> {
        let state = &*self.inner;
        while self.empty() {
            if state.shut_down.get() {
                return Err(SyncError::QueueShutDown);
            }
            // Woken for an item we will not take: wake the next getter for
            // it.
            let pass_on = || {
                if !self.empty() {
                    state.getters.wake_one(());
                }
            };
            state.getters.wait("Queue (get)", pass_on).await.take();
        }
        self.get_nowait()
    }

    /// Takes the next item if there is one.
    pub fn get_nowait(&self) -> Result<T, SyncError> {
        let state = &*self.inner;
        let item = state.items.borrow_mut().pop();
        match item {
            Some(item) => {
                state.putters.wake_one(());
                Ok(item)
            }
            None if state.shut_down.get() => Err(SyncError::QueueShutDown),
            None => Err(SyncError::QueueEmpty),
        }
    }
    // ANCHOR_END: queue_get

    /// Adds `item`, waiting while the queue is full. Fails once the queue is
    /// shut down.
    pub async fn put(&self, item: T) -> Result<(), SyncError> {
        let state = &*self.inner;
        while self.full() {
            if state.shut_down.get() {
                return Err(SyncError::QueueShutDown);
            }
            // Woken for room we will not use: wake the next putter for it.
            let pass_on = || {
                if !self.full() {
                    state.putters.wake_one(());
                }
            };
            state.putters.wait("Queue (put)", pass_on).await.take();
        }
        self.put_nowait(item)
    }

    /// Adds `item` if there is room.
    pub fn put_nowait(&self, item: T) -> Result<(), SyncError> {
        let state = &*self.inner;
        if state.shut_down.get() {
            return Err(SyncError::QueueShutDown);
        }
        if self.full() {
            return Err(SyncError::QueueFull);
        }
        state.items.borrow_mut().push(item);
        state.unfinished_tasks.set(state.unfinished_tasks.get() + 1);
        state.finished.clear();
        state.getters.wake_one(());
        Ok(())
    }

    /// Marks one item got from the queue as fully processed.
    pub fn task_done(&self) -> Result<(), SyncError> {
        let state = &*self.inner;
        let unfinished = state.unfinished_tasks.get();
        if unfinished == 0 {
            return Err(SyncError::TaskDoneTooManyTimes);
        }
        state.unfinished_tasks.set(unfinished - 1);
        if unfinished == 1 {
            state.finished.set();
        }
        Ok(())
    }

    /// Waits until every item put has been marked done with `task_done`.
    pub async fn join(&self) {
        if self.inner.unfinished_tasks.get() > 0 {
            self.inner.finished.wait().await;
        }
    }

    /// Shuts the queue down (asyncio 3.13): `put` fails from now on, and `get`
    /// fails once the queue is empty. With `immediate`, the items still queued
    /// are dropped (and count as done). Every blocked getter and putter wakes
    /// to find out.
    pub fn shutdown(&self, immediate: bool) {
        let state = &*self.inner;
        state.shut_down.set(true);
        if immediate {
            let dropped =
                std::iter::from_fn(|| state.items.borrow_mut().pop()).count();
            let unfinished =
                state.unfinished_tasks.get().saturating_sub(dropped);
            state.unfinished_tasks.set(unfinished);
            if unfinished == 0 {
                state.finished.set();
            }
        }
        state.getters.wake_all(());
        state.putters.wake_all(());
    }
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue { inner: Rc::clone(&self.inner) }
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("qsize", &self.qsize())
            .field("maxsize", &self.maxsize())
            .field("unfinished_tasks", &self.inner.unfinished_tasks.get())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}
