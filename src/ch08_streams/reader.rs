//! Chapter 8 (streams): the reader, a buffer that the transport fills and
//! coroutines read from (`read`, `readexactly`, `readuntil`, `readline`).
//!
//! The buffer has a limit (64 KiB by default): past twice the limit the reader
//! pauses the transport's reading, and a line longer than the limit is an
//! error that leaves the connection usable.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch07_protocols::interface::Transport;
use crate::ch08_streams::byte_buffer::ByteBuffer;
use crate::ch08_streams::stream_error::StreamError;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The reader's default buffer limit (asyncio's 64 KiB).
pub const DEFAULT_LIMIT: usize = 64 * 1024;

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

    /// Gives the reader its transport (to pause and resume its reading), or
    /// takes it away once the connection is lost.
    pub(crate) fn set_transport(&self, transport: Option<Transport>) {
        self.inner.transport.replace(transport);
    }

    /// Ends the stream with `error`: every later read reports it.
    pub(crate) fn set_error(&self, error: io::Error) {
        self.inner.error.replace(Some((error.kind(), error.to_string())));
        self.inner.eof.set(true);
        self.wake_waiter();
    }

    /// The error that ended the connection, if one did (asyncio's
    /// `exception()`), as a fresh copy each time.
    pub(crate) fn exception(&self) -> Option<io::Error> {
        let error = self.inner.error.borrow();
        let (kind, message) = error.as_ref()?;
        Some(io::Error::new(*kind, message.clone()))
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
        if let Some(error) = self.exception() {
            return Poll::Ready(Err(StreamError::Io(error)));
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
        awaiting::note(|| WaitingOn::Io("data to read"));
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

    /// Reads up to and including `separator`. If the separator starts past
    /// the limit, or no separator can start within it, it fails with
    /// `LimitOverrun` and leaves the data in the buffer; at EOF without one,
    /// with `IncompleteRead` carrying what was left.
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
            // No separator starts before `searched_from`; one may still start
            // in the last `separator.len() - 1` bytes.
            searched_from = buffered.saturating_sub(separator.len() - 1);
            if searched_from > self.inner.limit {
                return Err(StreamError::LimitOverrun {
                    consumed: searched_from,
                });
            }
            if self.inner.eof.get() {
                let partial = self.consume(buffered);
                return Err(StreamError::IncompleteRead {
                    partial,
                    expected: None,
                });
            }
            poll_fn(|cx| self.poll_more(cx, buffered)).await?;
        }
    }

    /// Reads one line, `\n` included. At EOF, returns what is left (possibly
    /// empty). A line longer than the limit fails with `LimitOverrun`, and,
    /// as in asyncio, the line is dropped so that the stream can go on: up to
    /// and including its newline if that has arrived, or else everything
    /// buffered (the next `readline` then returns the rest of the long line).
    pub async fn readline(&self) -> Result<Vec<u8>, StreamError> {
        match self.readuntil(b"\n").await {
            Ok(line) => Ok(line),
            Err(StreamError::IncompleteRead { partial, .. }) => Ok(partial),
            Err(StreamError::LimitOverrun { consumed }) => {
                self.drop_overrun(consumed, b"\n");
                Err(StreamError::LimitOverrun { consumed })
            }
            Err(other) => Err(other),
        }
    }

    /// Drops what a `readuntil(separator)` that overran its limit left: up to
    /// and including the separator if it starts at `consumed`, or else the
    /// whole buffer (asyncio's `readline`).
    fn drop_overrun(&self, consumed: usize, separator: &[u8]) {
        let (through_separator, buffered) = {
            let buffer = self.inner.buffer.borrow();
            let from = consumed.min(buffer.len());
            (buffer.as_slice()[from..].starts_with(separator), buffer.len())
        }; // the borrow ends here: `consume` borrows the buffer mutably
        let line = if through_separator {
            consumed + separator.len()
        } else {
            buffered
        };
        drop(self.consume(line));
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
#[must_use = "a stream of lines does nothing unless polled"]
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

impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lines")
            .field("reader", &self.reader)
            .field("reading", &self.pending.is_some())
            .field("ended", &self.ended)
            .finish()
    }
}

impl fmt::Debug for StreamReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReader")
            .field("buffered", &self.inner.buffer.borrow().len())
            .field("eof", &self.inner.eof.get())
            .finish()
    }
}
