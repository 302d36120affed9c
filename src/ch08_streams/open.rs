//! Chapter 8 (streams): opening stream connections and servers
//! (`open_connection`, `start_server`, and their Unix-socket twins).
//!
//! Each is chapter 7's function of the same kind, run with a stream protocol:
//! a client gets the reader and the writer of its connection back; a server
//! runs a coroutine with them for every connection it accepts.

use crate::ch07_protocols::connect::create_connection;
use crate::ch07_protocols::server::{Server, create_server};
use crate::ch07_protocols::unix::{create_unix_connection, create_unix_server};
use crate::ch08_streams::protocol::{StreamProtocol, server_factory};
use crate::ch08_streams::reader::StreamReader;
use crate::ch08_streams::writer::StreamWriter;
use std::io;
use std::path::Path;

/// Connects to `host`:`port` and returns the connection's reader and writer
/// (`asyncio.open_connection`).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use aio::{StreamReader, StreamWriter};
///
/// aio::run(async {
///     async fn echo(reader: StreamReader, writer: StreamWriter) {
///         let data = reader.read(100).await.unwrap_or_default();
///         let _ = writer.write(&data);
///         writer.close();
///     }
///     let server = aio::start_server(echo, "127.0.0.1", 0).await?;
///     let (reader, writer) =
///         aio::open_connection("127.0.0.1", server.port()).await?;
///     writer.write(b"hello")?;
///     assert_eq!(reader.read(100).await?, b"hello");
///     writer.close();
///     server.close();
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })??;
/// # Ok(())
/// # }
/// ```
// ANCHOR: open_connection
pub async fn open_connection(
    host: &str,
    port: u16,
) -> io::Result<(StreamReader, StreamWriter)> {
    let (transport, protocol) =
        create_connection(StreamProtocol::client(), host, port).await?;
    let streams = protocol.borrow().streams(transport);
    Ok(streams)
}
// ANCHOR_END: open_connection

/// Listens on `host`:`port` and runs `client_connected(reader, writer)` as a
/// new task for every connection (`asyncio.start_server`).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use aio::{StreamReader, StreamWriter};
///
/// aio::run(async {
///     // Echoes each line until the client's EOF, then closes.
///     async fn echo(reader: StreamReader, writer: StreamWriter) {
///         while let Ok(line) = reader.readline().await {
///             if line.is_empty() || writer.write(&line).is_err() {
///                 break;
///             }
///         }
///         writer.close();
///     }
///     let server = aio::start_server(echo, "127.0.0.1", 0).await?;
///     let (reader, writer) =
///         aio::open_connection("127.0.0.1", server.port()).await?;
///     writer.write(b"one\ntwo\n")?;
///     writer.write_eof();
///     assert_eq!(reader.read_to_end().await?, b"one\ntwo\n");
///     writer.close();
///     server.close();
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })??;
/// # Ok(())
/// # }
/// ```
// ANCHOR: start_server
pub async fn start_server<F, Fut>(
    client_connected: F,
    host: &str,
    port: u16,
) -> io::Result<Server>
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    create_server(server_factory(client_connected), host, port).await
}

/// Connects to the Unix socket at `path` (`asyncio.open_unix_connection`).
pub async fn open_unix_connection(
    path: impl AsRef<Path>,
) -> io::Result<(StreamReader, StreamWriter)> {
    let (transport, protocol) =
        create_unix_connection(StreamProtocol::client(), path).await?;
    let streams = protocol.borrow().streams(transport);
    Ok(streams)
}

/// Listens on the Unix socket at `path` (`asyncio.start_unix_server`).
pub async fn start_unix_server<F, Fut>(
    client_connected: F,
    path: impl AsRef<Path>,
) -> io::Result<Server>
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    create_unix_server(server_factory(client_connected), path).await
}
// ANCHOR_END: start_server
