//! # aio: asyncio, rebuilt in Rust
//!
//! `aio` is a single-threaded, asyncio-style event loop built on [mio]. It is written
//! chapter by chapter in the book that lives next to it (`book/`), and this file is its
//! table of contents: every module below belongs to exactly one chapter, and a module
//! only uses modules of its own chapter or earlier ones (`tests/architecture.rs` checks
//! this).
//!
//! ```
//! let answer = aio::run(async {
//!     aio::sleep(std::time::Duration::from_millis(1)).await;
//!     42
//! });
//! assert_eq!(answer.unwrap(), 42);
//! ```

// Chapter 1: coroutines, and the loop that drives them.
mod clock;
mod error;
mod event_loop;
mod logging;
mod owner_thread;
mod ready_queue;
mod remote;
mod run;
mod running;
mod sync;
mod task;
mod task_handle;
mod timers;
mod waker;

// Chapter 2: scheduling calls to regular functions.
mod handle;
mod schedule;
mod sleep;

// Chapter 3: producing results asynchronously.
mod promise;

// Chapter 4: executing tasks concurrently.
mod task_ref;

// Chapter 5: composing coroutines with control structures.
mod as_completed;
mod gather;
mod shield;
mod timeouts;
mod wait;
mod waitable;

// Chapter 6: synchronization primitives.
mod barrier;
mod condition;
mod event;
mod lock;
mod queue;
mod semaphore;
mod sync_error;
mod waiter;

// Chapter 7: asynchronous I/O with protocol class abstractions.
mod connect;
mod datagram;
mod reactor;
mod server;
mod socket;
mod transport;
mod unix;

// Chapter 8: asynchronous I/O using coroutines and streams.
mod streams;

// Chapter 13: combining coroutines with threads and processes.
pub mod oneshot;

// Chapter 14: debugging with asyncio.
mod bug_museum;

pub use clock::ClockKind;
pub use error::{Error, TaskError};
pub use event_loop::{Builder, EventLoop};
pub use handle::{Handle, TimerHandle};
pub use logging::{Level, LogSink, Record, set_log_sink};
pub use promise::{Exception, InvalidStateError, Promise, PromiseCallbackId, PromiseError};
pub use remote::RemoteLoop;
pub use run::run;
pub use running::get_running_loop;
pub use sleep::{Sleep, sleep, sleep_until};
pub use task_handle::{Task, spawn};
pub use task_ref::{DoneCallbackId, TaskRef, Watch, all_tasks, current_task};

pub use as_completed::{AsCompleted, as_completed};
pub use gather::{Child, Children, Gather, GatherSettled, gather, gather_settled};
pub use shield::{Shield, shield};
pub use timeouts::{CancelOnDrop, Timeout, TimeoutScope, timeout, timeout_at, wait_for};
pub use wait::{DoneAndPending, ReturnWhen, Wait, wait};
pub use waitable::Waitable;

pub use barrier::Barrier;
pub use condition::Condition;
pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use queue::{LifoQueue, PriorityQueue, Queue};
pub use semaphore::{BoundedSemaphore, Semaphore, SemaphorePermit};
pub use sync_error::SyncError;

pub use connect::create_connection;
pub use datagram::{DatagramProtocol, DatagramTransport, create_datagram_endpoint};
pub use server::{Server, create_server};
pub use transport::{DEFAULT_HIGH_WATER, Protocol, Transport};
pub use unix::{create_unix_connection, create_unix_server};

pub use streams::{
    DEFAULT_LIMIT, Lines, StreamError, StreamReader, StreamWriter, open_connection, open_unix_connection,
    start_server, start_unix_server,
};
