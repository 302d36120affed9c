//! Chapter 7 (protocols): opening a TCP connection (`loop.create_connection`).
//!
//! Resolve the host (through the loop's resolver, `resolver.rs`), then try
//! each address in turn: start a non-blocking connect, wait until the socket
//! is writable, and ask the socket whether the connect worked. The first that does becomes a transport; if none does, the
//! last error comes back, with the address in its message.

use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::reactor::{Direction, IoSource};
use crate::ch07_protocols::resolver::resolve;
use crate::ch07_protocols::socket::Connection;
use crate::ch07_protocols::transport::SocketTransport;
use std::cell::RefCell;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

// ANCHOR: connect
/// Connects to one address and waits until the connection is established.
pub(crate) async fn connect_stream(
    address: SocketAddr,
) -> io::Result<IoSource<Connection>> {
    let described = |error: io::Error| {
        io::Error::new(
            error.kind(),
            format!("could not connect to {address}: {error}"),
        )
    };
    let stream = IoSource::new(Connection::Tcp(
        mio::net::TcpStream::connect(address).map_err(described)?,
    ))?;
    finish_connect(stream).await.map_err(described)
}

/// Waits until a non-blocking connect has finished, and reports how it went.
pub(crate) async fn finish_connect(
    stream: IoSource<Connection>,
) -> io::Result<IoSource<Connection>> {
    // A non-blocking connect finishes when the socket becomes writable.
    poll_fn(|cx| {
        stream.poll_io(Direction::Write, cx, |socket| {
            if let Some(error) = socket.take_error()? {
                return Err(error);
            }
            // Not connected yet: wait for the next writable edge.
            if socket.is_connected()? {
                Ok(())
            } else {
                Err(io::Error::from(io::ErrorKind::WouldBlock))
            }
        })
    })
    .await?;
    Ok(stream)
}

/// Connects to `host`:`port` and runs `protocol` on the connection (asyncio's
/// `loop.create_connection`). Returns the transport and the protocol.
pub async fn create_connection<P: Protocol>(
    protocol: P,
    host: &str,
    port: u16,
) -> io::Result<(Transport, Rc<RefCell<P>>)> {
    let mut last_error = None;
    for address in resolve(host, port).await? {
        match connect_stream(address).await {
            Ok(stream) => {
                let protocol = Rc::new(RefCell::new(protocol));
                let transport =
                    SocketTransport::start(stream, protocol.clone())?;
                return Ok((transport, protocol));
            }
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, "no address to connect to")
    }))
}
// ANCHOR_END: connect
