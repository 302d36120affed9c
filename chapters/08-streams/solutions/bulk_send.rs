//! Exercise 2 (small): sending a lot, with back-pressure: `write`, then
//! `drain`.

use aio::StreamWriter;
use std::io;

// ANCHOR: bulk_send
/// Writes `chunk` to `writer` `count` times, in order. The write buffer
/// never holds more than the high water mark plus one chunk: `write` never
/// waits, so the waiting is yours to do. Fails with the connection's error
/// if it is lost on the way.
pub async fn bulk_send(
    writer: &StreamWriter,
    chunk: &[u8],
    count: usize,
) -> io::Result<()> {
    for _ in 0..count {
        writer.write(chunk)?;
        // Returns at once while the buffer is under the high water mark;
        // waits while it is over; fails once the connection is lost.
        writer.drain().await?;
    }
    Ok(())
}
// ANCHOR_END: bulk_send
