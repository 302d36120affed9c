//! Chapter 7 (protocols): TCP transports, and the protocols they call back.
//!
//! asyncio's lowest user-facing layer is a pair: a *transport* that owns the
//! socket and a buffer, and a *protocol* whose methods the transport calls as
//! things happen (`connection_made`, `data_received`, `eof_received`,
//! `connection_lost`). aio's [`Transport`] is driven by one task per
//! connection, which waits for readiness, reads until `WouldBlock` (16 reads at
//! most per turn, so others get theirs), flushes the write buffer, and applies
//! flow control: past the high water mark it tells the protocol to
//! `pause_writing`, and below the low one to `resume_writing`.
//! A protocol method is never called from inside another one: a pause that a
//! protocol causes by writing from its own `data_received` is delivered by the
//! connection's task right after, instead of re-entering the protocol.
//!
//! A protocol method that panics ends its own connection and nothing else: the
//! panic is logged, the transport aborts, and `connection_lost` hears of it (as
//! asyncio closes a transport whose protocol raised).

use crate::ch07_protocols::callbacks::{FlowNews, ProtocolSlot};
use crate::ch07_protocols::interface::{
    DEFAULT_HIGH_WATER, ExtraInfo, Protocol, Transport, TransportOps,
};
use crate::ch07_protocols::io_steps::{
    Flush, KEPT_CAPACITY, ReadBudget, Receive, Socket, TaskWaker, flush_step,
    read_step, spares, with_read_buffer,
};
use crate::ch07_protocols::life::{Life, WriteSide};
use crate::ch07_protocols::reactor::IoSource;
use crate::ch07_protocols::socket::{ByteStream, Connection};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::task::{Context, Poll};

/// A socket's transport, behind the [`Transport`] handle a protocol holds.
/// Cloning gives another hold on the same transport. What carries the bytes
/// is a [`ByteStream`]: a TCP or Unix socket here, one end of a pipe in
/// chapter 11.
pub(crate) struct SocketTransport<S: ByteStream = Connection> {
    inner: Rc<TransportInner<S>>,
}

impl<S: ByteStream> Clone for SocketTransport<S> {
    fn clone(&self) -> Self {
        SocketTransport { inner: self.inner.clone() }
    }
}

// ANCHOR: transport_inner
struct TransportInner<S: ByteStream> {
    socket: Socket<S>,
    /// The protocol, and what is ending the connection badly: the error a
    /// `write` met on the socket, or a protocol method's panic.
    protocol: ProtocolSlot<dyn Protocol>,
    write_buffer: RefCell<VecDeque<u8>>,
    peer: Option<SocketAddr>,
    local: Option<SocketAddr>,
    /// Open (perhaps half-closed), closing, or lost.
    life: Cell<Life>,
    /// `pause_reading()` was called (the protocol's choice, in any state).
    reading_paused: Cell<bool>,
    /// The write buffer went over the high water mark, and has not yet
    /// drained to the low one (the transport's choice, in any state).
    writing_paused: Cell<bool>,
    /// A pause or resume the protocol has yet to hear about.
    flow_news: FlowNews,
    high_water: Cell<usize>,
    low_water: Cell<usize>,
    driver: TaskWaker,
    /// What ended the connection, once it is lost: a later `write` says so.
    ended_by: RefCell<Option<(io::ErrorKind, String)>>,
}
// ANCHOR_END: transport_inner

impl<S: ByteStream> SocketTransport<S> {
    /// Wraps a connected, registered stream, calls `connection_made`, and
    /// spawns the task that drives the connection.
    pub(crate) fn start(
        io: IoSource<S>,
        protocol: Rc<RefCell<dyn Protocol>>,
    ) -> io::Result<Transport> {
        let (peer, local) = io
            .with(|stream| {
                stream.prepare(); // TCP: no Nagle, as asyncio does
                (stream.peer_addr(), stream.local_addr())
            })
            .unwrap_or_default();
        let transport = SocketTransport {
            inner: Rc::new(TransportInner {
                socket: Socket::new(io),
                protocol: ProtocolSlot::new(protocol),
                write_buffer: RefCell::default(),
                peer,
                local,
                life: Cell::new(Life::OPEN),
                reading_paused: Cell::new(false),
                writing_paused: Cell::new(false),
                flow_news: FlowNews::default(),
                high_water: Cell::new(DEFAULT_HIGH_WATER),
                low_water: Cell::new(DEFAULT_HIGH_WATER / 4),
                driver: TaskWaker::default(),
                ended_by: RefCell::new(None),
            }),
        };
        let handle = Transport::new(Rc::new(transport.clone()));
        // A panic here aborts the transport: its task ends it at once.
        transport.with_protocol("protocol.connection_made()", |protocol| {
            protocol.connection_made(handle.clone())
        });
        crate::ch01_coroutines::spawn::spawn_machinery(async move {
            transport.drive().await
        })
        .map_err(io::Error::other)?;
        Ok(handle)
    }

    // ANCHOR: write_refused
    /// Why `write` takes no more data, in words that say what happened and
    /// what to do. The error kinds are asyncio's: a closed stream raises
    /// `ConnectionResetError`.
    fn write_refused(&self) -> io::Error {
        use io::ErrorKind::{BrokenPipe, ConnectionReset};
        if let Some(read_only) = read_only::<S>() {
            return read_only;
        }
        let life = self.inner.life.get();
        let ended_by = match life {
            Life::Open { .. } => None,
            Life::Closing => self.inner.protocol.failure(),
            Life::Lost => self.inner.ended_by.borrow().clone(),
        };
        let (kind, message) = match (life, ended_by) {
            (Life::Open { .. }, _) => (
                BrokenPipe,
                "cannot write after write_eof(); write everything before \
                 calling write_eof()"
                    .to_owned(),
            ),
            (_, Some((kind, why))) => (
                kind,
                format!(
                    "cannot write: the connection was lost: {why}; open a new \
                     connection to send more"
                ),
            ),
            (Life::Closing, None) => (
                ConnectionReset,
                "cannot write: the transport is closing (close() was called, \
                 or eof_received() returned false); write everything before \
                 closing"
                    .to_owned(),
            ),
            (Life::Lost, None) => (
                ConnectionReset,
                "cannot write: the connection is closed; write everything \
                 before closing, or open a new connection"
                    .to_owned(),
            ),
        };
        io::Error::new(kind, message)
    }
    // ANCHOR_END: write_refused

    /// A write met a socket error: the connection is over, as asyncio's
    /// `_fatal_error` decides. Aborts at once (so the transport is closing
    /// before the writer hears of the error) and leaves the error for the
    /// connection's task to end the connection with; gives the writer a copy.
    fn fail(&self, error: io::Error) -> io::Error {
        let copy = io::Error::new(error.kind(), error.to_string());
        self.inner.protocol.fail(error);
        self.abort();
        copy
    }
}

/// The error of a write to a stream that is only read (a pipe's read end),
/// if `S` is one.
fn read_only<S: ByteStream>() -> Option<io::Error> {
    S::WRITE_REFUSAL.map(|why| io::Error::new(io::ErrorKind::Unsupported, why))
}

/// The handle's methods, for a socket.
impl<S: ByteStream> TransportOps for SocketTransport<S> {
    // ANCHOR: write
    /// Queues `data` to be sent; sends at once what the socket takes. Fails
    /// after `write_eof` or `close`, once the connection is lost, and when the
    /// socket fails, which also ends the connection (`connection_lost` gets
    /// the error).
    fn write(&self, data: &[u8]) -> io::Result<()> {
        let inner = &*self.inner;
        if S::WRITE_REFUSAL.is_some() || !inner.life.get().accepts_writes() {
            return Err(self.write_refused());
        }
        let mut sent = 0;
        if inner.write_buffer.borrow().is_empty() {
            // Nothing queued: try the socket right away, as asyncio does.
            match inner.socket.with(|stream| stream.write(data)) {
                Some(Ok(n)) => sent = n,
                Some(Err(error))
                    if error.kind() == io::ErrorKind::WouldBlock => {}
                Some(Err(error)) => return Err(self.fail(error)),
                None => {}
            }
        }
        if sent < data.len() {
            let mut buffer = inner.write_buffer.borrow_mut();
            if buffer.capacity() == 0 {
                *buffer = VecDeque::from(spares::take());
            }
            buffer.extend(&data[sent..]);
            drop(buffer);
            self.wake_driver();
        }
        self.check_high_water();
        Ok(())
    }
    // ANCHOR_END: write

    /// Closes the write side once the buffer is flushed; the read side stays
    /// open.
    fn write_eof(&self) -> io::Result<()> {
        if let Some(read_only) = read_only::<S>() {
            return Err(read_only);
        }
        self.set_life(Life::eof_requested);
        self.wake_driver();
        Ok(())
    }

    /// Whether `write_eof` is supported: always, for TCP and Unix sockets and
    /// a pipe we write to; never for a pipe we read.
    fn can_write_eof(&self) -> bool {
        S::WRITE_REFUSAL.is_none()
    }

    /// Closes the transport once the buffer is flushed; `connection_lost(None)`
    /// follows.
    fn close(&self) {
        self.set_life(Life::closing);
        self.wake_driver();
    }

    /// Closes the transport at once, dropping unsent data.
    fn abort(&self) {
        self.inner.write_buffer.take(); // the data and its memory
        self.set_life(Life::closing);
        self.wake_driver();
    }

    /// Whether the transport is closing or closed.
    fn is_closing(&self) -> bool {
        self.inner.life.get().is_closing()
    }

    /// asyncio's `get_extra_info(name)` for the two addresses: `"peername"` or
    /// `"sockname"`; any other name gives `None`.
    fn get_extra_info(&self, name: &str) -> Option<ExtraInfo> {
        match name {
            "peername" => self.inner.peer.map(ExtraInfo::Address),
            "sockname" => self.inner.local.map(ExtraInfo::Address),
            _ => None,
        }
    }

    /// Stops calling `data_received` until `resume_reading`; on a stream
    /// that has nothing to read (a pipe we write to), does nothing.
    fn pause_reading(&self) {
        if S::PAUSES_READING {
            self.inner.reading_paused.set(true);
        }
    }

    /// Calls `data_received` again.
    fn resume_reading(&self) {
        self.inner.reading_paused.set(false);
        self.wake_driver();
    }

    /// Whether reading is paused.
    fn is_reading(&self) -> bool {
        !self.inner.reading_paused.get() && !self.is_closing()
    }

    /// Sets the write buffer's water marks. `low` defaults to a quarter of
    /// `high`.
    fn set_write_buffer_limits(&self, high: usize, low: Option<usize>) {
        let low = low.unwrap_or(high / 4).min(high);
        self.inner.high_water.set(high);
        self.inner.low_water.set(low);
        self.check_high_water();
    }

    /// How many bytes wait in the write buffer.
    fn get_write_buffer_size(&self) -> usize {
        self.inner.write_buffer.borrow().len()
    }
    fn get_write_buffer_limits(&self) -> (usize, usize) {
        (self.inner.low_water.get(), self.inner.high_water.get())
    }

    fn set_protocol(&self, protocol: Rc<RefCell<dyn Protocol>>) {
        self.inner.protocol.replace(protocol);
    }

    #[cfg(test)]
    fn write_buffer_capacity(&self) -> usize {
        self.inner.write_buffer.borrow().capacity()
    }

    fn describe(&self) -> String {
        format!(
            "Transport {{ peer: {:?}, closing: {}, buffered: {} }}",
            self.inner.peer,
            self.is_closing(),
            self.get_write_buffer_size()
        )
    }
}

impl<S: ByteStream> SocketTransport<S> {
    fn wake_driver(&self) {
        self.inner.driver.wake();
    }

    /// Moves the connection's life on by `transition`.
    fn set_life(&self, transition: fn(Life) -> Life) {
        let life = &self.inner.life;
        life.set(transition(life.get()));
    }

    // ANCHOR: check_high_water
    /// Tells the protocol to pause writing once the buffer is above the high
    /// water mark, unless it is paused already (`write_step` resumes it at the
    /// low one).
    fn check_high_water(&self) {
        let inner = &*self.inner;
        if !inner.writing_paused.get()
            && self.get_write_buffer_size() > inner.high_water.get()
        {
            inner.writing_paused.set(true);
            self.tell_protocol_flow(true);
        }
    }

    /// Tells the protocol to pause or resume writing: at once, as asyncio does,
    /// unless the protocol is busy in one of its own methods (it wrote from
    /// `data_received`); then the connection's task tells it as soon as that
    /// method returns.
    fn tell_protocol_flow(&self, paused: bool) {
        if self.inner.flow_news.tell(paused, |paused| self.call_flow(paused)) {
            self.wake_driver();
        }
    }
    // ANCHOR_END: check_high_water

    // ANCHOR: drive
    /// The connection's task: read, flush, and report, until the connection is
    /// lost.
    async fn drive(self) {
        // If the task is cancelled (the loop shuts down), the connection still
        // ends properly: the socket is closed and `connection_lost` is called.
        let _lose_on_cancel = LoseOnDrop(self.clone());
        poll_fn(|cx| {
            self.inner.driver.remember(cx);
            // One budget for the whole poll, however often the loop goes
            // round.
            let mut budget = ReadBudget::new();
            loop {
                self.tell_flow_news();
                let socket = &self.inner.socket;
                // The loop's read buffer, lent for this read step only.
                let read = with_read_buffer(|buffer| {
                    read_step(socket, cx, buffer, &self, &mut budget)
                });
                if let ControlFlow::Break(end) = read {
                    return Poll::Ready(end);
                }
                let wrote = match self.write_step(cx) {
                    ControlFlow::Break(end) => return Poll::Ready(end),
                    ControlFlow::Continue(wrote) => wrote,
                };
                // Go round again after progress (a protocol told to resume
                // may have written more) or news, unless the budget is spent.
                let more = wrote || self.inner.flow_news.is_waiting();
                if budget.is_spent() || !more {
                    return budget.end_poll(cx);
                }
            }
        })
        .await
        .map_or_else(|error| self.lose(Some(error)), |()| self.lose(None));
    }
    // ANCHOR_END: drive

    // ANCHOR: write_step
    /// Flushes the buffer, then carries out `write_eof` and `close`. Gives
    /// whether progress was made; `Break` ends the connection.
    fn write_step(
        &self,
        cx: &mut Context<'_>,
    ) -> ControlFlow<io::Result<()>, bool> {
        let inner = &*self.inner;
        let progressed = flush_step(&inner.socket, cx, self)?;
        let buffered = inner.write_buffer.borrow().len();
        if inner.writing_paused.get() && buffered <= inner.low_water.get() {
            inner.writing_paused.set(false);
            self.tell_protocol_flow(false);
        }
        if buffered == 0 {
            match inner.life.get() {
                // A failure, if any, is `lose`'s to report.
                Life::Closing => return ControlFlow::Break(Ok(())),
                Life::Open { peer_eof, write: WriteSide::EofRequested } => {
                    self.set_life(Life::eof_sent);
                    let _ = inner.socket.with(S::shutdown_write);
                    if peer_eof || !S::HALF_CLOSES {
                        // Both directions are done.
                        return ControlFlow::Break(Ok(()));
                    }
                }
                Life::Open { .. } | Life::Lost => {}
            }
        }
        ControlFlow::Continue(progressed)
    }
    // ANCHOR_END: write_step

    /// Delivers a pending `pause_writing` / `resume_writing` to the protocol.
    fn tell_flow_news(&self) {
        self.inner.flow_news.deliver(|paused| self.call_flow(paused));
    }

    /// Calls `pause_writing` or `resume_writing`; `None` if the protocol could
    /// not be told.
    fn call_flow(&self, paused: bool) -> Option<()> {
        if paused {
            self.with_protocol("protocol.pause_writing()", |protocol| {
                protocol.pause_writing()
            })
        } else {
            self.with_protocol("protocol.resume_writing()", |protocol| {
                protocol.resume_writing()
            })
        }
    }

    // ANCHOR: with_protocol
    /// Calls one protocol method, `name`d for the log, unless the protocol is
    /// gone (the connection is lost), busy in a method of its own, or has
    /// panicked. A panic aborts the transport; `connection_lost` hears of it.
    fn with_protocol<R>(
        &self,
        name: &str,
        call: impl FnOnce(&mut dyn Protocol) -> R,
    ) -> Option<R> {
        self.inner.protocol.call(name, call, || self.abort())
    }
    // ANCHOR_END: with_protocol

    /// Ends the connection: closes the socket and calls `connection_lost` once.
    fn lose(&self, error: Option<io::Error>) {
        let inner = &*self.inner;
        if inner.life.replace(Life::Lost) == Life::Lost {
            return;
        }
        // A resume still on its way arrives before the goodbye.
        self.tell_flow_news();
        inner.socket.close(); // deregister and close the socket
        inner.write_buffer.take();
        // A failure (a panicking protocol method, a failed write) is what
        // ended the connection, whatever the socket did after.
        let ended_by = inner
            .protocol
            .end(error, |protocol, error| protocol.connection_lost(error));
        inner.ended_by.replace(ended_by);
    }
}

// ANCHOR: stream_steps
/// What a read is, for a stream: bytes, or EOF.
impl<S: ByteStream> Receive<S> for SocketTransport<S> {
    type Received = usize;
    type End = io::Result<()>;

    fn wants_to_read(&self) -> bool {
        let inner = &*self.inner;
        // News still on its way first: a protocol told to pause writing
        // may pause reading too, before it is handed more to echo.
        !inner.reading_paused.get()
            && inner.life.get().reads()
            && !inner.flow_news.is_waiting()
    }

    fn receive(&self, stream: &S, chunk: &mut [u8]) -> io::Result<usize> {
        stream.read(chunk)
    }

    fn deliver(
        &self,
        chunk: &[u8],
        received: io::Result<usize>,
    ) -> ControlFlow<io::Result<()>> {
        match received {
            Err(error) => return ControlFlow::Break(Err(error)),
            Ok(0) => {
                self.set_life(Life::peer_eof);
                let keep_open = self
                    .with_protocol("protocol.eof_received()", |protocol| {
                        protocol.eof_received()
                    })
                    .unwrap_or(false);
                if !keep_open {
                    self.close();
                }
            }
            Ok(n) => {
                self.with_protocol("protocol.data_received()", |protocol| {
                    protocol.data_received(&chunk[..n])
                });
            }
        }
        ControlFlow::Continue(())
    }
}

/// What a write is, for a stream: as many bytes from the front of the buffer
/// as the socket takes.
impl<S: ByteStream> Flush<S> for SocketTransport<S> {
    type Sent = usize;
    type End = io::Result<()>;

    fn has_queued(&self) -> bool {
        !self.inner.write_buffer.borrow().is_empty()
    }

    fn send_front(&self, stream: &S) -> io::Result<usize> {
        let buffer = self.inner.write_buffer.borrow();
        let (front, _) = buffer.as_slices();
        stream.write(front)
    }

    fn sent(&self, sent: io::Result<usize>) -> ControlFlow<io::Result<()>> {
        match sent {
            Ok(n) => {
                let mut buffer = self.inner.write_buffer.borrow_mut();
                buffer.drain(..n);
                if buffer.is_empty() && buffer.capacity() > KEPT_CAPACITY {
                    // A burst is over: its memory goes to the thread's spares
                    // (an empty `VecDeque` becomes a `Vec` without a copy).
                    spares::give(Vec::from(std::mem::take(&mut *buffer)));
                }
                ControlFlow::Continue(())
            }
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}
// ANCHOR_END: stream_steps

/// Ends the connection when dropped, unless it has already ended.
struct LoseOnDrop<S: ByteStream>(SocketTransport<S>);

impl<S: ByteStream> Drop for LoseOnDrop<S> {
    fn drop(&mut self) {
        if self.0.inner.life.get() != Life::Lost {
            self.0.lose(Some(io::Error::new(
                io::ErrorKind::Interrupted,
                "the connection's task was cancelled",
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::clock::ClockKind;
    use crate::ch01_coroutines::event_loop::EventLoop;
    use crate::ch02_scheduling::sleep::sleep;
    use std::io::Read;
    use std::time::Duration;

    /// A protocol that hears nothing it acts on: the test does the writing.
    struct Quiet;
    impl Protocol for Quiet {}

    #[test]
    fn a_write_buffer_that_drains_gives_its_memory_back() {
        const BURST: usize = 4 << 20; // more than a socket buffer takes
        let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        ours.set_nonblocking(true).unwrap();
        let ours = Connection::Unix(mio::net::UnixStream::from_std(ours));
        let event_loop =
            EventLoop::builder().clock(ClockKind::Real).build().unwrap();
        let (queued, left) = event_loop
            .run_until_complete(async move {
                let io = IoSource::new(ours).unwrap();
                let quiet = Rc::new(RefCell::new(Quiet));
                let transport = SocketTransport::start(io, quiet).unwrap();
                transport.write(&vec![7u8; BURST]).unwrap();
                let queued = transport.write_buffer_capacity();
                let peer = std::thread::spawn(move || {
                    let mut all = vec![0u8; BURST];
                    (&theirs).read_exact(&mut all).map(|()| theirs)
                });
                // The peer reads it all; the transport's task flushes. The
                // bound on the turns is a hang guard.
                for _ in 0..100_000 {
                    if transport.get_write_buffer_size() == 0 {
                        break;
                    }
                    sleep(Duration::from_millis(1)).await;
                }
                let left = transport.write_buffer_capacity();
                drop(peer.join().unwrap().unwrap());
                transport.close();
                (queued, left)
            })
            .unwrap();
        assert!(queued > KEPT_CAPACITY, "the burst was queued ({queued})");
        assert!(left <= KEPT_CAPACITY, "the drained buffer keeps {left}");
        event_loop.close().unwrap();
    }
}
