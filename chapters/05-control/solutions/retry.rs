//! Exercise 2: retry under a timeout (small).
//!
//! [`retry`] runs fresh attempts of some work, each under `aio::wait_for`,
//! until one finishes in time. `wait_for` polls its future inline and drops it
//! at the deadline, so a slow attempt is cancelled before the next begins:
//! there is never more than one attempt alive.

use std::future::Future;
use std::time::Duration;

// ANCHOR: retry
/// Calls `make(0)`, `make(1)`, ... and runs each attempt for at most
/// `per_attempt`, until one finishes in time; gives its value. After
/// `attempts` attempts that all timed out (or none at all), gives
/// `Err(Error::TimedOut)`.
pub async fn retry<T, Fut, Make>(
    attempts: usize,
    per_attempt: Duration,
    mut make: Make,
) -> Result<T, aio::Error>
where
    Make: FnMut(usize) -> Fut,
    Fut: Future<Output = T>,
{
    for attempt in 0..attempts {
        match aio::wait_for(make(attempt), per_attempt).await {
            Ok(value) => return Ok(value),
            // The attempt was dropped at its deadline; try a fresh one.
            Err(aio::Error::TimedOut) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(aio::Error::TimedOut)
}
// ANCHOR_END: retry
