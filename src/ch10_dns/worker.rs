//! Chapter 10 (DNS): one blocking call on a thread of its own, its answer
//! handed back to the loop.
//!
//! The smallest executor there is: a new thread per call, and a one-shot
//! channel (`oneshot.rs`) for the answer. The task that awaits the answer
//! sleeps like any other; the worker's `send` wakes it through its waker,
//! which is `Send`. A thread per call costs tens of microseconds and a
//! stack; that is fine for lookups, which wait milliseconds for a name
//! server, and it is where a pool (chapter 13) or a resolver that needs no
//! thread (`stub.rs`) does better.
//!
//! While the answer is owed, the loop knows it: on the virtual clock, time
//! does not jump past a timer that the answer could still beat.

use crate::ch01_coroutines::event_loop::get_running_loop;
use crate::ch01_coroutines::tick::AnswerOwed;
use crate::ch10_dns::oneshot::{self, Receiver, RecvError};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;

/// The answer of [`run_in_thread`]: completes with the work's result, or
/// with `RecvError` if the work panicked.
#[must_use = "the answer is lost unless you .await it"]
pub(crate) struct ThreadAnswer<T> {
    receiver: Receiver<T>,
    /// Tells the loop an answer is owed, until this future is dropped.
    _owed: Option<AnswerOwed>,
}

// ANCHOR: run_in_thread
/// Starts `work` on a new thread; the future completes with its answer.
pub(crate) fn run_in_thread<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> io::Result<ThreadAnswer<T>> {
    let (sender, receiver) = oneshot::channel();
    thread::Builder::new().name(name.to_owned()).spawn(move || {
        // The task may have given up (a timeout); the answer is then dropped.
        let _ = sender.send(work());
    })?;
    let owed =
        get_running_loop().ok().map(|event_loop| event_loop.owe_answer());
    Ok(ThreadAnswer { receiver, _owed: owed })
}
// ANCHOR_END: run_in_thread

/// Why work sent off the loop (chapter 10's lookups, which run on chapter
/// 13's default executor, through the crate root) gave no answer.
#[derive(Debug)]
pub(crate) enum OffLoopError {
    /// The work panicked.
    Panicked,
    /// It could not run at all: no thread, or the executor is shut down.
    CouldNotRun(String),
}

impl<T> Future for ThreadAnswer<T> {
    type Output = Result<T, RecvError>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        Pin::new(&mut self.receiver).poll(cx)
    }
}
