//! Chapter 8 (streams): asynchronous I/O using coroutines and streams.
//!
//! asyncio's streams are built on its protocols: a `StreamReaderProtocol` feeds
//! what arrives into a `StreamReader`'s buffer, and a `StreamWriter` wraps the
//! transport. Coroutines then `read`, `readline` and `readexactly` from the
//! buffer, and `write` and `drain` to the transport. aio builds them the same
//! way, on chapter 7's transports.

pub(crate) mod byte_buffer;
pub(crate) mod stream_error;
pub(crate) mod reader;
pub(crate) mod writer;
pub(crate) mod protocol;
pub(crate) mod open;
