//! The first cut: time every poll of a future with `Instant`, by wrapping
//! the future. It finds the step that blocked, but only in the futures you
//! thought to wrap, and it knows no more about them than the name you gave.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: timed
/// A future that times each of its polls and reports the slow ones.
pub struct Timed<F> {
    name: &'static str,
    threshold: Duration,
    future: Pin<Box<F>>,
}

/// Wraps `future`: each poll that takes `threshold` or longer is reported.
pub fn timed<F: Future>(
    name: &'static str,
    threshold: Duration,
    future: F,
) -> Timed<F> {
    Timed { name, threshold, future: Box::pin(future) }
}

impl<F: Future> Future for Timed<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let started = Instant::now();
        let polled = self.future.as_mut().poll(cx);
        let took = started.elapsed();
        if took >= self.threshold {
            let seconds = took.as_secs_f64();
            eprintln!("a poll of {} took {seconds:.3} seconds", self.name);
        }
        polled
    }
}
// ANCHOR_END: timed

// ANCHOR: main
/// `outer` awaits the task `inner`, which blocks its thread for 0.1 s;
/// both are wrapped, with a 1 ms threshold.
pub fn main() {
    let threshold = Duration::from_millis(1);
    let outcome = aio::run(async move {
        let inner = timed("inner", threshold, async {
            thread::sleep(Duration::from_millis(100));
        });
        let inner = aio::spawn(inner).expect("inside a loop");
        timed("outer", threshold, inner).await
    });
    outcome.expect("the loop ran").expect("inner returned");
}
// ANCHOR_END: main
