//! Exercise 1: race two futures (small).
//!
//! Write [`race`]: poll two futures inside the awaiting task, return the output
//! of the first one ready, and drop the other, like a two-branch `select!`.
//! The book's chapter 5 page (`book/ch05-control.md`, "Exercises") says what
//! the grader checks: `cargo test -p ch05-control --test exercises race`.

use std::future::Future;

/// Which of the two futures of a [`race`] finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<L, R> {
    /// The first argument won.
    Left(L),
    /// The second argument won.
    Right(R),
}

/// Polls `a` and `b` in the awaiting task until one is ready, and returns its
/// output; the other is dropped. `a` is polled first, so it wins a tie.
pub async fn race<A: Future, B: Future>(
    a: A,
    b: B,
) -> Either<A::Output, B::Output> {
    // Your code here: pin both (`std::pin::pin!`) and poll them in turn with
    // `std::future::poll_fn`. This waits for `a` alone, and never polls `b`.
    Either::Left(a.await)
}
