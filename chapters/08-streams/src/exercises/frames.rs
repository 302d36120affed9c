//! Exercise 3 (medium): length-prefixed frames.
//!
//! A frame is a 4-byte big-endian length followed by that many bytes of
//! payload. Write `write_frame`, which sends one, and `read_frame`, which
//! reads one with `readexactly`, telling a clean end of the stream (`None`)
//! from one that cuts a frame short (an error). The book's chapter 8 page
//! (`book/ch08-streams.md`, "Exercises") says more.

use aio::{StreamError, StreamReader, StreamWriter};
use std::io;

/// The largest payload a frame may carry: 1 MiB.
pub const MAX_FRAME: usize = 1 << 20;

/// Sends one frame: the payload's length as 4 big-endian bytes, then the
/// payload, in one write. A payload over [`MAX_FRAME`] is refused with an
/// `InvalidInput` error, and nothing is sent.
pub fn write_frame(writer: &StreamWriter, payload: &[u8]) -> io::Result<()> {
    // Your code here: check the size, then write the header and the payload.
    Ok(())
}

/// Reads one frame's payload. `Ok(None)` when the stream ends cleanly
/// before a frame starts; `StreamError::IncompleteRead` when it ends inside
/// one (its header or its payload); `StreamError::Io` with `InvalidData`,
/// without waiting for the payload, when the header announces more than
/// [`MAX_FRAME`] bytes.
pub async fn read_frame(
    reader: &StreamReader,
) -> Result<Option<Vec<u8>>, StreamError> {
    // Your code here: `readexactly` the header, check it, then the payload.
    Ok(None)
}
