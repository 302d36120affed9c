//! Chapter 10 (DNS): one blocking call on a thread of its own, its answer
//! handed back to the loop.
//!
//! The smallest executor there is: a new thread per call, and a one-shot
//! channel (`oneshot.rs`) for the answer. The task that awaits the answer
//! sleeps like any other; the worker's `send` wakes it through its waker,
//! which is `Send`. A thread per call costs about 10 µs and a stack; that is
//! fine for lookups, which wait milliseconds for a name server, and it is
//! where a pool (chapter 13) or a resolver that needs no thread (`stub.rs`)
//! does better.

use crate::ch10_dns::oneshot::{self, Receiver};
use std::io;
use std::thread;

// ANCHOR: run_in_thread
/// Starts `work` on a new thread; the receiver completes with its answer.
/// If `work` panics, the receiver completes with `RecvError`.
pub(crate) fn run_in_thread<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> io::Result<Receiver<T>> {
    let (sender, receiver) = oneshot::channel();
    thread::Builder::new().name(name.to_owned()).spawn(move || {
        // The task may have given up (a timeout); the answer is then dropped.
        let _ = sender.send(work());
    })?;
    Ok(receiver)
}
// ANCHOR_END: run_in_thread
