//! Chapter 11 (subprocesses): three futures at once, in one task, for
//! `communicate`: feeding the child's stdin while both of its outputs are
//! read, so that no pipe fills up while another is waited on.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Runs `a`, `b` and `c` together and gives all three outputs. Dropping the
/// future drops all three, so a timeout cancels them together.
pub(crate) async fn join3<A: Future, B: Future, C: Future>(
    a: A,
    b: B,
    c: C,
) -> (A::Output, B::Output, C::Output) {
    let (mut a, mut b, mut c) = (pin!(a), pin!(b), pin!(c));
    let (mut done_a, mut done_b, mut done_c) = (None, None, None);
    poll_fn(|cx| {
        if done_a.is_none() {
            done_a = poll_once(a.as_mut().poll(cx));
        }
        if done_b.is_none() {
            done_b = poll_once(b.as_mut().poll(cx));
        }
        if done_c.is_none() {
            done_c = poll_once(c.as_mut().poll(cx));
        }
        match (done_a.take(), done_b.take(), done_c.take()) {
            (Some(a), Some(b), Some(c)) => Poll::Ready((a, b, c)),
            (a, b, c) => {
                (done_a, done_b, done_c) = (a, b, c);
                Poll::Pending
            }
        }
    })
    .await
}

fn poll_once<T>(poll: Poll<T>) -> Option<T> {
    match poll {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}
