//! Exercise 2 (small): sending a lot, with back-pressure.
//!
//! Write `bulk_send`, which writes the same chunk many times to a peer
//! that may read slowly, without letting the transport's write buffer grow
//! past its high water mark by more than one chunk. The book's chapter 8
//! page (`book/ch08-streams.md`, "Exercises") says more.

use aio::StreamWriter;
use std::io;

/// Writes `chunk` to `writer` `count` times, in order. The write buffer
/// never holds more than the high water mark plus one chunk: `write` never
/// waits, so the waiting is yours to do. Fails with the connection's error
/// if it is lost on the way.
pub async fn bulk_send(
    writer: &StreamWriter,
    chunk: &[u8],
    count: usize,
) -> io::Result<()> {
    // Your code here: `count` writes, each followed by what makes a slow
    // peer slow you down.
    Ok(())
}
