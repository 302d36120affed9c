//! Exercise 2 (small): a timeout that asks first.
//!
//! Write [`stop_after`]: give a running child `timeout` to end by itself;
//! then ask it to stop (`SIGTERM`) and give it `grace`; then kill it
//! (`SIGKILL`). Either way, give its return code. See the book's chapter
//! 11, exercise 2. The grader runs children that exit in time, that stop
//! when asked, that stop cleanly on `SIGTERM`, and that ignore it.

use aio::Process;
use std::io;
use std::time::Duration;

/// Waits up to `timeout` for `process` to exit; if it has not, sends it
/// `SIGTERM` and waits up to `grace`; if it still runs, sends `SIGKILL`
/// and waits for the end. Gives the return code (`-15` for a child that
/// `SIGTERM` ended, `-9` for one killed).
pub async fn stop_after(
    process: &Process,
    timeout: Duration,
    grace: Duration,
) -> io::Result<i32> {
    // Your code here: `aio::wait_for` around `process.wait()`, twice.
    Err(io::Error::other("stop_after is not written yet"))
}
