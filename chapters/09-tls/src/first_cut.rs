//! A first cut at TLS: rustls over a blocking socket, with no event loop.
//! `rustls::Stream` pairs a TLS connection with a `TcpStream`, and its
//! `read` and `write` do the handshake, the encryption and the socket's I/O
//! all at once, blocking the thread until they are done. One thread per
//! side, as chapter 7's first servers had one thread per connection.

use aio::rustls::pki_types::ServerName;
use aio::rustls::{ClientConfig, ClientConnection, Stream};
use aio::rustls::{ServerConfig, ServerConnection};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

// ANCHOR: serve
/// Accepts one connection, reads one message over TLS and sends it back.
pub fn serve_one(
    listener: &TcpListener,
    config: Arc<ServerConfig>,
) -> io::Result<()> {
    let (mut socket, _) = listener.accept()?;
    let mut tls = ServerConnection::new(config).map_err(io::Error::other)?;
    let mut stream = Stream::new(&mut tls, &mut socket);
    let mut message = [0u8; 128];
    let n = stream.read(&mut message)?; // the handshake happens here
    stream.write_all(&message[..n])?;
    stream.conn.send_close_notify(); // TLS's own "that is all"
    stream.flush()
}
// ANCHOR_END: serve

// ANCHOR: ask
/// Connects to `port` on this machine, checks the server's certificate
/// against `localhost`, sends `message`, and reads the answer until the
/// server's `close_notify`.
pub fn ask(
    port: u16,
    config: Arc<ClientConfig>,
    message: &[u8],
) -> io::Result<Vec<u8>> {
    let mut socket = TcpStream::connect(("127.0.0.1", port))?;
    let name = ServerName::try_from("localhost").map_err(io::Error::other)?;
    let mut tls =
        ClientConnection::new(config, name).map_err(io::Error::other)?;
    let mut stream = Stream::new(&mut tls, &mut socket);
    stream.write_all(message)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer)
}
// ANCHOR_END: ask
