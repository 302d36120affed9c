//! Chapter 5 (control structures): what the composition tools can wait on.
//!
//! `asyncio.wait` accepts tasks and futures alike. In aio, both [`Task`] and
//! [`Promise`] implement [`Waitable`]: something whose completion can be
//! watched without taking its result, so that `wait` can hand every one of them
//! back, done or pending.

use crate::ch01_coroutines::error::TaskError;
use crate::ch01_coroutines::task::Task;
use crate::ch03_futures::promise::Promise;
use std::task::{Context, Poll};

// ANCHOR: waitable
/// Something `wait` can watch: a [`Task`] or a [`Promise`].
pub trait Waitable {
    /// Ready once the awaitable is done; otherwise arranges for `cx` to be
    /// woken then.
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()>;

    /// Whether it is done and ended in an error (a panic, or an exception), not
    /// counting cancellation: what `ReturnWhen::FirstException` looks for.
    fn failed(&self) -> bool;
}

impl<T: 'static> Waitable for Task<T> {
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.target().poll_final(cx)
    }

    fn failed(&self) -> bool {
        // Looking does not count as retrieving: a panic nobody reads is still
        // reported.
        let mut panicked = false;
        self.target().inspect_result(&mut |result| {
            panicked = matches!(result, Some(Err(TaskError::Panicked { .. })));
        });
        panicked
    }
}

impl<T: Clone + 'static> Waitable for Promise<T> {
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.done() {
            return Poll::Ready(());
        }
        self.register_waker(cx.waker());
        Poll::Pending
    }

    fn failed(&self) -> bool {
        self.holds_exception()
    }
}
// ANCHOR_END: waitable
