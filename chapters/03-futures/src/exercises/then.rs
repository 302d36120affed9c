//! Exercise 1 (small): chain two promises.
//!
//! Write [`then`]: it returns a new promise that settles when `promise`
//! does, with `f(&value)` if it finished, with the same error if it failed,
//! cancelled if it was cancelled. And the other way round, as asyncio's
//! `_chain_future` does: cancelling the new promise cancels `promise`. See
//! the book's chapter 3 page (`book/ch03-futures.md`, "Exercises").

use aio::Promise;

/// A promise of `f(&value)`, settled when `promise` is: failed with its
/// error, or cancelled, if it is. Cancelling the returned promise cancels
/// `promise` too. Must be called on the loop's thread, while it runs (it
/// makes the new promise with `Promise::new`).
pub fn then<T, U>(
    promise: &Promise<T>,
    f: impl FnOnce(&T) -> U + 'static,
) -> Result<Promise<U>, aio::Error>
where
    T: Clone + 'static,
    U: 'static,
{
    // Your code here: one done-callback on each promise.
    Promise::new()
}
