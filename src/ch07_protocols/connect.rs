//! Chapter 7 (protocols): opening a TCP connection (`loop.create_connection`).
//!
//! Resolve the host, then try each address in turn: start a non-blocking
//! connect, wait until the socket is writable, and ask the socket whether the
//! connect worked. The first that does becomes a transport; if none does, the
//! last error comes back, with the address in its message.

use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::reactor::{Direction, IoSource};
use crate::ch07_protocols::socket::Connection;
use crate::ch07_protocols::transport::SocketTransport;
use std::cell::RefCell;
use std::future::poll_fn;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;

/// Resolves `host` and `port` (a blocking lookup, as asyncio's default resolver
/// does in a thread; chapter 10 has the details). A failed lookup names the
/// host: Python's `gaierror` says only "Name or service not known", which
/// does not tell which of a program's lookups failed.
pub(crate) fn resolve(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "could not look up the host name {host:?}: {error}; \
                     check the name (and the network, for a remote host)"
                ),
            )
        })?
        .collect();
    if addresses.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the host name {host:?} resolved to no address"),
        ));
    }
    Ok(addresses)
}

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
    for address in resolve(host, port)? {
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
