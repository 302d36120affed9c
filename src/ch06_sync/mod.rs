//! Chapter 6 (synchronization): locks, events, conditions, semaphores,
//! barriers and queues, all waiting in one kind of wait queue.

pub(crate) mod sync_error;
pub(crate) mod wait_queue;
pub(crate) mod barrier;
pub(crate) mod event;
pub(crate) mod lock;
pub(crate) mod condition;
pub(crate) mod queue;
pub(crate) mod semaphore;
