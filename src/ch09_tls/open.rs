//! Chapter 9 (TLS): the `ssl` option of chapters 7 and 8's calls, and
//! `start_tls`.
//!
//! Each `_ssl` call is its plain twin with the TLS layer slipped in: the
//! socket's transport gets the layer as its protocol, and the application's
//! protocol gets the layer's transport. A client's call returns once the
//! handshake is done, or with the reason it failed; a server's handshakes
//! fail one connection at a time, each logged, and the server carries on.

use crate::ch01_coroutines::logging;
use crate::ch07_protocols::connect::create_connection;
use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::server::{Server, create_server};
use crate::ch08_streams::protocol::{StreamProtocol, server_factory};
use crate::ch08_streams::reader::StreamReader;
use crate::ch08_streams::writer::StreamWriter;
use crate::ch09_tls::context::Ssl;
use crate::ch09_tls::layer::{TlsLayer, TlsLower};
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

// ANCHOR: create_connection_ssl
/// Connects to `host`:`port`, does the TLS handshake, and runs `protocol`
/// on the connection (`loop.create_connection(..., ssl=...)`). Returns
/// once the handshake is done; its failure is the error.
pub async fn create_connection_ssl<P: Protocol>(
    protocol: P,
    host: &str,
    port: u16,
    ssl: impl Into<Ssl>,
) -> io::Result<(Transport, Rc<RefCell<P>>)> {
    let ssl = ssl.into();
    let (tls, server_name) = ssl.client_connection(host)?;
    let app = Rc::new(RefCell::new(protocol));
    let layer = TlsLayer::new(tls, Some(server_name), app.clone(), &ssl, true);
    let (socket, _) =
        create_connection(layer.lower_protocol(), host, port).await?;
    if let Err(error) = layer.handshake_done().await {
        socket.abort();
        return Err(error);
    }
    Ok((layer.app_transport(), app))
}
// ANCHOR_END: create_connection_ssl

// ANCHOR: create_server_ssl
/// Listens on `host`:`port` and runs a protocol made by `factory` on every
/// connection, once its handshake is done (`loop.create_server(...,
/// ssl=...)`). A connection whose handshake fails is logged and closed.
pub async fn create_server_ssl<P: Protocol>(
    factory: impl Fn() -> P + 'static,
    host: &str,
    port: u16,
    ssl: impl Into<Ssl>,
) -> io::Result<Server> {
    let ssl = ssl.into();
    ssl.server_connection()?; // a client context fails here, not per peer
    let layered = move || match ssl.server_connection() {
        Ok(tls) => {
            let app: Rc<RefCell<dyn Protocol>> =
                Rc::new(RefCell::new(factory()));
            let layer = TlsLayer::new(tls, None, app, &ssl, true);
            ServerSide::Tls(layer.lower_protocol())
        }
        Err(error) => ServerSide::Refused(error.to_string()),
    };
    create_server(layered, host, port).await
}

/// What a TLS server runs on a connection: the layer, or, if rustls would
/// not start a session, a protocol that says why and closes.
enum ServerSide {
    Tls(TlsLower),
    Refused(String),
}

impl Protocol for ServerSide {
    fn connection_made(&mut self, transport: Transport) {
        match self {
            ServerSide::Tls(layer) => layer.connection_made(transport),
            ServerSide::Refused(why) => {
                logging::error!("aio.tls", "no TLS session: {why}");
                transport.abort();
            }
        }
    }

    fn data_received(&mut self, data: &[u8]) {
        if let ServerSide::Tls(layer) = self {
            layer.data_received(data);
        }
    }

    fn eof_received(&mut self) -> bool {
        match self {
            ServerSide::Tls(layer) => layer.eof_received(),
            ServerSide::Refused(_) => false,
        }
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        if let ServerSide::Tls(layer) = self {
            layer.connection_lost(error);
        }
    }

    fn pause_writing(&mut self) {
        if let ServerSide::Tls(layer) = self {
            layer.pause_writing();
        }
    }

    fn resume_writing(&mut self) {
        if let ServerSide::Tls(layer) = self {
            layer.resume_writing();
        }
    }
}
// ANCHOR_END: create_server_ssl

/// Connects with TLS and returns the connection's reader and writer
/// (`asyncio.open_connection(..., ssl=...)`).
pub async fn open_connection_ssl(
    host: &str,
    port: u16,
    ssl: impl Into<Ssl>,
) -> io::Result<(StreamReader, StreamWriter)> {
    let (transport, protocol) =
        create_connection_ssl(StreamProtocol::client(), host, port, ssl)
            .await?;
    let streams = protocol.borrow().streams(transport);
    Ok(streams)
}

/// Listens with TLS and runs `client_connected(reader, writer)` as a new
/// task for every connection whose handshake succeeds
/// (`asyncio.start_server(..., ssl=...)`).
pub async fn start_server_ssl<F, Fut>(
    client_connected: F,
    host: &str,
    port: u16,
    ssl: impl Into<Ssl>,
) -> io::Result<Server>
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    create_server_ssl(server_factory(client_connected), host, port, ssl).await
}

// ANCHOR: start_tls
/// Upgrades an open connection to TLS (`loop.start_tls`): `protocol`, which
/// already has its `connection_made`, gets the TLS transport that this
/// returns once the handshake is done. A client needs `server_hostname`:
/// there is no host name to check against otherwise.
pub async fn start_tls(
    transport: &Transport,
    protocol: Rc<RefCell<dyn Protocol>>,
    ssl: impl Into<Ssl>,
) -> io::Result<Transport> {
    let ssl = ssl.into();
    let (tls, server_name) = if ssl.context.is_server() {
        (ssl.server_connection()?, None)
    } else {
        let Some(name) = ssl.server_hostname.clone() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "start_tls on a client needs the server's name: pass \
                 Ssl::new(context).server_hostname(name)",
            ));
        };
        let (tls, name) = ssl.client_connection(&name)?;
        (tls, Some(name))
    };
    let layer = TlsLayer::new(tls, server_name, protocol, &ssl, false);
    // No await between these lines, so the socket's task reads nothing
    // until the layer is in place: what it reads next goes to the layer.
    transport.set_protocol(Rc::new(RefCell::new(layer.lower_protocol())));
    layer.attach(transport.clone());
    // The handshake must read, even if the old protocol had paused reading
    // (a full stream buffer), as asyncio's `start_tls` resumes it too.
    transport.resume_reading();
    if let Err(error) = layer.handshake_done().await {
        transport.abort();
        return Err(error);
    }
    Ok(layer.app_transport())
}
// ANCHOR_END: start_tls

impl StreamWriter {
    /// Upgrades the connection under this writer, and its reader, to TLS
    /// (asyncio's `StreamWriter.start_tls`). What the reader holds already
    /// stays; what comes next is decrypted.
    pub async fn start_tls(&self, ssl: impl Into<Ssl>) -> io::Result<()> {
        let socket = self.transport();
        let reader = self.reader().clone();
        let protocol =
            StreamProtocol::for_streams(reader.clone(), self.flow().clone());
        let tls =
            start_tls(&socket, Rc::new(RefCell::new(protocol)), ssl).await?;
        reader.set_transport(Some(tls.clone()));
        self.replace_transport(tls);
        Ok(())
    }
}
