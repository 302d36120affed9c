//! Chapter 8 (streams): the stream protocol, which adapts a transport to a
//! reader and a writer (asyncio's `StreamReaderProtocol`).
//!
//! What arrives goes into the reader's buffer, the transport's pauses and
//! resumes go to the writer's flow control, and the end of the connection ends
//! both. For a server, each new connection also starts the server's coroutine,
//! in a task of its own.

use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::spawn::spawn;
use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch08_streams::reader::{DEFAULT_LIMIT, StreamReader};
use crate::ch08_streams::writer::{FlowControl, StreamWriter};
use std::io;
use std::rc::Rc;

// ANCHOR: stream_protocol
/// The protocol that connects a transport to a reader and a writer's flow
/// control.
pub(crate) struct StreamProtocol {
    reader: StreamReader,
    flow: Rc<FlowControl>,
    /// For servers: the coroutine to start with each new connection.
    on_connect: Option<Rc<dyn Fn(StreamReader, StreamWriter)>>,
    /// The transport has no half-close (TLS, chapter 9): the peer's EOF ends
    /// the connection, and saying otherwise would only be warned about.
    no_half_close: bool,
}

impl StreamProtocol {
    /// A protocol with a fresh reader and flow control; `on_connect` (for
    /// servers) is called with the streams of each new connection.
    fn new(
        on_connect: Option<Rc<dyn Fn(StreamReader, StreamWriter)>>,
    ) -> StreamProtocol {
        StreamProtocol {
            reader: StreamReader::new(DEFAULT_LIMIT),
            flow: Rc::new(FlowControl::default()),
            on_connect,
            no_half_close: false,
        }
    }

    /// A protocol that goes on feeding `reader` and `flow`: chapter 9's
    /// `start_tls` puts it above the TLS layer, so the streams carry on.
    pub(crate) fn for_streams(
        reader: StreamReader,
        flow: Rc<FlowControl>,
    ) -> StreamProtocol {
        StreamProtocol { reader, flow, on_connect: None, no_half_close: true }
    }

    /// A client's protocol: `open_connection` asks for the streams once it has
    /// connected.
    pub(crate) fn client() -> StreamProtocol {
        StreamProtocol::new(None)
    }

    /// The reader, and a writer on `transport`, of this protocol's connection.
    pub(crate) fn streams(
        &self,
        transport: Transport,
    ) -> (StreamReader, StreamWriter) {
        let writer = StreamWriter::new(
            transport,
            self.flow.clone(),
            self.reader.clone(),
        );
        (self.reader.clone(), writer)
    }
}

impl Protocol for StreamProtocol {
    fn connection_made(&mut self, transport: Transport) {
        self.no_half_close = !transport.can_write_eof();
        self.reader.set_transport(Some(transport.clone()));
        if let Some(on_connect) = &self.on_connect {
            let (reader, writer) = self.streams(transport);
            on_connect(reader, writer);
        }
    }

    fn data_received(&mut self, data: &[u8]) {
        self.reader.feed_data(data);
    }

    fn eof_received(&mut self) -> bool {
        self.reader.feed_eof();
        // Keep the write side open, so the coroutine decides when to close;
        // a transport with no half-close closes anyway (asyncio's
        // `_over_ssl`).
        !self.no_half_close
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        match error {
            Some(error) => self.reader.set_error(error),
            None => self.reader.feed_eof(),
        }
        self.reader.set_transport(None);
        self.flow.lose();
    }

    fn pause_writing(&mut self) {
        self.flow.pause();
    }

    fn resume_writing(&mut self) {
        self.flow.resume();
    }
}

/// Makes a stream protocol per connection, each starting `client_connected` in
/// a task.
pub(crate) fn server_factory<F, Fut>(
    client_connected: F,
) -> impl Fn() -> StreamProtocol + 'static
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let client_connected = Rc::new(client_connected);
    let on_connect: Rc<dyn Fn(StreamReader, StreamWriter)> =
        Rc::new(move |reader, writer| {
            if let Err(error) = spawn(client_connected(reader, writer)) {
                logging::error!(
                    "aio.streams",
                    "could not start the connection's task: {error}"
                );
            }
        });
    move || StreamProtocol::new(Some(on_connect.clone()))
}
// ANCHOR_END: stream_protocol
