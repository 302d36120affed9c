//! Chapter 13 (executors): the frames a process pool and its workers send
//! each other over their pipes.
//!
//! A frame is a length, four bytes little-endian, then that many bytes of
//! postcard. The messages are plain tuples, so aio needs no derive: the
//! worker's hello `(magic, version, pid)`, the pool's request
//! `(function name, argument bytes)` and the worker's reply
//! `(tag, bytes)`. The argument and the result are postcard themselves,
//! encoded by the typed side (`PoolCall`, the registered function), so the
//! frames never need to know their types.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{self, Read, Write};

/// Which protocol the worker speaks; the pool checks it in the hello.
pub(crate) const PROTOCOL_VERSION: u32 = 1;

/// The first field of a hello, so that a program that prints something else
/// on the reply pipe is not taken for a worker.
const HELLO_MAGIC: &str = "aio-process-pool";

/// The largest frame either side accepts: a corrupt length must not make
/// the reader allocate gigabytes.
pub(crate) const MAX_FRAME: usize = 1 << 30;

/// What the worker answers to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// The function returned; its result, encoded.
    Returned(Vec<u8>),
    /// The function panicked, with this message.
    Panicked(String),
    /// The worker has no function of that name.
    UnknownFunction(String),
    /// The argument did not decode, or the result did not encode.
    Codec(String),
}

impl Reply {
    /// The tag and the bytes on the wire.
    fn parts(&self) -> (u8, &[u8]) {
        match self {
            Reply::Returned(bytes) => (0, bytes),
            Reply::Panicked(message) => (1, message.as_bytes()),
            Reply::UnknownFunction(message) => (2, message.as_bytes()),
            Reply::Codec(message) => (3, message.as_bytes()),
        }
    }

    fn from_parts(tag: u8, bytes: Vec<u8>) -> io::Result<Reply> {
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into();
        match tag {
            0 => Ok(Reply::Returned(bytes)),
            1 => Ok(Reply::Panicked(text(bytes))),
            2 => Ok(Reply::UnknownFunction(text(bytes))),
            3 => Ok(Reply::Codec(text(bytes))),
            _ => Err(bad_frame(format!("unknown reply tag {tag}"))),
        }
    }
}

/// Encodes `value` with postcard; the error says what failed.
pub(crate) fn encode<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, String> {
    postcard::to_stdvec(value).map_err(|error| error.to_string())
}

/// Decodes a `T` from postcard bytes.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|error| error.to_string())
}

// ANCHOR: frames
/// Writes one frame: the length, then the bytes.
pub(crate) fn write_frame(
    out: &mut impl Write,
    bytes: &[u8],
) -> io::Result<()> {
    if bytes.len() > MAX_FRAME {
        return Err(bad_frame(format!("{} bytes is too long", bytes.len())));
    }
    let length = (bytes.len() as u32).to_le_bytes();
    // One buffer, one write: a short frame reaches the pipe in one piece.
    let mut frame = Vec::with_capacity(4 + bytes.len());
    frame.extend_from_slice(&length);
    frame.extend_from_slice(bytes);
    out.write_all(&frame)?;
    out.flush()
}

/// Reads one frame; `None` if the other side closed the pipe between
/// frames (a close inside a frame is an error).
pub(crate) fn read_frame(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0; 4];
    if !read_all_or_nothing(input, &mut length)? {
        return Ok(None);
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_FRAME {
        return Err(bad_frame(format!("a frame of {length} bytes")));
    }
    let mut bytes = vec![0; length];
    input.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}
// ANCHOR_END: frames

/// Fills `buffer`; `false` if the input ended before its first byte.
fn read_all_or_nothing(
    input: &mut impl Read,
    buffer: &mut [u8],
) -> io::Result<bool> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(true)
}

/// Writes a postcard-encoded message as one frame.
fn write_message<T: Serialize>(
    out: &mut impl Write,
    message: &T,
) -> io::Result<()> {
    write_frame(out, &encode(message).map_err(bad_frame)?)
}

/// Reads one message; `None` at a clean end of input.
fn read_message<T: DeserializeOwned>(
    input: &mut impl Read,
) -> io::Result<Option<T>> {
    match read_frame(input)? {
        Some(bytes) => decode(&bytes).map(Some).map_err(bad_frame),
        None => Ok(None),
    }
}

/// The worker's first frame: who it is and what it speaks.
pub(crate) fn write_hello(out: &mut impl Write, pid: u32) -> io::Result<()> {
    write_message(out, &(HELLO_MAGIC, PROTOCOL_VERSION, pid))
}

/// Reads the hello; the worker's pid, or why it is not a worker.
pub(crate) fn read_hello(input: &mut impl Read) -> io::Result<Option<u32>> {
    let Some((magic, version, pid)) =
        read_message::<(String, u32, u32)>(input)?
    else {
        return Ok(None);
    };
    if magic != HELLO_MAGIC {
        return Err(bad_frame(format!("a hello of {magic:?}")));
    }
    if version != PROTOCOL_VERSION {
        return Err(bad_frame(format!(
            "protocol version {version}, not {PROTOCOL_VERSION}"
        )));
    }
    Ok(Some(pid))
}

/// The pool's request: run `function` on the encoded `argument`.
pub(crate) fn write_request(
    out: &mut impl Write,
    function: &str,
    argument: &[u8],
) -> io::Result<()> {
    write_message(out, &(function, argument))
}

/// Reads a request; `None` when the pool has closed the pipe.
pub(crate) fn read_request(
    input: &mut impl Read,
) -> io::Result<Option<(String, Vec<u8>)>> {
    read_message(input)
}

/// Writes the worker's reply.
pub(crate) fn write_reply(
    out: &mut impl Write,
    reply: &Reply,
) -> io::Result<()> {
    write_message(out, &reply.parts())
}

/// Reads a reply; `None` if the worker closed the pipe (it died).
pub(crate) fn read_reply(input: &mut impl Read) -> io::Result<Option<Reply>> {
    match read_message::<(u8, Vec<u8>)>(input)? {
        Some((tag, bytes)) => Reply::from_parts(tag, bytes).map(Some),
        None => Ok(None),
    }
}

fn bad_frame(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("bad frame: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_comes_back_as_it_went() {
        let mut wire = Vec::new();
        write_request(&mut wire, "square", &[1, 2, 3]).unwrap();
        let mut input = wire.as_slice();
        let request = read_request(&mut input).unwrap();
        assert_eq!(request, Some(("square".into(), vec![1, 2, 3])));
        assert_eq!(read_request(&mut input).unwrap(), None);
    }

    #[test]
    fn every_reply_comes_back_as_it_went() {
        let replies = [
            Reply::Returned(vec![0, 255]),
            Reply::Panicked("boom".into()),
            Reply::UnknownFunction("no `f`".into()),
            Reply::Codec("bad".into()),
        ];
        let mut wire = Vec::new();
        for reply in &replies {
            write_reply(&mut wire, reply).unwrap();
        }
        let mut input = wire.as_slice();
        for reply in replies {
            assert_eq!(read_reply(&mut input).unwrap(), Some(reply));
        }
        assert_eq!(read_reply(&mut input).unwrap(), None);
    }

    #[test]
    fn a_hello_names_the_pid() {
        let mut wire = Vec::new();
        write_hello(&mut wire, 4242).unwrap();
        assert_eq!(read_hello(&mut wire.as_slice()).unwrap(), Some(4242));
    }

    #[test]
    fn a_hello_of_another_program_is_refused() {
        let mut wire = Vec::new();
        write_message(&mut wire, &("something else", 1u32, 7u32)).unwrap();
        let error = read_hello(&mut wire.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_frame_cut_short_is_an_error_not_an_end() {
        let mut wire = Vec::new();
        write_frame(&mut wire, &[9; 10]).unwrap();
        wire.truncate(7);
        let error = read_frame(&mut wire.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        let error = read_frame(&mut &wire[..2]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn a_huge_length_is_refused_before_allocating() {
        let wire = u32::MAX.to_le_bytes();
        let error = read_frame(&mut wire.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_reply_with_an_unknown_tag_is_refused() {
        let mut wire = Vec::new();
        write_message(&mut wire, &(9u8, vec![0u8])).unwrap();
        assert!(read_reply(&mut wire.as_slice()).is_err());
    }
}
