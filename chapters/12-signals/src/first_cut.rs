//! A first cut at signals, without aio's signal API: a flag polled by the
//! loop. The raw handler only stores `true` in a static flag, the one thing
//! it may safely do inside a signal, and a task looks at the flags every
//! 10 ms and runs PyMOTW's handler for each one it finds set.
//!
//! What it costs: the loop wakes every 10 ms even when nothing happens, and
//! a signal waits up to 10 ms for its handler. The runtime's
//! `add_signal_handler` wakes the loop instead: its raw handler writes a
//! byte to a pipe that the loop polls with the sockets (the self-pipe).

use crate::signal::{send_signals, signal_handler};
use aio::Signal;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

// ANCHOR: flags
// One flag per signal: set inside the signal handler, cleared by the loop.
static HUP_SEEN: AtomicBool = AtomicBool::new(false);
static USR1_SEEN: AtomicBool = AtomicBool::new(false);

/// The signals watched: each one's flag and name.
static WATCHED: [(Signal, &AtomicBool, &str); 2] =
    [(Signal::HUP, &HUP_SEEN, "SIGHUP"), (Signal::USR1, &USR1_SEEN, "SIGUSR1")];
// ANCHOR_END: flags

// ANCHOR: install
/// Installs a raw handler for `signal` that only sets `flag`.
fn install(signal: Signal, flag: &'static AtomicBool) -> io::Result<()> {
    let set_flag = move || flag.store(true, Ordering::SeqCst);
    // SAFETY: `set_flag` runs inside the signal handler, where only
    // async-signal-safe work is allowed: an atomic store is, and it is all
    // that `set_flag` does (no lock, no allocation, no print).
    unsafe { signal_hook_registry::register(signal.as_raw(), set_flag) }?;
    Ok(())
}
// ANCHOR_END: install

// ANCHOR: poll_flags
/// Every 10 ms, runs the handler of each signal whose flag is set.
async fn poll_flags() {
    loop {
        for (_, flag, name) in &WATCHED {
            if flag.swap(false, Ordering::SeqCst) {
                signal_handler(name);
            }
        }
        aio::sleep(Duration::from_millis(10)).await;
    }
}
// ANCHOR_END: poll_flags

// ANCHOR: main
/// Sends the signals while `poll_flags` watches for them.
async fn send_and_poll() -> Result<(), Box<dyn std::error::Error>> {
    let _poller = aio::spawn(poll_flags())?; // aio::run cancels it at the end
    send_signals([Signal::HUP, Signal::HUP, Signal::USR1]).await?;
    Ok(())
}

/// The `polled_flag` binary: raw handlers, then the signals on a new loop.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (signal, flag, _) in &WATCHED {
        install(*signal, flag)?;
    }
    aio::run(send_and_poll())?
}
// ANCHOR_END: main
