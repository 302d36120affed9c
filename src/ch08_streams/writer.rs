//! Chapter 8 (streams): the writer, which wraps the transport; `drain` waits
//! while the transport's write buffer is over its high water mark.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch02_scheduling::sleep::sleep;
use crate::ch06_sync::event::Event;
use crate::ch07_protocols::interface::{ExtraInfo, Transport};
use crate::ch08_streams::reader::StreamReader;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

/// The writing half of a connection. Cloning gives another handle; when the
/// last one is dropped without `close`, the connection is closed (and that is
/// reported).
#[derive(Clone)]
pub struct StreamWriter {
    /// The transport underneath, shared by every clone: `start_tls`
    /// (chapter 9) puts a TLS transport in its place.
    transport: Rc<CurrentTransport>,
    flow: Rc<FlowControl>,
    reader: StreamReader,
}

/// The writer's transport, which every clone of the writer shares. When the
/// last clone goes without `close`, it closes the connection, as asyncio does
/// when it collects a forgotten writer.
pub(crate) struct CurrentTransport(RefCell<Transport>);

impl CurrentTransport {
    fn get(&self) -> Transport {
        self.0.borrow().clone()
    }
}

impl Drop for CurrentTransport {
    fn drop(&mut self) {
        let transport = self.0.get_mut();
        if !transport.is_closing() {
            crate::ch01_coroutines::logging::warn!(
                "aio.streams",
                "a StreamWriter was dropped without close(); closing its connection (call writer.close())"
            );
            transport.close();
        }
    }
}

impl StreamWriter {
    /// A writer on `transport`, waiting in `drain` on `flow`.
    pub(crate) fn new(
        transport: Transport,
        flow: Rc<FlowControl>,
        reader: StreamReader,
    ) -> StreamWriter {
        let transport = Rc::new(CurrentTransport(RefCell::new(transport)));
        StreamWriter { transport, flow, reader }
    }

    /// Puts `transport` under the writer, for every clone (chapter 9's
    /// `start_tls`).
    pub(crate) fn replace_transport(&self, transport: Transport) {
        self.transport.0.replace(transport);
    }

    /// The flow control that `drain` waits on.
    pub(crate) fn flow(&self) -> &Rc<FlowControl> {
        &self.flow
    }
}

/// What `drain` waits on: the protocol's view of the transport's write buffer.
#[derive(Default)]
pub(crate) struct FlowControl {
    paused: Cell<bool>,
    lost: Cell<bool>,
    closed: Event,
    waiters: RefCell<Vec<Waker>>,
}

impl FlowControl {
    /// The transport's buffer went over the high water mark.
    pub(crate) fn pause(&self) {
        self.paused.set(true);
    }

    /// The buffer drained below the low water mark: wake every `drain`.
    pub(crate) fn resume(&self) {
        self.paused.set(false);
        self.wake_all();
    }

    /// The connection is gone: `drain` fails, `wait_closed` returns.
    pub(crate) fn lose(&self) {
        self.lost.set(true);
        self.closed.set();
        self.wake_all();
    }

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
        self.transport.get().write(data)
    }

    /// Queues several buffers, in order.
    pub fn writelines<B: AsRef<[u8]>>(
        &self,
        buffers: impl IntoIterator<Item = B>,
    ) -> io::Result<()> {
        self.transport.get().writelines(buffers)
    }

    /// Waits while the transport's buffer is above its high water mark. Fails
    /// once the connection is lost: with the error that ended it (a reset
    /// that a `write` met, say), or else `ConnectionReset`.
    pub async fn drain(&self) -> io::Result<()> {
        if let Some(error) = self.reader.exception() {
            return Err(error);
        }
        if self.is_closing() {
            // Let the connection's task run first, so that a connection on its
            // way out (a failed write aborts it) is lost when we look, as
            // asyncio's `drain` does with `sleep(0)`.
            sleep(Duration::ZERO).await;
        }
        let mut waited = false;
        poll_fn(|cx| {
            if self.flow.lost.get() {
                // The error that ended the connection, if one did. A drain
                // that was waiting when it ended cleanly returns normally, as
                // asyncio's `connection_lost(None)` completes its waiters; one
                // that comes later fails, as asyncio's `ConnectionResetError`.
                return Poll::Ready(match self.reader.exception() {
                    Some(error) => Err(error),
                    None if waited => Ok(()),
                    None => Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "the connection was lost",
                    )),
                });
            }
            if !self.flow.paused.get() {
                return Poll::Ready(Ok(()));
            }
            waited = true;
            self.flow.waiters.borrow_mut().push(cx.waker().clone());
            awaiting::note(|| WaitingOn::Io("the write buffer to drain"));
            Poll::Pending
        })
        .await
    }

    /// Closes the write side once the buffer is flushed. Over TLS, which has
    /// no half-close, it fails with `Unsupported` (check `can_write_eof`).
    pub fn write_eof(&self) -> io::Result<()> {
        self.transport.get().write_eof()
    }

    /// Whether `write_eof` is supported.
    pub fn can_write_eof(&self) -> bool {
        self.transport.get().can_write_eof()
    }

    /// Closes the connection once the buffer is flushed.
    pub fn close(&self) {
        self.transport.get().close();
    }

    /// Whether the connection is closing or closed.
    pub fn is_closing(&self) -> bool {
        self.transport.get().is_closing()
    }

    /// Waits until the connection is closed.
    pub async fn wait_closed(&self) {
        self.flow.closed.wait().await;
    }

    /// asyncio's `get_extra_info`: `"peername"` and `"sockname"`, and for
    /// TLS `"peercert"`, `"cipher"` and `"version"`.
    pub fn get_extra_info(&self, name: &str) -> Option<ExtraInfo> {
        self.transport.get().get_extra_info(name)
    }

    /// The peer's address.
    pub fn peername(&self) -> Option<SocketAddr> {
        self.transport.get().peername()
    }

    /// The transport underneath (after `start_tls`, the TLS one).
    pub fn transport(&self) -> Transport {
        self.transport.get()
    }

    /// The reader of the same connection.
    pub fn reader(&self) -> &StreamReader {
        &self.reader
    }
}
// ANCHOR_END: drain

impl fmt::Debug for StreamWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamWriter")
            .field("transport", &self.transport.get())
            .finish()
    }
}
