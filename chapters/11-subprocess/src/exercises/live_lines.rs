//! Exercise 3 (medium): progress as it comes.
//!
//! Write [`LiveLines`]: run a Python script (`python3 -c SCRIPT`) with its
//! stdin and stdout piped, and hand out each line of its output as soon as
//! the script prints it, with the time since the start. The book's chapter
//! 11, exercise 3, says why a Python child's output does not come as it is
//! printed unless you ask for it. The grader's scripts print a line, then
//! wait for input from you before they print the next.

use std::io;
use std::time::Duration;

/// A running Python script and the lines of its output.
#[derive(Debug)]
pub struct LiveLines {
    // Your code here: what `next_line` and `send` need (the process, and
    // the loop time at the start).
}

impl LiveLines {
    /// Starts `python3 -c script`, its stdin and stdout pipes, its output
    /// unbuffered so that each line arrives when it is printed.
    pub async fn start(script: &str) -> io::Result<LiveLines> {
        // Your code here: `aio::create_subprocess_exec`, with the right
        // `ProcessOptions`; `aio::get_running_loop()?.time()` is the clock.
        Err(io::Error::other("LiveLines::start is not written yet"))
    }

    /// The next line of output, without its `\n` (a last line may have
    /// none), with the loop time since `start`; `None` at the end.
    pub async fn next_line(&mut self) -> Option<(Duration, String)> {
        // Your code here: a line from the child's stdout.
        None
    }

    /// Writes `line` and a `\n` to the script's stdin, and waits until the
    /// pipe has taken it.
    pub async fn send(&mut self, line: &str) -> io::Result<()> {
        // Your code here: the stdin stream's `write` and `drain`.
        Err(io::Error::other("LiveLines::send is not written yet"))
    }

    /// Closes the script's stdin and waits for it to exit: its return code.
    pub async fn finish(self) -> i32 {
        // Your code here.
        -1
    }
}
