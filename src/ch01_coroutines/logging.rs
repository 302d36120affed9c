//! Chapter 1 (coroutines): the runtime's logging facility.
//!
//! asyncio reports problems it cannot raise (an exception in a callback, a task
//! whose exception was never retrieved) through the `asyncio` logger. aio does
//! the same through this module: the runtime never prints; it hands a
//! [`Record`] to the thread's sink. The default sink writes warnings and errors
//! to standard error; set `AIO_LOG=debug` (or `info`, `warn`, `error`, `off`)
//! to change the threshold, or install your own sink with [`set_log_sink`],
//! which is what the tests do to assert on what was reported.

use std::cell::RefCell;
use std::fmt;
use std::io::Write;

/// How serious a log record is, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Step-by-step detail, useful when studying the loop.
    Debug,
    /// Normal but noteworthy events.
    Info,
    /// Something was probably a mistake (an unclosed loop, a lost error).
    Warn,
    /// Something failed (a callback panicked).
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARNING",
            Level::Error => "ERROR",
        };
        f.write_str(name)
    }
}

/// One message from the runtime.
#[derive(Debug)]
pub struct Record<'a> {
    /// How serious it is.
    pub level: Level,
    /// The module that reported it, like a Python logger name
    /// (`"aio.event_loop"`).
    pub target: &'static str,
    /// The message itself.
    pub message: fmt::Arguments<'a>,
}

/// A function that receives the runtime's log records.
pub type LogSink = Box<dyn Fn(&Record<'_>)>;

thread_local! {
    static SINK: RefCell<Option<LogSink>> = const { RefCell::new(None) };
}

/// Replaces this thread's log sink and returns the previous one.
///
/// Pass `None` to go back to the default sink (standard error, filtered by
/// `AIO_LOG`). Sinks are per thread, like loops: a loop logs to the sink of the
/// thread it runs on.
pub fn set_log_sink(sink: Option<LogSink>) -> Option<LogSink> {
    SINK.with(|slot| slot.replace(sink))
}

/// Sends one record to this thread's sink.
pub(crate) fn log(
    level: Level,
    target: &'static str,
    message: fmt::Arguments<'_>,
) {
    let record = Record { level, target, message };
    let handled = SINK
        .try_with(|slot| match slot.try_borrow() {
            Ok(sink) => match sink.as_ref() {
                Some(sink) => {
                    sink(&record);
                    true
                }
                None => false,
            },
            // A sink that logs from inside itself falls back to standard error.
            Err(_) => false,
        })
        .unwrap_or(false);
    if !handled {
        write_to_stderr(&record);
    }
}

fn write_to_stderr(record: &Record<'_>) {
    if threshold().is_none_or(|lowest| record.level < lowest) {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    // Logging must never fail the caller: a closed stderr simply loses the
    // message.
    let _ = writeln!(
        stderr,
        "{}:{}: {}",
        record.level, record.target, record.message
    );
}

/// The lowest level the default sink prints, or `None` when `AIO_LOG=off`.
fn threshold() -> Option<Level> {
    match std::env::var("AIO_LOG").as_deref() {
        Ok("debug") => Some(Level::Debug),
        Ok("info") => Some(Level::Info),
        Ok("error") => Some(Level::Error),
        Ok("off") => None,
        _ => Some(Level::Warn),
    }
}

/// Logs a warning: `warn!("aio.task", "task {} ...", name)`.
macro_rules! log_warn {
    ($target:expr, $($arg:tt)+) => {
        $crate::ch01_coroutines::logging::log($crate::ch01_coroutines::logging::Level::Warn, $target, format_args!($($arg)+))
    };
}

/// Logs an error.
macro_rules! log_error {
    ($target:expr, $($arg:tt)+) => {
        $crate::ch01_coroutines::logging::log($crate::ch01_coroutines::logging::Level::Error, $target, format_args!($($arg)+))
    };
}

/// Logs a debug message.
macro_rules! log_debug {
    ($target:expr, $($arg:tt)+) => {
        $crate::ch01_coroutines::logging::log($crate::ch01_coroutines::logging::Level::Debug, $target, format_args!($($arg)+))
    };
}

pub(crate) use {log_debug as debug, log_error as error, log_warn as warn};
