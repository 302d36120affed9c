//! Chapter 8 (streams): asynchronous I/O using coroutines and streams.

pub(crate) mod streams;
