//! Chapter 7 (protocols): UDP datagram endpoints
//! (`loop.create_datagram_endpoint`).
//!
//! Datagrams have no connection and no stream: each one arrives whole, with the
//! address it came from. A [`DatagramProtocol`] hears `datagram_received(data,
//! address)`; a [`DatagramTransport`] sends with `sendto`. As with TCP, one
//! task per endpoint reads until `WouldBlock` (or its read budget for the
//! turn is spent) and flushes what could not be sent at once. A protocol
//! method that panics closes its endpoint, and `connection_lost` hears of it,
//! as for streams.

use crate::ch01_coroutines::spawn::spawn_machinery;
use crate::ch07_protocols::callbacks::ProtocolSlot;
use crate::ch07_protocols::io_steps::{
    Flush, ReadBudget, Receive, Socket, TaskWaker, flush_step, read_step,
    with_read_buffer,
};
use crate::ch07_protocols::reactor::IoSource;
use crate::ch07_protocols::resolver::resolve;
use mio::net::UdpSocket;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::task::Poll;

/// The callbacks of a datagram endpoint (asyncio's `DatagramProtocol`). A
/// method that panics is logged and closes the endpoint: after it, only
/// `connection_lost` is called, once, with the panic as its error.
pub trait DatagramProtocol: 'static {
    /// The endpoint is ready; keep `transport` to send.
    fn connection_made(&mut self, transport: DatagramTransport) {
        let _ = transport;
    }
    /// A datagram arrived from `address`.
    fn datagram_received(&mut self, data: &[u8], address: SocketAddr) {
        let _ = (data, address);
    }
    /// A send or receive failed (for example, a port-unreachable report).
    fn error_received(&mut self, error: io::Error) {
        let _ = error;
    }
    /// The endpoint was closed.
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let _ = error;
    }
}

/// A datagram endpoint's transport. Cloning gives another handle to the same
/// one.
#[derive(Clone)]
pub struct DatagramTransport {
    inner: Rc<DatagramInner>,
}

struct DatagramInner {
    socket: Socket<UdpSocket>,
    protocol: ProtocolSlot<dyn DatagramProtocol>,
    /// Datagrams the socket could not take at once, with their destination.
    unsent: RefCell<VecDeque<(Vec<u8>, Option<SocketAddr>)>>,
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
    closing: Cell<bool>,
    driver: TaskWaker,
}

// ANCHOR: datagram
/// Opens a UDP endpoint bound to `local` (host and port; port 0 picks one) and,
/// with `remote`, connected to that peer so `sendto(data, None)` goes there
/// (asyncio's `loop.create_datagram_endpoint`).
pub async fn create_datagram_endpoint<P: DatagramProtocol>(
    protocol: P,
    local: Option<(&str, u16)>,
    remote: Option<(&str, u16)>,
) -> io::Result<(DatagramTransport, Rc<RefCell<P>>)> {
    let remote = match remote {
        Some((host, port)) => Some(resolve(host, port).await?[0]),
        None => None,
    };
    let local = match local {
        Some((host, port)) => resolve(host, port).await?[0],
        None if remote.is_some_and(|address| address.is_ipv6()) => {
            "[::]:0".parse().expect("a valid address")
        }
        None => "0.0.0.0:0".parse().expect("a valid address"),
    };
    let socket = UdpSocket::bind(local)?;
    if let Some(remote) = remote {
        socket.connect(remote)?;
    }
    let bound = socket.local_addr().ok();
    let protocol = Rc::new(RefCell::new(protocol));
    let shared: Rc<RefCell<dyn DatagramProtocol>> = protocol.clone();
    let transport = DatagramTransport {
        inner: Rc::new(DatagramInner {
            socket: Socket::new(IoSource::new(socket)?),
            protocol: ProtocolSlot::new(shared),
            unsent: RefCell::default(),
            local: bound,
            remote,
            closing: Cell::new(false),
            driver: TaskWaker::default(),
        }),
    };
    transport.with_protocol("protocol.connection_made()", |protocol| {
        protocol.connection_made(transport.clone())
    });
    let driven = transport.clone();
    spawn_machinery(async move { driven.drive().await })
        .map_err(io::Error::other)?;
    Ok((transport, protocol))
}

// ANCHOR_END: datagram

impl DatagramTransport {
    // ANCHOR: sendto
    /// Sends `data` to `address`, or to the connected peer with `None`.
    pub fn sendto(
        &self,
        data: &[u8],
        address: Option<SocketAddr>,
    ) -> io::Result<()> {
        let inner = &*self.inner;
        if inner.closing.get() {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the endpoint is closed",
            ));
        }
        if address.is_none() && inner.remote.is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no address: give one, or open the endpoint with \
                 a remote address",
            ));
        }
        if inner.unsent.borrow().is_empty() {
            let sent = inner.socket.with(|socket| match address {
                Some(address) => socket.send_to(data, address),
                None => socket.send(data),
            });
            match sent {
                Some(Ok(_)) => return Ok(()),
                Some(Err(error))
                    if error.kind() == io::ErrorKind::WouldBlock => {}
                Some(Err(error)) => return Err(error),
                None => {}
            }
        }
        inner.unsent.borrow_mut().push_back((data.to_vec(), address));
        self.wake_driver();
        Ok(())
    }
    // ANCHOR_END: sendto

    /// Closes the endpoint once the queued datagrams are sent;
    /// `connection_lost(None)` follows.
    pub fn close(&self) {
        self.inner.closing.set(true);
        self.wake_driver();
    }

    /// Whether the endpoint is closing or closed.
    pub fn is_closing(&self) -> bool {
        self.inner.closing.get()
    }

    /// asyncio's `get_extra_info` for `"sockname"` and `"peername"`.
    pub fn get_extra_info(&self, name: &str) -> Option<SocketAddr> {
        match name {
            "sockname" => self.inner.local,
            "peername" => self.inner.remote,
            _ => None,
        }
    }

    fn wake_driver(&self) {
        self.inner.driver.wake();
    }

    /// Calls one protocol method, `name`d for the log (see
    /// [`ProtocolSlot::call`]). A panic closes the endpoint, dropping unsent
    /// datagrams; `connection_lost` hears of it.
    fn with_protocol(
        &self,
        name: &str,
        call: impl FnOnce(&mut dyn DatagramProtocol),
    ) {
        self.inner.protocol.call(name, call, || {
            self.inner.unsent.borrow_mut().clear();
            self.close();
        });
    }

    /// Whether the endpoint is closed and every queued datagram sent.
    fn is_done(&self) -> bool {
        self.inner.closing.get() && self.inner.unsent.borrow().is_empty()
    }

    // ANCHOR: datagram_drive
    /// The endpoint's task: receive and deliver, flush unsent datagrams, until
    /// closed.
    async fn drive(self) {
        // Cancelled (the loop shuts down) or done: either way the endpoint ends
        // here.
        let _end = EndOnDrop(self.clone());
        poll_fn(|cx| {
            self.inner.driver.remember(cx);
            let socket = &self.inner.socket;
            let mut budget = ReadBudget::new();
            let ControlFlow::Continue(()) = with_read_buffer(|buffer| {
                read_step(socket, cx, buffer, &self, &mut budget)
            });
            let ControlFlow::Continue(_) = flush_step(socket, cx, &self);
            // Checked after the flush: the datagrams a `close` waits for may
            // have just gone, and no event will come to say so.
            if self.is_done() {
                return Poll::Ready(());
            }
            budget.end_poll(cx)
        })
        .await;
    }
    // ANCHOR_END: datagram_drive
}

// ANCHOR: datagram_steps
/// What a read is, for UDP: one whole datagram and its sender. A failed read
/// is reported to the protocol, and reading goes on.
impl Receive<UdpSocket> for DatagramTransport {
    type Received = (usize, SocketAddr);
    type End = std::convert::Infallible;

    fn wants_to_read(&self) -> bool {
        !self.is_done()
    }

    fn receive(
        &self,
        socket: &UdpSocket,
        buffer: &mut [u8],
    ) -> io::Result<(usize, SocketAddr)> {
        socket.recv_from(buffer)
    }

    fn deliver(
        &self,
        buffer: &[u8],
        received: io::Result<(usize, SocketAddr)>,
    ) -> ControlFlow<Self::End> {
        match received {
            Ok((n, from)) => self
                .with_protocol("protocol.datagram_received()", |protocol| {
                    protocol.datagram_received(&buffer[..n], from)
                }),
            Err(error) => self
                .with_protocol("protocol.error_received()", |protocol| {
                    protocol.error_received(error)
                }),
        }
        ControlFlow::Continue(())
    }
}

/// What a write is, for UDP: the first queued datagram, sent whole. It leaves
/// the queue even if sending failed; the protocol hears of the error.
impl Flush<UdpSocket> for DatagramTransport {
    type Sent = usize;
    type End = std::convert::Infallible;

    fn has_queued(&self) -> bool {
        !self.inner.unsent.borrow().is_empty()
    }

    fn send_front(&self, socket: &UdpSocket) -> io::Result<usize> {
        let unsent = self.inner.unsent.borrow();
        let Some((data, address)) = unsent.front() else {
            return Ok(0); // nothing queued
        };
        match address {
            Some(address) => socket.send_to(data, *address),
            None => socket.send(data),
        }
    }

    fn sent(&self, sent: io::Result<usize>) -> ControlFlow<Self::End> {
        self.inner.unsent.borrow_mut().pop_front();
        if let Err(error) = sent {
            self.with_protocol("protocol.error_received()", |protocol| {
                protocol.error_received(error)
            });
        }
        ControlFlow::Continue(())
    }
}
// ANCHOR_END: datagram_steps

/// Closes the socket and calls `connection_lost` once, when the endpoint's task
/// ends.
struct EndOnDrop(DatagramTransport);

impl Drop for EndOnDrop {
    fn drop(&mut self) {
        let inner = &*self.0.inner;
        inner.closing.set(true);
        inner.socket.close();
        inner
            .protocol
            .end(None, |protocol, error| protocol.connection_lost(error));
    }
}

impl fmt::Debug for DatagramTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatagramTransport")
            .field("local", &self.inner.local)
            .field("remote", &self.inner.remote)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::clock::ClockKind;
    use crate::ch01_coroutines::event_loop::EventLoop;
    use crate::ch03_futures::promise::Promise;
    use crate::ch05_control::timeouts::wait_for;
    use std::time::Duration;

    /// Settles a promise when the endpoint ends.
    struct HearsTheEnd(Promise<()>);

    impl DatagramProtocol for HearsTheEnd {
        fn connection_lost(&mut self, _error: Option<io::Error>) {
            let _ = self.0.set_result(());
        }
    }

    #[test]
    fn close_with_a_queued_datagram_ends_once_it_is_sent() {
        let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        peer.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let to = peer.local_addr().unwrap();
        let event_loop =
            EventLoop::builder().clock(ClockKind::Real).build().unwrap();
        let ended = event_loop
            .run_until_complete(async move {
                let lost = Promise::new().unwrap();
                let (transport, _) = create_datagram_endpoint(
                    HearsTheEnd(lost.clone()),
                    Some(("127.0.0.1", 0)),
                    None,
                )
                .await
                .unwrap();
                // A UDP send on loopback never says `WouldBlock` (the kernel
                // hands the datagram over inside the call), so queue one by
                // hand, as `sendto` queues a datagram the socket refused.
                transport
                    .inner
                    .unsent
                    .borrow_mut()
                    .push_back((b"the last word".to_vec(), Some(to)));
                transport.close();
                // Nothing arrives for the endpoint: only flushing its queue
                // can end it. The timeout is a hang guard.
                wait_for(lost, Duration::from_secs(10)).await.is_ok()
            })
            .unwrap();
        assert!(ended, "the endpoint ended once its queue was flushed");
        let mut received = [0u8; 64];
        let n = peer.recv(&mut received).unwrap();
        assert_eq!(&received[..n], b"the last word");
        event_loop.close().unwrap();
    }
}
