//! `stop` (not in PyMOTW): `run_forever` ended by `stop()` from inside the
//! loop.
//!
//! `stop()` does not interrupt anything: the tick that is running finishes, and
//! then `run_forever` returns. A timer that is not due yet stays queued until
//! `close` drops it.

use aio::EventLoop;
use std::time::Duration;

// ANCHOR: example
pub fn main() -> Result<(), aio::Error> {
    let event_loop = EventLoop::new()?;
    println!("registering callbacks");
    let stopper = event_loop.clone();
    event_loop.call_soon(move || {
        println!("callback A: calling stop()");
        stopper.stop();
    })?;
    event_loop
        .call_soon(|| println!("callback B: still runs, in the same tick"))?;
    event_loop.call_later(Duration::from_millis(100), || {
        println!("callback C: never runs")
    })?;
    println!("entering event loop");
    event_loop.run_forever()?;
    println!(
        "run_forever returned at loop time {:.3}",
        event_loop.time().as_secs_f64()
    );
    println!("closing event loop");
    event_loop.close()
}
// ANCHOR_END: example
