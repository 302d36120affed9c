//! Chapter 7 (protocols): the two halves of a connection, as the application
//! sees them: the [`Protocol`] a transport calls, and the [`Transport`] a
//! protocol calls.
//!
//! A `Transport` is a handle on whatever carries the bytes. In this chapter
//! that is a socket (`transport.rs`); in chapter 9 it is a TLS layer that
//! encrypts on its way to a socket, as asyncio's `_SSLProtocolTransport`
//! stands in for a socket transport. The protocol can't tell the two apart:
//! both are [`TransportOps`] behind the same handle.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

/// The callbacks of a connection (asyncio's `Protocol`). Every method has a
/// default that does nothing, so a protocol implements only what it needs. A
/// method that panics is logged and ends its connection: after it, only
/// `connection_lost` is called, once, with the panic as its error.
pub trait Protocol: 'static {
    /// The connection is up; keep `transport` to write to it.
    fn connection_made(&mut self, transport: Transport) {
        let _ = transport;
    }
    /// Bytes arrived.
    fn data_received(&mut self, data: &[u8]) {
        let _ = data;
    }
    /// The peer closed its write side. Return `true` to keep our write side
    /// open (a half-closed connection); `false` closes the transport.
    fn eof_received(&mut self) -> bool {
        false
    }
    /// The connection is gone: `None` after a normal close, or the error that
    /// ended it.
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let _ = error;
    }
    /// The write buffer went over the high water mark: stop writing for now.
    fn pause_writing(&mut self) {}
    /// The write buffer drained below the low water mark: writing may go on.
    fn resume_writing(&mut self) {}
}

/// The default high water mark of a transport's write buffer (asyncio's 64
/// KiB).
pub const DEFAULT_HIGH_WATER: usize = 64 * 1024;

/// One answer of [`Transport::get_extra_info`], asyncio's way of asking a
/// transport about itself by name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExtraInfo {
    /// `"peername"` or `"sockname"`: an address.
    Address(SocketAddr),
    /// `"cipher"` (TLS only): the cipher suite's name, the protocol version
    /// and the secret bits, as Python's `SSLSocket.cipher()` gives them.
    Cipher {
        /// The suite, as IANA names it (`TLS13_AES_256_GCM_SHA384`).
        name: String,
        /// The protocol version (`TLSv1.3`).
        version: String,
        /// The bits of the symmetric key.
        secret_bits: u32,
    },
    /// `"version"` (TLS only): the protocol version, as Python's
    /// `SSLSocket.version()` names it (`TLSv1.3`).
    Version(String),
    /// `"peercert"` (TLS only): the peer's certificate, DER-encoded, as
    /// Python's `getpeercert(binary_form=True)` gives it. Chapter 9's
    /// `PeerCertificate` reads its names.
    PeerCertificate(Vec<u8>),
}

// ANCHOR: transport_ops
/// What a transport does, whatever carries its bytes: the methods behind a
/// [`Transport`] handle. A socket transport implements them here, a TLS
/// transport in chapter 9.
pub(crate) trait TransportOps {
    /// Queues `data` to be sent (see [`Transport::write`]).
    fn write(&self, data: &[u8]) -> io::Result<()>;
    /// Closes the write side once the buffer is flushed.
    fn write_eof(&self) -> io::Result<()>;
    /// Whether `write_eof` is supported.
    fn can_write_eof(&self) -> bool;
    /// Closes once the buffer is flushed.
    fn close(&self);
    /// Closes at once, dropping unsent data.
    fn abort(&self);
    /// Whether the transport is closing or closed.
    fn is_closing(&self) -> bool;
    /// What the transport knows about itself, by name.
    fn get_extra_info(&self, name: &str) -> Option<ExtraInfo>;
    /// Stops calling `data_received`.
    fn pause_reading(&self);
    /// Calls `data_received` again.
    fn resume_reading(&self);
    /// Whether reading is on.
    fn is_reading(&self) -> bool;
    /// Sets the write buffer's water marks.
    fn set_write_buffer_limits(&self, high: usize, low: Option<usize>);
    /// The water marks, (low, high).
    fn get_write_buffer_limits(&self) -> (usize, usize);
    /// How many bytes wait to be sent.
    fn get_write_buffer_size(&self) -> usize;
    /// Gives the connection to another protocol from now on.
    fn set_protocol(&self, protocol: Rc<RefCell<dyn Protocol>>);
    /// A one-line description, for `Debug`.
    fn describe(&self) -> String;
    /// The room the write buffer holds, for the tests.
    #[cfg(test)]
    fn write_buffer_capacity(&self) -> usize {
        0
    }
}
// ANCHOR_END: transport_ops

/// A connection's transport: write to it, close it, ask about it. Cloning gives
/// another handle to the same transport.
#[derive(Clone)]
pub struct Transport {
    ops: Rc<dyn TransportOps>,
}

impl Transport {
    /// A handle on `ops`.
    pub(crate) fn new(ops: Rc<dyn TransportOps>) -> Transport {
        Transport { ops }
    }

    /// Queues `data` to be sent; sends at once what the socket takes. Fails
    /// after `write_eof` or `close`, once the connection is lost, and when the
    /// socket fails, which also ends the connection (`connection_lost` gets
    /// the error).
    pub fn write(&self, data: &[u8]) -> io::Result<()> {
        self.ops.write(data)
    }

    /// Writes several buffers, in order (asyncio's `writelines`).
    pub fn writelines<B: AsRef<[u8]>>(
        &self,
        buffers: impl IntoIterator<Item = B>,
    ) -> io::Result<()> {
        let joined: Vec<u8> = buffers
            .into_iter()
            .flat_map(|buffer| buffer.as_ref().to_vec())
            .collect();
        self.write(&joined)
    }

    /// Closes the write side once the buffer is flushed; the read side stays
    /// open. A TLS transport can't: it says so with an `Unsupported` error,
    /// as asyncio raises `NotImplementedError`.
    pub fn write_eof(&self) -> io::Result<()> {
        self.ops.write_eof()
    }

    /// Whether `write_eof` is supported: for TCP and Unix sockets, not for
    /// TLS.
    pub fn can_write_eof(&self) -> bool {
        self.ops.can_write_eof()
    }

    /// Closes the transport once the buffer is flushed; `connection_lost(None)`
    /// follows.
    pub fn close(&self) {
        self.ops.close();
    }

    /// Closes the transport at once, dropping unsent data.
    pub fn abort(&self) {
        self.ops.abort();
    }

    /// Whether the transport is closing or closed.
    pub fn is_closing(&self) -> bool {
        self.ops.is_closing()
    }

    /// The peer's address (asyncio's `get_extra_info('peername')`).
    pub fn peername(&self) -> Option<SocketAddr> {
        self.address("peername")
    }

    /// Our own address (asyncio's `get_extra_info('sockname')`).
    pub fn sockname(&self) -> Option<SocketAddr> {
        self.address("sockname")
    }

    fn address(&self, name: &str) -> Option<SocketAddr> {
        match self.get_extra_info(name)? {
            ExtraInfo::Address(address) => Some(address),
            _ => None,
        }
    }

    /// asyncio's `get_extra_info(name)`: `"peername"` and `"sockname"` for
    /// every stream transport, and `"peercert"`, `"cipher"` and `"version"`
    /// for a TLS one. Any other name gives `None`.
    pub fn get_extra_info(&self, name: &str) -> Option<ExtraInfo> {
        self.ops.get_extra_info(name)
    }

    /// Stops calling `data_received` until `resume_reading`. On the stdin
    /// pipe of a child (chapter 11), which has nothing to read, it does
    /// nothing.
    pub fn pause_reading(&self) {
        self.ops.pause_reading();
    }

    /// Calls `data_received` again.
    pub fn resume_reading(&self) {
        self.ops.resume_reading();
    }

    /// Whether reading is on: not paused, not closing.
    pub fn is_reading(&self) -> bool {
        self.ops.is_reading()
    }

    /// Sets the write buffer's water marks. `low` defaults to a quarter of
    /// `high`.
    pub fn set_write_buffer_limits(&self, high: usize, low: Option<usize>) {
        self.ops.set_write_buffer_limits(high, low);
    }

    /// The write buffer's water marks, `(low, high)`, in asyncio's order.
    pub fn get_write_buffer_limits(&self) -> (usize, usize) {
        self.ops.get_write_buffer_limits()
    }

    /// How many bytes wait in the write buffer.
    pub fn get_write_buffer_size(&self) -> usize {
        self.ops.get_write_buffer_size()
    }

    /// The room the write buffer holds, for the tests.
    #[cfg(test)]
    pub(crate) fn write_buffer_capacity(&self) -> usize {
        self.ops.write_buffer_capacity()
    }

    /// Hands the connection to `protocol`: every callback from now on goes to
    /// it (asyncio's `set_protocol`). Chapter 9's `start_tls` uses it to put
    /// a TLS layer between a socket and the protocol that was reading it.
    pub fn set_protocol(&self, protocol: Rc<RefCell<dyn Protocol>>) {
        self.ops.set_protocol(protocol);
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ops.describe())
    }
}
