//! Chapter 7 (protocols): asynchronous I/O with protocol class abstractions.

pub(crate) mod life;
pub(crate) mod reactor;
pub(crate) mod interface;
pub(crate) mod callbacks;
pub(crate) mod io_steps;
pub(crate) mod socket;
pub(crate) mod transport;
pub(crate) mod resolver;
pub(crate) mod connect;
pub(crate) mod datagram;
pub(crate) mod server;
pub(crate) mod unix;
