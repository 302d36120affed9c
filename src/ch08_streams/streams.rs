//! Chapter 8 (streams): asynchronous I/O using coroutines and streams.
//!
//! asyncio's streams are built on its protocols: a `StreamReaderProtocol` feeds
//! what arrives into a [`StreamReader`]'s buffer, and a [`StreamWriter`] wraps
//! the transport. Coroutines then `read`, `readline` and `readexactly` from the
//! buffer, and `write` and `drain` to the transport. aio builds them the same
//! way, on chapter 7's transports. The reader's buffer has a limit (64 KiB by
//! default): past twice the limit it pauses the transport's reading, and a line
//! longer than the limit is an error that leaves the connection usable.

use crate::ch07_protocols::connect::create_connection;
use crate::ch07_protocols::server::{Server, create_server};
use crate::ch07_protocols::transport::{Protocol, Transport};
use crate::ch07_protocols::unix::{create_unix_connection, create_unix_server};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The reader's default buffer limit (asyncio's 64 KiB).
pub const DEFAULT_LIMIT: usize = 64 * 1024;

/// Why a stream read failed.
#[derive(Debug)]
pub enum StreamError {
    /// EOF came before `expected` bytes (or the separator); `partial` holds
    /// what came.
    IncompleteRead {
        /// The bytes read before EOF.
        partial: Vec<u8>,
        /// How many bytes were wanted (`None`: up to a separator).
        expected: Option<usize>,
    },
    /// The separator was not found within the limit; the data stays in the
    /// buffer.
    LimitOverrun {
        /// How many bytes are in the buffer.
        consumed: usize,
    },
    /// The connection failed.
    Io(io::Error),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::IncompleteRead {
                partial,
                expected: Some(expected),
            } => {
                write!(
                    f,
                    "{} bytes read on a total of {expected} expected bytes",
                    partial.len()
                )
            }
            StreamError::IncompleteRead { partial, expected: None } => {
                write!(
                    f,
                    "EOF after {} bytes, before the separator",
                    partial.len()
                )
            }
            StreamError::LimitOverrun { consumed } => write!(
                f,
                "the separator was not found in the first {consumed} bytes (the buffer limit); read less at a time, or raise the limit"
            ),
            StreamError::Io(error) => {
                write!(f, "the connection failed: {error}")
            }
        }
    }
}

impl std::error::Error for StreamError {}

impl From<io::Error> for StreamError {
    fn from(error: io::Error) -> Self {
        StreamError::Io(error)
    }
}

/// A byte buffer that is filled at the back and read from the front: one
/// contiguous `Vec` and a read offset, so reads and searches are plain slice
/// operations (no byte-by-byte copying, as a `VecDeque<u8>` would need). The
/// read part is dropped when it is more than half the buffer.
#[derive(Default)]
struct ByteBuffer {
    bytes: Vec<u8>,
    start: usize,
}

impl ByteBuffer {
    fn len(&self) -> usize {
        self.bytes.len() - self.start
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    fn extend(&mut self, data: &[u8]) {
        self.bytes.extend_from_slice(data);
    }

    /// Removes and returns the first `n` bytes.
    fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        let taken = self.bytes[self.start..self.start + n].to_vec();
        self.start += n;
        if self.start == self.bytes.len() {
            self.bytes.clear();
            self.start = 0;
        } else if self.start > self.bytes.len() / 2 {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        taken
    }
}

/// The reading half of a connection: a buffer that the transport fills.
#[derive(Clone)]
pub struct StreamReader {
    inner: Rc<ReaderInner>,
}

struct ReaderInner {
    buffer: RefCell<ByteBuffer>,
    limit: usize,
    eof: Cell<bool>,
    /// The error that ended the connection, kept so that every later read
    /// reports it.
    error: RefCell<Option<(io::ErrorKind, String)>>,
    /// The tasks waiting for data (normally one).
    waiters: RefCell<Vec<Waker>>,
    transport: RefCell<Option<Transport>>,
    paused: Cell<bool>,
}

// ANCHOR: feed
impl StreamReader {
    /// An empty reader with the given buffer limit.
    pub fn new(limit: usize) -> StreamReader {
        StreamReader {
            inner: Rc::new(ReaderInner {
                buffer: RefCell::default(),
                limit: limit.max(1),
                eof: Cell::new(false),
                error: RefCell::new(None),
                waiters: RefCell::new(Vec::new()),
                transport: RefCell::new(None),
                paused: Cell::new(false),
            }),
        }
    }

    /// Adds bytes to the buffer (the protocol calls this from `data_received`).
    /// Past twice the limit, reading from the transport pauses.
    pub fn feed_data(&self, data: &[u8]) {
        let inner = &*self.inner;
        inner.buffer.borrow_mut().extend(data);
        self.wake_waiter();
        if !inner.paused.get()
            && inner.buffer.borrow().len() > 2 * inner.limit
            && let Some(transport) = inner.transport.borrow().as_ref()
        {
            transport.pause_reading();
            inner.paused.set(true);
        }
    }

    /// Marks the end of the stream.
    pub fn feed_eof(&self) {
        self.inner.eof.set(true);
        self.wake_waiter();
    }

    fn set_error(&self, error: io::Error) {
        self.inner.error.replace(Some((error.kind(), error.to_string())));
        self.inner.eof.set(true);
        self.wake_waiter();
    }

    fn wake_waiter(&self) {
        let waiters = std::mem::take(&mut *self.inner.waiters.borrow_mut());
        for waker in waiters {
            waker.wake();
        }
    }

    /// Takes `n` bytes from the front of the buffer, resuming the transport's
    /// reading once the buffer is back under the limit.
    fn consume(&self, n: usize) -> Vec<u8> {
        let inner = &*self.inner;
        let taken = inner.buffer.borrow_mut().take(n);
        if inner.paused.get()
            && inner.buffer.borrow().len() <= inner.limit
            && let Some(transport) = inner.transport.borrow().as_ref()
        {
            inner.paused.set(false);
            transport.resume_reading();
        }
        taken
    }

    /// Waits until the buffer grows past `seen` bytes, EOF, or an error. A
    /// reader that needs more than the buffer holds resumes a paused transport
    /// first, or it would wait forever (asyncio's `_wait_for_data`).
    fn poll_more(
        &self,
        cx: &mut Context<'_>,
        seen: usize,
    ) -> Poll<Result<(), StreamError>> {
        let inner = &*self.inner;
        if let Some((kind, message)) = inner.error.borrow().as_ref() {
            return Poll::Ready(Err(StreamError::Io(io::Error::new(
                *kind,
                message.clone(),
            ))));
        }
        if inner.buffer.borrow().len() > seen || inner.eof.get() {
            return Poll::Ready(Ok(()));
        }
        if inner.paused.get()
            && let Some(transport) = inner.transport.borrow().as_ref()
        {
            inner.paused.set(false);
            transport.resume_reading();
        }
        let mut waiters = inner.waiters.borrow_mut();
        if !waiters.iter().any(|waker| waker.will_wake(cx.waker())) {
            waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }
}
// ANCHOR_END: feed

// ANCHOR: readuntil
impl StreamReader {
    /// Reads up to `n` bytes: whatever is buffered, or what arrives next. Empty
    /// at EOF.
    pub async fn read(&self, n: usize) -> Result<Vec<u8>, StreamError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        poll_fn(|cx| self.poll_more(cx, 0)).await?;
        let available = self.inner.buffer.borrow().len().min(n);
        Ok(self.consume(available))
    }

    /// Reads until EOF.
    pub async fn read_to_end(&self) -> Result<Vec<u8>, StreamError> {
        while !self.inner.eof.get() {
            let seen = self.inner.buffer.borrow().len();
            poll_fn(|cx| self.poll_more(cx, seen)).await?;
        }
        let all = self.inner.buffer.borrow().len();
        Ok(self.consume(all))
    }

    /// Reads exactly `n` bytes, or fails with `IncompleteRead` (carrying what
    /// came) at EOF.
    pub async fn readexactly(&self, n: usize) -> Result<Vec<u8>, StreamError> {
        loop {
            let buffered = self.inner.buffer.borrow().len();
            if buffered >= n {
                return Ok(self.consume(n));
            }
            if self.inner.eof.get() {
                let partial = self.consume(buffered);
                return Err(StreamError::IncompleteRead {
                    partial,
                    expected: Some(n),
                });
            }
            poll_fn(|cx| self.poll_more(cx, buffered)).await?;
        }
    }

    /// Reads up to and including `separator`. Past the limit without a
    /// separator it fails with `LimitOverrun` and leaves the data in the
    /// buffer; at EOF without one, with `IncompleteRead` carrying what was
    /// left.
    pub async fn readuntil(
        &self,
        separator: &[u8],
    ) -> Result<Vec<u8>, StreamError> {
        if separator.is_empty() {
            return Err(StreamError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the separator must not be empty",
            )));
        }
        let mut searched_from = 0;
        loop {
            let (found, buffered) = {
                let buffer = self.inner.buffer.borrow();
                let bytes =
                    &buffer.as_slice()[searched_from.min(buffer.len())..];
                let found = bytes
                    .windows(separator.len())
                    .position(|window| window == separator);
                (found.map(|at| searched_from + at), buffer.len())
            };
            if let Some(at) = found {
                // As asyncio does, the limit applies to where the separator
                // starts.
                if at > self.inner.limit {
                    return Err(StreamError::LimitOverrun { consumed: at });
                }
                return Ok(self.consume(at + separator.len()));
            }
            if buffered > self.inner.limit {
                return Err(StreamError::LimitOverrun { consumed: buffered });
            }
            if self.inner.eof.get() {
                let partial = self.consume(buffered);
                return Err(StreamError::IncompleteRead {
                    partial,
                    expected: None,
                });
            }
            searched_from = buffered.saturating_sub(separator.len() - 1);
            poll_fn(|cx| self.poll_more(cx, buffered)).await?;
        }
    }

    /// Reads one line, `\n` included. At EOF, returns what is left (possibly
    /// empty). A line longer than the limit is an error; the too-long line is
    /// dropped (up to its end, if it has arrived) so the connection can go on,
    /// as asyncio does.
    pub async fn readline(&self) -> Result<Vec<u8>, StreamError> {
        match self.readuntil(b"\n").await {
            Ok(line) => Ok(line),
            Err(StreamError::IncompleteRead { partial, .. }) => Ok(partial),
            Err(StreamError::LimitOverrun { consumed }) => {
                let newline = self
                    .inner
                    .buffer
                    .borrow()
                    .as_slice()
                    .iter()
                    .position(|byte| *byte == b'\n');
                match newline {
                    Some(at) => drop(self.consume(at + 1)),
                    None => {
                        drop(self.consume(self.inner.buffer.borrow().len()))
                    }
                }
                Err(StreamError::LimitOverrun { consumed })
            }
            Err(other) => Err(other),
        }
    }

    /// Whether the stream ended and the buffer is empty.
    pub fn at_eof(&self) -> bool {
        self.inner.eof.get() && self.inner.buffer.borrow().len() == 0
    }

    /// The lines of the stream, as a `futures_core::Stream`.
    pub fn lines(&self) -> Lines {
        Lines { reader: self.clone(), pending: None, ended: false }
    }
}
// ANCHOR_END: readuntil

type LineFuture = Pin<Box<dyn Future<Output = Result<Vec<u8>, StreamError>>>>;

/// The lines of a [`StreamReader`], one `readline` at a time, until EOF.
pub struct Lines {
    reader: StreamReader,
    pending: Option<LineFuture>,
    ended: bool,
}

impl futures_core::Stream for Lines {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        if self.pending.is_none() {
            if self.reader.at_eof() {
                return Poll::Ready(None);
            }
            let reader = self.reader.clone();
            self.pending =
                Some(Box::pin(async move { reader.readline().await }));
        }
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let line = std::task::ready!(pending.as_mut().poll(cx));
        self.pending = None;
        match line {
            Ok(line) if line.is_empty() => Poll::Ready(None),
            Ok(line) => Poll::Ready(Some(Ok(line))),
            Err(error) => {
                self.ended = true; // an error ends the lines
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

/// The writing half of a connection. Cloning gives another handle; when the
/// last one is dropped without `close`, the connection is closed (and that is
/// reported).
#[derive(Clone)]
pub struct StreamWriter {
    transport: Transport,
    flow: Rc<FlowControl>,
    reader: StreamReader,
    _closes_when_dropped: Rc<CloseWhenDropped>,
}

/// Closes a forgotten writer's connection, as asyncio does when it collects
/// one.
struct CloseWhenDropped(Transport);

impl Drop for CloseWhenDropped {
    fn drop(&mut self) {
        if !self.0.is_closing() {
            crate::ch01_coroutines::logging::warn!(
                "aio.streams",
                "a StreamWriter was dropped without close(); closing its connection (call writer.close())"
            );
            self.0.close();
        }
    }
}

impl StreamWriter {
    fn new(
        transport: Transport,
        flow: Rc<FlowControl>,
        reader: StreamReader,
    ) -> StreamWriter {
        let closer = Rc::new(CloseWhenDropped(transport.clone()));
        StreamWriter { transport, flow, reader, _closes_when_dropped: closer }
    }
}

/// What `drain` waits on: the protocol's view of the transport's write buffer.
#[derive(Default)]
struct FlowControl {
    paused: Cell<bool>,
    lost: Cell<bool>,
    closed: crate::ch06_sync::event::Event,
    waiters: RefCell<Vec<Waker>>,
}

impl FlowControl {
    fn wake_all(&self) {
        for waker in self.waiters.borrow_mut().drain(..) {
            waker.wake();
        }
    }
}

// ANCHOR: drain
impl StreamWriter {
    /// Queues `data` (sent at once when the socket takes it).
    pub fn write(&self, data: &[u8]) -> io::Result<()> {
        self.transport.write(data)
    }

    /// Queues several buffers, in order.
    pub fn writelines<B: AsRef<[u8]>>(
        &self,
        buffers: impl IntoIterator<Item = B>,
    ) -> io::Result<()> {
        self.transport.writelines(buffers)
    }

    /// Waits while the transport's buffer is above its high water mark. Fails
    /// if the connection was lost.
    pub async fn drain(&self) -> io::Result<()> {
        poll_fn(|cx| {
            if self.flow.lost.get() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "the connection was lost",
                )));
            }
            if !self.flow.paused.get() {
                return Poll::Ready(Ok(()));
            }
            self.flow.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
        .await
    }

    /// Closes the write side once the buffer is flushed.
    pub fn write_eof(&self) {
        self.transport.write_eof();
    }

    /// Whether `write_eof` is supported.
    pub fn can_write_eof(&self) -> bool {
        self.transport.can_write_eof()
    }

    /// Closes the connection once the buffer is flushed.
    pub fn close(&self) {
        self.transport.close();
    }

    /// Whether the connection is closing or closed.
    pub fn is_closing(&self) -> bool {
        self.transport.is_closing()
    }

    /// Waits until the connection is closed.
    pub async fn wait_closed(&self) {
        self.flow.closed.wait().await;
    }

    /// asyncio's `get_extra_info` for `"peername"` and `"sockname"`.
    pub fn get_extra_info(&self, name: &str) -> Option<SocketAddr> {
        self.transport.get_extra_info(name)
    }

    /// The transport underneath.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The reader of the same connection.
    pub fn reader(&self) -> &StreamReader {
        &self.reader
    }
}
// ANCHOR_END: drain

/// The protocol that connects a transport to a reader and a writer's flow
/// control.
struct StreamProtocol {
    reader: StreamReader,
    flow: Rc<FlowControl>,
    /// For servers: the coroutine to start with each new connection.
    on_connect: Option<Rc<dyn Fn(StreamReader, StreamWriter)>>,
}

impl Protocol for StreamProtocol {
    fn connection_made(&mut self, transport: Transport) {
        self.reader.inner.transport.replace(Some(transport.clone()));
        if let Some(on_connect) = &self.on_connect {
            let writer = StreamWriter::new(
                transport,
                self.flow.clone(),
                self.reader.clone(),
            );
            on_connect(self.reader.clone(), writer);
        }
    }

    fn data_received(&mut self, data: &[u8]) {
        self.reader.feed_data(data);
    }

    fn eof_received(&mut self) -> bool {
        self.reader.feed_eof();
        true // keep the write side open: the coroutine decides when to close
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        match error {
            Some(error) => self.reader.set_error(error),
            None => self.reader.feed_eof(),
        }
        self.reader.inner.transport.replace(None);
        self.flow.lost.set(true);
        self.flow.closed.set();
        self.flow.wake_all();
    }

    fn pause_writing(&mut self) {
        self.flow.paused.set(true);
    }

    fn resume_writing(&mut self) {
        self.flow.paused.set(false);
        self.flow.wake_all();
    }
}

// ANCHOR: open_connection
/// Connects to `host`:`port` and returns the connection's reader and writer
/// (`asyncio.open_connection`).
pub async fn open_connection(
    host: &str,
    port: u16,
) -> io::Result<(StreamReader, StreamWriter)> {
    let reader = StreamReader::new(DEFAULT_LIMIT);
    let flow = Rc::new(FlowControl::default());
    let protocol = StreamProtocol {
        reader: reader.clone(),
        flow: flow.clone(),
        on_connect: None,
    };
    let (transport, _protocol) =
        create_connection(protocol, host, port).await?;
    let writer = StreamWriter::new(transport, flow, reader.clone());
    Ok((reader, writer))
}

/// Listens on `host`:`port` and runs `client_connected(reader, writer)` as a
/// new task for every connection (`asyncio.start_server`).
pub async fn start_server<F, Fut>(
    client_connected: F,
    host: &str,
    port: u16,
) -> io::Result<Server>
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    create_server(stream_protocol_factory(client_connected), host, port).await
}

/// Connects to the Unix socket at `path` (`asyncio.open_unix_connection`).
pub async fn open_unix_connection(
    path: impl AsRef<Path>,
) -> io::Result<(StreamReader, StreamWriter)> {
    let reader = StreamReader::new(DEFAULT_LIMIT);
    let flow = Rc::new(FlowControl::default());
    let protocol = StreamProtocol {
        reader: reader.clone(),
        flow: flow.clone(),
        on_connect: None,
    };
    let (transport, _protocol) = create_unix_connection(protocol, path).await?;
    let writer = StreamWriter::new(transport, flow, reader.clone());
    Ok((reader, writer))
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
    create_unix_server(stream_protocol_factory(client_connected), path).await
}

/// Makes a stream protocol per connection, each starting `client_connected` in
/// a task.
fn stream_protocol_factory<F, Fut>(
    client_connected: F,
) -> impl Fn() -> StreamProtocol + 'static
where
    F: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let client_connected = Rc::new(client_connected);
    let on_connect: Rc<dyn Fn(StreamReader, StreamWriter)> =
        Rc::new(move |reader, writer| {
            if let Err(error) = crate::ch01_coroutines::spawn::spawn(
                client_connected(reader, writer),
            ) {
                crate::ch01_coroutines::logging::error!(
                    "aio.streams",
                    "could not start the connection's task: {error}"
                );
            }
        });
    move || StreamProtocol {
        reader: StreamReader::new(DEFAULT_LIMIT),
        flow: Rc::new(FlowControl::default()),
        on_connect: Some(on_connect.clone()),
    }
}
// ANCHOR_END: open_connection

impl fmt::Debug for StreamReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReader")
            .field("buffered", &self.inner.buffer.borrow().len())
            .field("eof", &self.inner.eof.get())
            .finish()
    }
}

impl fmt::Debug for StreamWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamWriter")
            .field("transport", &self.transport)
            .finish()
    }
}
