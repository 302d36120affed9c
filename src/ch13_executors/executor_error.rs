//! Chapter 13 (executors): what can go wrong with a job or a pool.
//!
//! One error type for every executor, as `concurrent.futures` raises the
//! same few exceptions (`CancelledError`, `TimeoutError`,
//! `BrokenProcessPool`, `RuntimeError` after shutdown) whichever pool ran
//! the job. Each message says what to do about it.

use std::fmt;
use std::io;

/// Why a job gave no value, or why a pool refused one.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExecutorError {
    /// A pool was asked for 0 workers.
    ZeroWorkers,
    /// The job was submitted after `shutdown` (Python's `RuntimeError:
    /// cannot schedule new futures after shutdown`).
    Shutdown,
    /// The job was cancelled before it started: by
    /// [`ConcurrentFuture::cancel`](crate::ConcurrentFuture::cancel), by
    /// dropping the awaitable, or by `shutdown` with `cancel_futures`.
    Cancelled,
    /// The job panicked. The panic was caught, and the pool serves on.
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The worker process running the job died (Python's
    /// `BrokenProcessPool`). The pool replaces it for the next job.
    BrokenWorker {
        /// Which worker, how it died, and what it was running.
        reason: String,
    },
    /// [`ConcurrentFuture::result`](crate::ConcurrentFuture::result) waited
    /// as long as it was told to, and the job is not done.
    TimedOut,
    /// An earlier call to `result` took the value out.
    ResultTaken,
    /// `result` was called on the thread of the loop that must produce the
    /// value, which would block that loop forever.
    WouldDeadlock,
    /// There is no running loop, and the job needs one (the default
    /// executor is the running loop's).
    NoRunningLoop,
    /// The loop that was to run the coroutine is closed.
    LoopClosed,
    /// No worker thread or process could be started.
    Spawn(io::Error),
    /// A process pool could not encode an argument or decode a result.
    Codec(String),
    /// A worker process refused the job, or its program does not serve
    /// jobs at all.
    Worker(String),
}

impl fmt::Display for ExecutorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecutorError::ZeroWorkers => f.write_str(
                "a pool needs at least one worker; pass max_workers of 1 or \
                 more",
            ),
            ExecutorError::Shutdown => f.write_str(
                "cannot schedule new jobs after shutdown; create a new \
                 executor, or submit before shutting this one down",
            ),
            ExecutorError::Cancelled => {
                f.write_str("the job was cancelled before it started")
            }
            ExecutorError::Panicked { message } => write!(
                f,
                "the job panicked: {message} (the pool serves on; catch the \
                 failure in the job if it should return a value instead)"
            ),
            ExecutorError::BrokenWorker { reason } => write!(
                f,
                "{reason}; the job is lost, and the pool starts a new worker \
                 for the next one"
            ),
            ExecutorError::TimedOut => f.write_str(
                "the job is not done yet; wait longer, or cancel it",
            ),
            ExecutorError::ResultTaken => f.write_str(
                "the result was already taken by an earlier call to result()",
            ),
            ExecutorError::WouldDeadlock => f.write_str(
                "result() was called on the thread of the loop that must \
                 produce the value, which would block that loop forever; \
                 await it there instead (wrap_future)",
            ),
            ExecutorError::NoRunningLoop => f.write_str(
                "the default executor belongs to the running loop; call this \
                 from a task, or pass an executor of your own",
            ),
            ExecutorError::LoopClosed => f.write_str(
                "the event loop is closed; run the coroutine before closing \
                 its loop",
            ),
            ExecutorError::Spawn(error) => write!(
                f,
                "could not start a worker: {error} (a process or thread \
                 limit?)"
            ),
            ExecutorError::Codec(message) => write!(
                f,
                "could not pass a value to or from a worker process: \
                 {message}"
            ),
            ExecutorError::Worker(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ExecutorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExecutorError::Spawn(error) => Some(error),
            _ => None,
        }
    }
}

impl From<ExecutorError> for io::Error {
    fn from(error: ExecutorError) -> io::Error {
        let kind = match &error {
            ExecutorError::Spawn(error) => error.kind(),
            ExecutorError::TimedOut => io::ErrorKind::TimedOut,
            ExecutorError::ZeroWorkers => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, error)
    }
}
