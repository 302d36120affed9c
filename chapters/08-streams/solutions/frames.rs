//! Exercise 3 (medium): length-prefixed frames, written in one call and
//! read with `readexactly`.

use aio::{StreamError, StreamReader, StreamWriter};
use std::io;

/// The largest payload a frame may carry: 1 MiB.
pub const MAX_FRAME: usize = 1 << 20;

/// How many bytes the length takes.
const HEADER: usize = 4;

// ANCHOR: write_frame
/// Sends one frame: the payload's length as 4 big-endian bytes, then the
/// payload, in one write. A payload over [`MAX_FRAME`] is refused with an
/// `InvalidInput` error, and nothing is sent.
pub fn write_frame(writer: &StreamWriter, payload: &[u8]) -> io::Result<()> {
    if payload.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a frame of {} bytes is over the {MAX_FRAME}-byte limit",
                payload.len()
            ),
        ));
    }
    // MAX_FRAME fits in a u32, so the cast loses nothing.
    let header = (payload.len() as u32).to_be_bytes();
    writer.writelines([&header[..], payload])
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// Reads one frame's payload. `Ok(None)` when the stream ends cleanly
/// before a frame starts; `StreamError::IncompleteRead` when it ends inside
/// one (its header or its payload); `StreamError::Io` with `InvalidData`,
/// without waiting for the payload, when the header announces more than
/// [`MAX_FRAME`] bytes.
pub async fn read_frame(
    reader: &StreamReader,
) -> Result<Option<Vec<u8>>, StreamError> {
    let header = match reader.readexactly(HEADER).await {
        Ok(header) => header,
        // Nothing at all before EOF: the stream ended between frames.
        Err(StreamError::IncompleteRead { partial, .. })
            if partial.is_empty() =>
        {
            return Ok(None);
        }
        Err(error) => return Err(error),
    };
    let mut length = [0; HEADER];
    length.copy_from_slice(&header);
    let length = u32::from_be_bytes(length) as usize;
    if length > MAX_FRAME {
        return Err(StreamError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the peer announced a frame of {length} bytes"),
        )));
    }
    reader.readexactly(length).await.map(Some)
}
// ANCHOR_END: read_frame
