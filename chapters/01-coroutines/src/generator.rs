//! `asyncio_generator.py`: the coroutine chain without `async fn`.
//!
//! Python's version uses generator-based coroutines (`yield from`). The Rust
//! counterpart is what `async fn` compiles to: a state machine with a
//! hand-written `poll`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: phases
/// `phase1`: finishes on its first poll.
struct Phase1;

impl Future for Phase1 {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        println!("in phase1");
        Poll::Ready("result1")
    }
}

/// `phase2(arg)`: also finishes on its first poll.
struct Phase2 {
    arg: &'static str,
}

impl Future for Phase2 {
    type Output = String;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        println!("in phase2");
        Poll::Ready(format!("result2 derived from {}", self.arg))
    }
}
// ANCHOR_END: phases

// ANCHOR: outer
/// `outer`: each state remembers what the coroutine holds across an `.await`.
enum Outer {
    Start,
    AwaitingPhase1(Phase1),
    AwaitingPhase2 { result1: &'static str, phase2: Phase2 },
    Done,
}

impl Future for Outer {
    type Output = (&'static str, String);

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        // Every field is `Unpin`, so the state machine may be moved between
        // polls.
        let this = &mut *self;
        loop {
            match this {
                Outer::Start => {
                    println!("in outer");
                    println!("waiting for result1");
                    *this = Outer::AwaitingPhase1(Phase1);
                }
                Outer::AwaitingPhase1(phase1) => {
                    let Poll::Ready(result1) = Pin::new(phase1).poll(cx) else {
                        return Poll::Pending;
                    };
                    println!("waiting for result2");
                    *this = Outer::AwaitingPhase2 {
                        result1,
                        phase2: Phase2 { arg: result1 },
                    };
                }
                Outer::AwaitingPhase2 { result1, phase2 } => {
                    let Poll::Ready(result2) = Pin::new(phase2).poll(cx) else {
                        return Poll::Pending;
                    };
                    let result1 = *result1;
                    *this = Outer::Done;
                    return Poll::Ready((result1, result2));
                }
                Outer::Done => panic!("`Outer` polled after it returned"),
            }
        }
    }
}
// ANCHOR_END: outer

// ANCHOR: main
pub fn main() -> Result<(), aio::Error> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(Outer::Start);
    event_loop.close()?;
    let return_value = outcome?;
    println!("return value: {return_value:?}");
    Ok(())
}
// ANCHOR_END: main
