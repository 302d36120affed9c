//! `asyncio_signal.py`: handlers for SIGHUP, SIGUSR1 and SIGINT, and a task
//! that sends them to its own process. A signal does not interrupt the
//! task: its handler runs as a loop callback once the task yields.

use aio::Signal;
use std::io;
use std::time::Duration;

// ANCHOR: signal_handler
/// PyMOTW's handler: says which signal came.
pub fn signal_handler(name: &str) {
    println!("signal_handler({name:?})");
}
// ANCHOR_END: signal_handler

// ANCHOR: send_signals
/// Sends each of `signals` to this process, yielding after each one.
pub async fn send_signals(
    signals: impl IntoIterator<Item = Signal>,
) -> io::Result<()> {
    let pid = std::process::id();
    println!("starting send_signals for {pid}");
    for signal in signals {
        println!("sending {signal}");
        signal.send(pid)?;
        // The signal does not interrupt this task: its handler can only
        // run once the task yields control to the loop.
        println!("yielding control");
        aio::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}
// ANCHOR_END: send_signals

// ANCHOR: main
/// The `signal` binary: three handlers on a new loop, then the signals.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    event_loop
        .add_signal_handler(Signal::HUP, move || signal_handler("SIGHUP"))?;
    event_loop
        .add_signal_handler(Signal::USR1, move || signal_handler("SIGUSR1"))?;
    event_loop
        .add_signal_handler(Signal::INT, move || signal_handler("SIGINT"))?;
    let signals = [Signal::HUP, Signal::HUP, Signal::USR1, Signal::INT];
    let outcome = event_loop.run_until_complete(send_signals(signals));
    event_loop.close()?;
    Ok(outcome??)
}
// ANCHOR_END: main
