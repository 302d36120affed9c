//! Exercise 2: retry under a timeout (small).
//!
//! Write [`retry`]: run fresh attempts of some work, each under
//! `aio::wait_for`, until one finishes in time. The book's chapter 5 page
//! (`book/ch05-control.md`, "Exercises") says what the grader checks:
//! `cargo test -p ch05-control --test exercises retry`.

use std::future::Future;
use std::time::Duration;

/// Calls `make(0)`, `make(1)`, ... and runs each attempt for at most
/// `per_attempt`, until one finishes in time; gives its value. After
/// `attempts` attempts that all timed out (or none at all), gives
/// `Err(Error::TimedOut)`.
pub async fn retry<T, Fut, Make>(
    attempts: usize,
    per_attempt: Duration,
    make: Make,
) -> Result<T, aio::Error>
where
    Make: FnMut(usize) -> Fut,
    Fut: Future<Output = T>,
{
    // Your code here: a loop of `aio::wait_for(make(attempt), per_attempt)`.
    Err(aio::Error::NothingToWaitFor)
}
