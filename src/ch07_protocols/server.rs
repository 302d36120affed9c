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
use crate::ch01_coroutines::spawn::spawn_machinery;
use crate::ch04_tasks::task_ref::TaskRef;
use crate::ch06_sync::event::Event;
use crate::ch07_protocols::callbacks::call_protocol;
use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::reactor::{Direction, IoSource};
use crate::ch07_protocols::resolver::resolve;
use crate::ch07_protocols::socket::{Connection, Listener};
use crate::ch07_protocols::transport::SocketTransport;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::rc::{Rc, Weak};
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
    /// The transports of the connections still open, by number.
    clients: RefCell<BTreeMap<u64, Transport>>,
    next_client: Cell<u64>,
    /// Set once the server is closed and every connection has ended.
    all_gone: Event,
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
                clients: RefCell::default(),
                next_client: Cell::new(0),
                all_gone: Event::new(),
                listener: RefCell::new(Some(IoSource::new(listener)?)),
                acceptor: RefCell::new(None),
            }),
        };
        let accepting = server.clone();
        let acceptor =
            spawn_machinery(
                async move { accepting.accept_loop(factory).await },
            )
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
                Ok(stream) => self.start_connection(stream, &factory),
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

impl Server {
    /// Runs a protocol made by `factory` on an accepted connection. If the
    /// factory panics, that is logged and the connection is closed.
    fn start_connection<P: Protocol>(
        &self,
        stream: Connection,
        factory: impl Fn() -> P,
    ) {
        let Ok(protocol) = call_protocol("protocol_factory()", factory) else {
            return; // dropping `stream` closes the connection
        };
        let id =
            self.inner.next_client.replace(self.inner.next_client.get() + 1);
        let client =
            Client { protocol, server: Rc::downgrade(&self.inner), id };
        let protocol: Rc<RefCell<dyn Protocol>> = Rc::new(RefCell::new(client));
        if let Err(error) = IoSource::new(stream)
            .and_then(|io| SocketTransport::start(io, protocol))
        {
            logging::error!(
                "aio.server",
                "could not start a connection: {error}"
            );
        }
    }
}
// ANCHOR_END: create_server

// ANCHOR: client
/// An accepted connection's protocol, as the server sees it: the
/// application's own, and the server's note of the connection, kept from
/// `connection_made` to `connection_lost` (asyncio's `Server._attach` and
/// `_detach`), so that the server can close its clients and know when they
/// have all gone.
struct Client<P> {
    protocol: P,
    server: Weak<ServerInner>,
    id: u64,
}

impl<P: Protocol> Protocol for Client<P> {
    fn connection_made(&mut self, transport: Transport) {
        if let Some(server) = self.server.upgrade() {
            server.clients.borrow_mut().insert(self.id, transport.clone());
        }
        self.protocol.connection_made(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.protocol.data_received(data);
    }

    fn eof_received(&mut self) -> bool {
        self.protocol.eof_received()
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        // First, so that a protocol that panics here is still forgotten.
        if let Some(server) = self.server.upgrade() {
            let gone = server.clients.borrow_mut().remove(&self.id);
            drop(gone);
            server.set_all_gone_if_done();
        }
        self.protocol.connection_lost(error);
    }

    fn pause_writing(&mut self) {
        self.protocol.pause_writing();
    }

    fn resume_writing(&mut self) {
        self.protocol.resume_writing();
    }
}

impl ServerInner {
    fn set_all_gone_if_done(&self) {
        if !self.serving.get() && self.clients.borrow().is_empty() {
            self.all_gone.set();
        }
    }
}
// ANCHOR_END: client

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
    /// accepted carry on (see [`close_clients`](Server::close_clients)).
    pub fn close(&self) {
        self.inner.serving.set(false);
        let listener = self.inner.listener.borrow_mut().take();
        drop(listener); // closes the socket (and removes a Unix socket's file) now
        if let Some(acceptor) = self.inner.acceptor.borrow_mut().take() {
            acceptor.cancel();
        }
        self.inner.closed.set();
        self.inner.set_all_gone_if_done();
    }

    /// Closes every connection the server accepted that is still open, each
    /// after sending what it has buffered (asyncio 3.13's `close_clients`).
    pub fn close_clients(&self) {
        self.clients().iter().for_each(Transport::close);
    }

    /// Closes every connection the server accepted at once, dropping what
    /// they have buffered (asyncio 3.13's `abort_clients`).
    pub fn abort_clients(&self) {
        self.clients().iter().for_each(Transport::abort);
    }

    /// The transports of the connections still open.
    fn clients(&self) -> Vec<Transport> {
        self.inner.clients.borrow().values().cloned().collect()
    }

    /// Waits until the server is closed and every connection it accepted has
    /// ended, as `wait_closed` does since Python 3.12.
    pub async fn wait_closed(&self) {
        self.inner.all_gone.wait().await;
    }

    /// Serves until the server is closed (asyncio's `serve_forever`).
    pub async fn serve_forever(&self) {
        self.inner.closed.wait().await;
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
