//! Exercise 1: race two futures (small).
//!
//! [`race`] polls two futures inside the awaiting task, returns the output of
//! the first one ready, and drops the other: a two-branch `select!`. Unlike
//! `wait(.., FirstCompleted)` over two spawned tasks, which hands the loser
//! back still running, the loser here is cancelled, because it lived inside
//! the race.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Which of the two futures of a [`race`] finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<L, R> {
    /// The first argument won.
    Left(L),
    /// The second argument won.
    Right(R),
}

// ANCHOR: race
/// Polls `a` and `b` in the awaiting task until one is ready, and returns its
/// output; the other is dropped, which cancels it. `a` is polled first, so it
/// wins a tie: a deterministic runtime prefers argument order to tokio's
/// random start, because a program then prints the same thing on every run.
pub async fn race<A: Future, B: Future>(
    a: A,
    b: B,
) -> Either<A::Output, B::Output> {
    // Both futures are pinned here, inside the race's own future, and dropped
    // with it when the race returns.
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(value) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(value));
        }
        if let Poll::Ready(value) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(value));
        }
        // Each pending poll registered our waker, so whichever future makes
        // progress wakes this task.
        Poll::Pending
    })
    .await
}
// ANCHOR_END: race
