//! Chapter 7 (protocols): Unix-domain stream sockets (`create_unix_server`,
//! `create_unix_connection`).
//!
//! A Unix socket is named by a path in the file system instead of an address
//! and a port. Everything else is the TCP machinery: the same transports,
//! protocols and servers. As in asyncio, the server removes its socket file
//! when it is closed, unless another server has replaced it since.

use crate::ch07_protocols::connect::finish_connect;
use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::reactor::IoSource;
use crate::ch07_protocols::server::Server;
use crate::ch07_protocols::socket::{Connection, Listener, SocketFile};
use crate::ch07_protocols::transport::SocketTransport;
use std::cell::RefCell;
use std::io;
use std::path::Path;
use std::rc::Rc;

// ANCHOR: unix
/// Listens on the Unix socket at `path` and runs a protocol made by `factory`
/// on every connection (asyncio's `loop.create_unix_server`). A stale socket
/// file left at `path` by an earlier server is replaced.
pub async fn create_unix_server<P: Protocol>(
    factory: impl Fn() -> P + 'static,
    path: impl AsRef<Path>,
) -> io::Result<Server> {
    Server::listen(bind_unix_listener(path.as_ref())?, Vec::new(), factory)
}

/// Binds a listening Unix socket at `path`, replacing a stale socket file
/// left there (also chapter 14's task-tree server).
pub(crate) fn bind_unix_listener(path: &Path) -> io::Result<Listener> {
    if std::fs::symlink_metadata(path).is_ok_and(|meta| {
        std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type())
    }) {
        std::fs::remove_file(path)?;
    }
    let listener = mio::net::UnixListener::bind(path).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("could not listen on {}: {error}", path.display()),
        )
    })?;
    Ok(Listener::Unix(listener, SocketFile::bound_at(path)))
}

/// Connects to the Unix socket at `path` and runs `protocol` on the connection
/// (asyncio's `loop.create_unix_connection`).
pub async fn create_unix_connection<P: Protocol>(
    protocol: P,
    path: impl AsRef<Path>,
) -> io::Result<(Transport, Rc<RefCell<P>>)> {
    let path = path.as_ref();
    let described = |error: io::Error| {
        io::Error::new(
            error.kind(),
            format!("could not connect to {}: {error}", path.display()),
        )
    };
    let stream = IoSource::new(Connection::Unix(
        mio::net::UnixStream::connect(path).map_err(described)?,
    ))?;
    let stream = finish_connect(stream).await.map_err(described)?;
    let protocol = Rc::new(RefCell::new(protocol));
    let transport = SocketTransport::start(stream, protocol.clone())?;
    Ok((transport, protocol))
}
// ANCHOR_END: unix
