//! Chapter 7 (protocols): the two kinds of stream socket a transport can carry.
//!
//! TCP and Unix-domain stream sockets behave the same for a transport: read,
//! write, shut down the write side. [`Connection`] and [`Listener`] put the two
//! behind one type, so the transport, the server and the streams exist once,
//! not twice.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A connected stream socket.
#[derive(Debug)]
pub(crate) enum Connection {
    /// A TCP connection.
    Tcp(mio::net::TcpStream),
    /// A Unix-domain stream connection.
    Unix(mio::net::UnixStream),
}

/// A listening stream socket.
#[derive(Debug)]
pub(crate) enum Listener {
    /// A TCP listener.
    Tcp(mio::net::TcpListener),
    /// A Unix-domain listener, and the file it is bound to.
    Unix(mio::net::UnixListener, SocketFile),
}

// ANCHOR: socket_file
/// The file a Unix server's socket is bound to, and which file it is (device
/// and inode), so that closing the server removes its own file only: another
/// server may have replaced it meanwhile (asyncio 3.13 checks the same way).
#[derive(Debug)]
pub(crate) struct SocketFile {
    path: PathBuf,
    identity: Option<(u64, u64)>,
}

impl SocketFile {
    /// Notes which file is at `path`, just after binding there.
    pub(crate) fn bound_at(path: &Path) -> SocketFile {
        SocketFile { path: path.to_path_buf(), identity: identity(path) }
    }

    /// Removes the file, if it is still the one this server made.
    fn remove_if_ours(&self) {
        if self.identity.is_some() && identity(&self.path) == self.identity {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The device and inode of the file at `path` (not following a link).
fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}
// ANCHOR_END: socket_file

// ANCHOR: byte_stream
/// What a stream transport asks of what carries its bytes: a socket here, one
/// end of a pipe in chapter 11. Every call is non-blocking, and may say
/// `WouldBlock`.
pub(crate) trait ByteStream:
    mio::event::Source + fmt::Debug + 'static
{
    /// Whether the read side stays open once the write side is shut down
    /// (a socket's half-close). A pipe we write to is done once it is shut.
    const HALF_CLOSES: bool = true;
    /// Why this stream can't be written, if it can't: a pipe we read from.
    const WRITE_REFUSAL: Option<&'static str> = None;
    /// Whether `pause_reading` pauses its reads. A pipe we write to has no
    /// data to read: its reads only watch for the other end to close, and
    /// a pause would hide that.
    const PAUSES_READING: bool = true;
    /// Reads into `buffer`; `Ok(0)` is the end of the stream.
    fn read(&self, buffer: &mut [u8]) -> io::Result<usize>;
    /// Writes what it can of `data`.
    fn write(&self, data: &[u8]) -> io::Result<usize>;
    /// Shuts the write side down: the peer reads EOF.
    fn shutdown_write(&self) -> io::Result<()>;
    /// Sets the stream up for its transport (TCP turns off Nagle).
    fn prepare(&self) {}
    /// The peer's address, if it has one.
    fn peer_addr(&self) -> Option<SocketAddr> {
        None
    }
    /// Our own address, if we have one.
    fn local_addr(&self) -> Option<SocketAddr> {
        None
    }
}
// ANCHOR_END: byte_stream

impl ByteStream for Connection {
    fn read(&self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Connection::Tcp(stream) => (&*stream).read(buffer),
            Connection::Unix(stream) => (&*stream).read(buffer),
        }
    }

    fn write(&self, data: &[u8]) -> io::Result<usize> {
        match self {
            Connection::Tcp(stream) => (&*stream).write(data),
            Connection::Unix(stream) => (&*stream).write(data),
        }
    }

    fn shutdown_write(&self) -> io::Result<()> {
        match self {
            Connection::Tcp(stream) => stream.shutdown(Shutdown::Write),
            Connection::Unix(stream) => stream.shutdown(Shutdown::Write),
        }
    }

    /// Turns off Nagle's algorithm, as asyncio does for TCP (nothing to do for
    /// Unix).
    fn prepare(&self) {
        if let Connection::Tcp(stream) = self {
            let _ = stream.set_nodelay(true);
        }
    }

    /// The peer's address (TCP only).
    fn peer_addr(&self) -> Option<SocketAddr> {
        match self {
            Connection::Tcp(stream) => stream.peer_addr().ok(),
            Connection::Unix(_) => None,
        }
    }

    /// Our own address (TCP only).
    fn local_addr(&self) -> Option<SocketAddr> {
        match self {
            Connection::Tcp(stream) => stream.local_addr().ok(),
            Connection::Unix(_) => None,
        }
    }
}

impl Connection {
    /// The error a non-blocking connect ended with, if any.
    pub(crate) fn take_error(&self) -> io::Result<Option<io::Error>> {
        match self {
            Connection::Tcp(stream) => stream.take_error(),
            Connection::Unix(stream) => stream.take_error(),
        }
    }

    /// Whether a non-blocking connect has finished.
    pub(crate) fn is_connected(&self) -> io::Result<bool> {
        let outcome = match self {
            Connection::Tcp(stream) => stream.peer_addr().map(drop),
            Connection::Unix(stream) => stream.peer_addr().map(drop),
        };
        match outcome {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotConnected => {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }
}

impl Listener {
    pub(crate) fn accept(&self) -> io::Result<Connection> {
        match self {
            Listener::Tcp(listener) => {
                listener.accept().map(|(stream, _)| Connection::Tcp(stream))
            }
            Listener::Unix(listener, _) => {
                listener.accept().map(|(stream, _)| Connection::Unix(stream))
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Listener::Unix(_, file) = self {
            file.remove_if_ours(); // as asyncio does when a Unix server closes
        }
    }
}

macro_rules! delegate_source {
    ($type:ident { $($variant:ident),+ }) => {
        impl mio::event::Source for $type {
            fn register(&mut self, registry: &mio::Registry, token: mio::Token, interests: mio::Interest) -> io::Result<()> {
                match self { $($type::$variant(socket, ..) => socket.register(registry, token, interests),)+ }
            }
            fn reregister(&mut self, registry: &mio::Registry, token: mio::Token, interests: mio::Interest) -> io::Result<()> {
                match self { $($type::$variant(socket, ..) => socket.reregister(registry, token, interests),)+ }
            }
            fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
                match self { $($type::$variant(socket, ..) => socket.deregister(registry),)+ }
            }
        }
    };
}

delegate_source!(Connection { Tcp, Unix });
delegate_source!(Listener { Tcp, Unix });
