//! Chapter 1 (coroutines): the runtime's typed errors.
//!
//! asyncio raises `RuntimeError` with a sentence in it. aio returns an
//! [`Error`] whose `Display` text is that sentence plus what to do about it.
//! Nothing in the runtime panics on bad input: misuse comes back as one of
//! these values.

use std::fmt;

/// Why a task did not produce its value.
///
/// This is what awaiting a [`Task`](crate::Task) gives when the task was
/// cancelled or its body panicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The task was cancelled before it finished (asyncio's `CancelledError`).
    Cancelled,
    /// The task's body panicked; the panic was caught and the loop kept
    /// running.
    Panicked {
        /// The panic message (`"<non-string panic payload>"` when it was not a
        /// string).
        message: String,
    },
    /// The task's result was already moved out by an earlier `.await` of the
    /// handle.
    ResultTaken,
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Cancelled => write!(f, "the task was cancelled"),
            TaskError::Panicked { message } => {
                write!(f, "the task panicked: {message}")
            }
            TaskError::ResultTaken => write!(
                f,
                "the task's result was already taken by an earlier await; await `&task` instead to keep it (needs T: Clone)"
            ),
        }
    }
}

impl std::error::Error for TaskError {}

/// Everything that can go wrong when using the event loop.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The loop was closed (asyncio: "Event loop is closed").
    LoopClosed,
    /// `run_until_complete` or `run_forever` was called on a loop that is
    /// already running.
    AlreadyRunning,
    /// A second loop was started on a thread whose loop is running.
    AnotherLoopRunning,
    /// `aio::run` was called from inside a running loop.
    RunInsideLoop,
    /// `close` was called on a running loop.
    CloseWhileRunning,
    /// Something needed the running loop and none was running on this thread.
    NoRunningLoop,
    /// `stop()` ended `run_until_complete` before its future finished.
    StoppedBeforeComplete,
    /// The future driven by `run_until_complete` or `aio::run` was cancelled or
    /// panicked.
    Task(TaskError),
    /// The operating system refused a resource the loop needs (for example the
    /// poller).
    Io(std::io::Error),
    /// A deadline passed first (`wait_for`, `timeout`, `as_completed`):
    /// asyncio's `TimeoutError`.
    TimedOut,
    /// `wait` was given nothing to wait for.
    NothingToWaitFor,
    /// Ctrl-C (SIGINT) cancelled the main task of `aio::run`, whose clean-up
    /// then ran (chapter 12): asyncio's `KeyboardInterrupt`.
    Interrupted,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LoopClosed => write!(
                f,
                "the event loop is closed; create a new EventLoop (or use aio::run) instead of reusing a closed one"
            ),
            Error::AlreadyRunning => write!(
                f,
                "this event loop is already running; inside the loop, await the future (or spawn it) instead of calling run_until_complete again"
            ),
            Error::AnotherLoopRunning => write!(
                f,
                "another event loop is already running on this thread; run one loop per thread, or start the second loop on its own thread"
            ),
            Error::RunInsideLoop => write!(
                f,
                "aio::run() cannot be called from a running event loop; await the future (or spawn it) instead"
            ),
            Error::CloseWhileRunning => write!(
                f,
                "cannot close a running event loop; call stop() and close it after run_forever returns"
            ),
            Error::NoRunningLoop => write!(
                f,
                "no running event loop on this thread; call this from a task or callback, or start a loop with aio::run"
            ),
            Error::StoppedBeforeComplete => write!(
                f,
                "the event loop stopped before the future completed; something called stop() while run_until_complete was waiting"
            ),
            Error::Task(error) => write!(f, "{error}"),
            Error::Io(error) => write!(
                f,
                "the operating system refused the event loop a resource: {error}"
            ),
            Error::TimedOut => write!(
                f,
                "the deadline passed before the operation finished; give it a longer timeout, or handle the timeout"
            ),
            Error::NothingToWaitFor => {
                write!(
                    f,
                    "wait() was given no tasks or futures; pass at least one, or skip the call"
                )
            }
            Error::Interrupted => write!(
                f,
                "interrupted by Ctrl-C (SIGINT): the main task was cancelled and its clean-up ran; end the program with aio::Signal::INT.exit_process() so that its parent sees the interrupt"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Task(error) => Some(error),
            Error::Io(error) => Some(error),
            _ => None,
        }
    }
}

impl From<TaskError> for Error {
    fn from(error: TaskError) -> Self {
        Error::Task(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io(error)
    }
}

/// Turns a panic payload into its message.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "<non-string panic payload>".to_owned()
    }
}
