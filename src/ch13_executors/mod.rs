//! Chapter 13 (executors): threads and processes.

pub(crate) mod executor_error;
pub(crate) mod pool_frames;
pub(crate) mod pool_functions;
pub(crate) mod worker_process;
pub(crate) mod worker_serve;
