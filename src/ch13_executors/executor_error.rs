//! Chapter 13 (executors): PLACEHOLDER until the lead's ExecutorError lands
//! on main (this file is then replaced by the lead's).

use std::fmt;
use std::io;

/// What went wrong with a job or a pool.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExecutorError {
    /// max_workers of 0.
    ZeroWorkers,
    /// Submitted after shutdown.
    Shutdown,
    /// Cancelled before it started.
    Cancelled,
    /// The job panicked.
    Panicked {
        /// The panic's message.
        message: String,
    },
    /// A worker process died while running the job.
    BrokenWorker {
        /// How it died.
        reason: String,
    },
    /// No worker could be started.
    Spawn(io::Error),
    /// (De)serialisation failed.
    Codec(String),
    /// The worker refused.
    Worker(String),
}

impl fmt::Display for ExecutorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ExecutorError {}
