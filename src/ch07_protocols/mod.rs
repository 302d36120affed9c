//! Chapter 7 (protocols): asynchronous I/O with protocol class abstractions.

pub(crate) mod reactor;
pub(crate) mod socket;
pub(crate) mod transport;
pub(crate) mod connect;
pub(crate) mod datagram;
pub(crate) mod server;
pub(crate) mod unix;
