//! Chapter 13 (executors): blocking work off the loop, on threads and on
//! processes, and coroutines handed to a loop from other threads.

pub(crate) mod executor_error;
pub(crate) mod concurrent_future;
pub(crate) mod thread_pool;
pub(crate) mod executor;
pub(crate) mod default_executor;
pub(crate) mod threadsafe;
pub(crate) mod pool_frames;
pub(crate) mod worker_serve;
pub(crate) mod pool_functions;
pub(crate) mod worker_process;
pub(crate) mod process_pool;
