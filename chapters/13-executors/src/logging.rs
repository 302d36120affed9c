//! PyMOTW's log lines, on standard error: a logger's name and message, after
//! the thread or the process that logs them. Python's `logging` module gives
//! each line that prefix from the format string passed to `basicConfig`;
//! here each example names its [`Format`] when it makes a [`Logger`].

use std::fmt::Display;
use std::io::{self, Write};
use std::process;
use std::thread;

// ANCHOR: format
/// What a line says before the logger's name: PyMOTW's two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `'%(threadName)10s %(name)18s: %(message)s'`: the thread's name.
    ThreadName,
    /// `'PID %(process)5s %(name)18s: %(message)s'`: the process id.
    Process,
}
// ANCHOR_END: format

/// A named logger, as `logging.getLogger(name)` makes one.
#[derive(Debug, Clone)]
pub struct Logger {
    format: Format,
    name: String,
}

impl Logger {
    /// The logger `name`, whose lines start as `format` says.
    pub fn new(format: Format, name: impl Into<String>) -> Logger {
        Logger { format, name: name.into() }
    }

    // ANCHOR: info
    /// Writes one line: who logs it, the logger's name, then `message`.
    pub fn info(&self, message: impl Display) {
        let name = &self.name;
        let line = match self.format {
            Format::ThreadName => {
                format!("{:>10} {name:>18}: {message}\n", thread_name())
            }
            Format::Process => {
                format!("PID {:>5} {name:>18}: {message}\n", process::id())
            }
        };
        // The whole line in one write, as Python's logging writes it:
        // `eprintln!` writes a line piece by piece, and the pieces of two
        // processes' lines would mix. (A write to a pipe of up to 4 KiB
        // is never split.)
        let _ = io::stderr().write_all(line.as_bytes());
    }
    // ANCHOR_END: info
}

/// This thread's name, or its id if it has none (Python names every
/// thread; Rust's threads are nameless unless given one, and the id at
/// least tells two of them apart).
fn thread_name() -> String {
    let current = thread::current();
    match current.name() {
        Some(name) => name.to_owned(),
        None => format!("{:?}", current.id()),
    }
}
