//! Chapter 7 (protocols): listening for connections (`loop.create_server`).
//!
//! A server is a listening socket and a task that accepts from it, makes a
//! protocol for each connection with the factory it was given, and starts a
//! transport. It can be closed (no new connections) and awaited. If the process
//! runs out of file descriptors, accepting fails with `EMFILE`; like asyncio,
//! the server logs it, pauses accepting for a moment, and carries on, instead
//! of spinning or dying. A protocol factory that panics costs only the
//! connection it was making: the panic is logged, and accepting goes on.

use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::spawn::spawn;
use crate::ch04_tasks::task_ref::TaskRef;
use crate::ch06_sync::event::Event;
use crate::ch07_protocols::callbacks::call_protocol;
use crate::ch07_protocols::interface::Protocol;
use crate::ch07_protocols::reactor::{Direction, IoSource};
use crate::ch07_protocols::resolver::resolve;
use crate::ch07_protocols::socket::{Connection, Listener};
use crate::ch07_protocols::transport::SocketTransport;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

/// How long accepting pauses after running out of file descriptors (asyncio's
/// `ACCEPT_RETRY_DELAY`).
const ACCEPT_RETRY_DELAY: Duration = Duration::from_secs(1);

/// A listening server. Cloning gives another handle to the same server.
#[derive(Clone)]
pub struct Server {
    inner: Rc<ServerInner>,
}

struct ServerInner {
    addresses: Vec<SocketAddr>,
    serving: Cell<bool>,
    closed: Event,
    /// The listening socket, until `close` drops it (closing it at once).
    listener: RefCell<Option<IoSource<Listener>>>,
    /// The accepting task, cancelled by `close`.
    acceptor: RefCell<Option<TaskRef>>,
}

// ANCHOR: create_server
/// Listens on `host`:`port` (port 0 picks a free one) and runs a protocol made
/// by `factory` on every accepted connection (asyncio's `loop.create_server`).
pub async fn create_server<P: Protocol>(
    factory: impl Fn() -> P + 'static,
    host: &str,
    port: u16,
) -> io::Result<Server> {
    let address = resolve(host, port).await?[0];
    let listener = mio::net::TcpListener::bind(address).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("could not listen on {address}: {error}"),
        )
    })?;
    let local = listener.local_addr()?;
    Server::listen(Listener::Tcp(listener), vec![local], factory)
}

impl Server {
    /// Starts accepting on `listener`, in a task of its own.
    pub(crate) fn listen<P: Protocol>(
        listener: Listener,
        addresses: Vec<SocketAddr>,
        factory: impl Fn() -> P + 'static,
    ) -> io::Result<Server> {
        let server = Server {
            inner: Rc::new(ServerInner {
                addresses,
                serving: Cell::new(true),
                closed: Event::new(),
                listener: RefCell::new(Some(IoSource::new(listener)?)),
                acceptor: RefCell::new(None),
            }),
        };
        let accepting = server.clone();
        let acceptor =
            spawn(async move { accepting.accept_loop(factory).await })
                .map_err(io::Error::other)?;
        server.inner.acceptor.replace(Some(acceptor.as_task_ref()));
        Ok(server)
    }

    async fn accept_loop<P: Protocol>(&self, factory: impl Fn() -> P) {
        while self.is_serving() {
            let accepted =
                poll_fn(|cx| match self.inner.listener.borrow().as_ref() {
                    Some(listener) => {
                        listener.poll_io(Direction::Read, cx, |socket| {
                            socket.accept()
                        })
                    }
                    None => Poll::Ready(Err(io::Error::from(
                        io::ErrorKind::NotConnected,
                    ))),
                })
                .await;
            if !self.is_serving() {
                break; // closed while we waited
            }
            match accepted {
                Ok(stream) => start_connection(stream, &factory),
                Err(error) if is_out_of_descriptors(&error) => {
                    logging::error!(
                        "aio.server",
                        "accepting failed: {error}; out of file descriptors \
                         (or memory), so accepting pauses for \
                         {ACCEPT_RETRY_DELAY:?}"
                    );
                    crate::ch02_scheduling::sleep::sleep(ACCEPT_RETRY_DELAY)
                        .await;
                }
                Err(error) => {
                    logging::error!("aio.server", "accepting failed: {error}")
                }
            }
        }
    }
}

/// Runs a protocol made by `factory` on an accepted connection. If the factory
/// panics, that is logged and the connection is closed.
fn start_connection<P: Protocol>(stream: Connection, factory: impl Fn() -> P) {
    let Ok(protocol) = call_protocol("protocol_factory()", factory) else {
        return; // dropping `stream` closes the connection
    };
    let protocol: Rc<RefCell<dyn Protocol>> = Rc::new(RefCell::new(protocol));
    if let Err(error) = IoSource::new(stream)
        .and_then(|io| SocketTransport::start(io, protocol))
    {
        logging::error!("aio.server", "could not start a connection: {error}");
    }
}
// ANCHOR_END: create_server

fn is_out_of_descriptors(error: &io::Error) -> bool {
    // EMFILE (24) and ENFILE (23): the process or the system ran out of
    // descriptors; ENOBUFS (105) and ENOMEM (12): out of kernel memory. asyncio
    // pauses for all four.
    matches!(error.raw_os_error(), Some(12 | 23 | 24 | 105))
}

impl Server {
    /// The addresses the server listens on (asyncio's `server.sockets`).
    pub fn addresses(&self) -> &[SocketAddr] {
        &self.inner.addresses
    }

    /// The port of the first address (0 for a Unix-socket server, which has
    /// none).
    pub fn port(&self) -> u16 {
        self.inner.addresses.first().map_or(0, SocketAddr::port)
    }

    /// Whether the server accepts new connections.
    pub fn is_serving(&self) -> bool {
        self.inner.serving.get()
    }

    /// Stops accepting and closes the listening socket. Connections already
    /// accepted carry on.
    pub fn close(&self) {
        self.inner.serving.set(false);
        let listener = self.inner.listener.borrow_mut().take();
        drop(listener); // closes the socket (and removes a Unix socket's file) now
        if let Some(acceptor) = self.inner.acceptor.borrow_mut().take() {
            acceptor.cancel();
        }
        self.inner.closed.set();
    }

    /// Waits until the server is closed.
    pub async fn wait_closed(&self) {
        self.inner.closed.wait().await;
    }

    /// Serves until the server is closed (asyncio's `serve_forever`).
    pub async fn serve_forever(&self) {
        self.wait_closed().await;
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addresses", &self.inner.addresses)
            .field("serving", &self.is_serving())
            .finish()
    }
}
