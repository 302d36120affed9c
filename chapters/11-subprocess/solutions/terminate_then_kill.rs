//! Exercise 2 (small): a timeout that asks first, then insists.

use aio::Process;
use std::io;
use std::time::Duration;

// ANCHOR: stop_after
/// Waits up to `timeout` for `process` to exit; if it has not, sends it
/// `SIGTERM` and waits up to `grace`; if it still runs, sends `SIGKILL`
/// and waits for the end. Gives the return code (`-15` for a child that
/// `SIGTERM` ended, `-9` for one killed).
pub async fn stop_after(
    process: &Process,
    timeout: Duration,
    grace: Duration,
) -> io::Result<i32> {
    // A `wait_for` that times out drops only its `wait()`: the child runs
    // on, unreaped, so its pid is still its own to signal.
    if let Ok(returncode) = aio::wait_for(process.wait(), timeout).await {
        return Ok(returncode);
    }
    process.terminate()?;
    if let Ok(returncode) = aio::wait_for(process.wait(), grace).await {
        return Ok(returncode);
    }
    process.kill()?;
    Ok(process.wait().await)
}
// ANCHOR_END: stop_after
