//! PyMOTW's log lines, on standard error: `logging.basicConfig(format=
//! '%(levelname)7s: %(message)s')`, the level's name right-aligned in
//! seven columns, then the message. The example's own lines and the
//! runtime's (its debug-mode warnings) go through the same [`line`], so
//! they read as one log, as Python's `logging` makes them.

use std::fmt::Display;
use std::io::{self, Write};

// ANCHOR: line
/// Writes one line: the level's name, right-aligned in seven columns, then
/// `message`.
pub fn line(level: aio::Level, message: impl Display) {
    let level = level.to_string();
    let line = format!("{level:>7}: {message}\n");
    // The whole line in one write, as Python's logging writes it.
    let _ = io::stderr().write_all(line.as_bytes());
}

/// Logs `message` at the INFO level, as PyMOTW's `LOG.info` does.
pub fn info(message: impl Display) {
    line(aio::Level::Info, message);
}

/// Sends the runtime's log records on this thread to [`line`] too: every
/// level, as PyMOTW's `level=logging.DEBUG` asks.
pub fn route_runtime_log() {
    aio::set_log_sink(Some(Box::new(|record| {
        line(record.level, record.message);
    })));
}
// ANCHOR_END: line
