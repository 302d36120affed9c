//! Exercise 1: a poll timer. Finish [`Measured`], the first cut's `Timed`
//! turned into a measurement: it counts its future's polls, times each one,
//! and hands the figures back with the output. The book's chapter 14 page
//! (`book/ch14-debugging.md`, "Exercises") says more; grade it with
//! `cargo test -p ch14-debugging --test exercises poll_stats`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// What [`Measured`] saw of its future's polls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollStats {
    /// How many times the future was polled, the last (ready) poll too.
    pub polls: u32,
    /// How long all the polls took together: the time the future held the
    /// loop's thread, not the time it waited.
    pub busy: Duration,
    /// How long the slowest poll took.
    pub slowest: Duration,
    /// Which poll was the slowest, counted from 1 (0 before any poll).
    pub slowest_poll: u32,
}

/// A future that measures each poll of the future it wraps: see
/// [`measured`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Measured<F> {
    future: Pin<Box<F>>,
    stats: PollStats,
}

/// Wraps `future`: awaiting the result gives `future`'s output and the
/// [`PollStats`] of its polls.
pub fn measured<F: Future>(future: F) -> Measured<F> {
    Measured { future: Box::pin(future), stats: PollStats::default() }
}

impl<F: Future> Future for Measured<F> {
    type Output = (F::Output, PollStats);

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        // Your code here: time the inner poll with `std::time::Instant`, and
        // count it in `self.stats` before handing the stats back.
        let polled = self.future.as_mut().poll(cx);
        polled.map(|output| (output, PollStats::default()))
    }
}
