//! Chapter 7 (protocols): the two kinds of stream socket a transport can carry.
//!
//! TCP and Unix-domain stream sockets behave the same for a transport: read,
//! write, shut down the write side. [`Connection`] and [`Listener`] put the two
//! behind one type, so the transport, the server and the streams exist once,
//! not twice.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::path::PathBuf;

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
    /// A Unix-domain listener, and the path it is bound to.
    Unix(mio::net::UnixListener, PathBuf),
}

impl Connection {
    pub(crate) fn read(&self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Connection::Tcp(stream) => (&*stream).read(buffer),
            Connection::Unix(stream) => (&*stream).read(buffer),
        }
    }

    pub(crate) fn write(&self, data: &[u8]) -> io::Result<usize> {
        match self {
            Connection::Tcp(stream) => (&*stream).write(data),
            Connection::Unix(stream) => (&*stream).write(data),
        }
    }

    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        match self {
            Connection::Tcp(stream) => stream.shutdown(Shutdown::Write),
            Connection::Unix(stream) => stream.shutdown(Shutdown::Write),
        }
    }

    /// Turns off Nagle's algorithm, as asyncio does for TCP (nothing to do for
    /// Unix).
    pub(crate) fn set_nodelay(&self) {
        if let Connection::Tcp(stream) = self {
            let _ = stream.set_nodelay(true);
        }
    }

    /// The peer's address (TCP only).
    pub(crate) fn peer_addr(&self) -> Option<SocketAddr> {
        match self {
            Connection::Tcp(stream) => stream.peer_addr().ok(),
            Connection::Unix(_) => None,
        }
    }

    /// Our own address (TCP only).
    pub(crate) fn local_addr(&self) -> Option<SocketAddr> {
        match self {
            Connection::Tcp(stream) => stream.local_addr().ok(),
            Connection::Unix(_) => None,
        }
    }

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
        if let Listener::Unix(_, path) = self {
            let _ = std::fs::remove_file(path); // as asyncio does when a Unix server closes
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
