//! Exercise 1 (small): chain two promises, as asyncio's `_chain_future`
//! does: the outcome flows forward, a cancellation flows back.

use aio::{Promise, PromiseError};

// ANCHOR: then
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
    let chained = Promise::new()?;
    let destination = chained.clone();
    promise.add_done_callback(move |source| {
        if destination.cancelled() {
            return; // cancelled first: nothing to pass on
        }
        // `destination` is pending, so setting it can't fail.
        match source.result() {
            Ok(value) => {
                let _ = destination.set_result(f(&value));
            }
            Err(PromiseError::Exception(error)) => {
                let _ = destination.set_exception(error);
            }
            Err(PromiseError::Cancelled) => {
                destination.cancel();
            }
            // A done-callback runs only once its promise is done.
            Err(PromiseError::InvalidState(_)) => {}
        }
    });
    let source = promise.clone();
    chained.add_done_callback(move |chained| {
        if chained.cancelled() {
            source.cancel();
        }
    });
    Ok(chained)
}
// ANCHOR_END: then
