//! The echo server against a peer that sends a lot and never reads: the
//! server's memory stays bounded, because the example stops reading while
//! its transport says writing is paused.

use aio::{Protocol, Transport};
use ch07_protocols::echo_server_protocol::EchoServer;
use std::cell::{Cell, RefCell};
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What the peer tries to send: far more than the kernel buffers on the way
/// hold.
const TO_SEND: usize = 32 << 20;
/// The most one read hands the protocol.
const ONE_READ: usize = 64 * 1024;

/// What the test sees of the server's side of the connection.
#[derive(Default)]
struct Seen {
    transport: RefCell<Option<Transport>>,
    received: Cell<usize>,
    /// The most the transport's write buffer held after a `data_received`.
    most_buffered: Cell<usize>,
}

/// The example's protocol, watched: every call goes to it unchanged.
struct Watched {
    echo: EchoServer,
    seen: Rc<Seen>,
    /// Set when the example has stopped reading: the peer may stop too.
    stopped_reading: Arc<AtomicBool>,
}

impl Protocol for Watched {
    fn connection_made(&mut self, transport: Transport) {
        self.seen.transport.replace(Some(transport.clone()));
        self.echo.connection_made(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        self.echo.data_received(data);
        let seen = &self.seen;
        seen.received.set(seen.received.get() + data.len());
        let buffered = seen
            .transport
            .borrow()
            .as_ref()
            .map_or(0, Transport::get_write_buffer_size);
        seen.most_buffered.set(seen.most_buffered.get().max(buffered));
    }
    fn eof_received(&mut self) -> bool {
        self.echo.eof_received()
    }
    fn connection_lost(&mut self, error: Option<io::Error>) {
        self.echo.connection_lost(error);
    }
    fn pause_writing(&mut self) {
        self.echo.pause_writing();
        let reading = self
            .seen
            .transport
            .borrow()
            .as_ref()
            .is_some_and(Transport::is_reading);
        self.stopped_reading.store(!reading, Ordering::SeqCst);
    }
    fn resume_writing(&mut self) {
        self.echo.resume_writing();
    }
}

/// Sends up to `TO_SEND` bytes to `port`, reading nothing, until the server
/// stops taking them because it stopped reading. Gives how much it sent, and
/// the connection, to keep it open.
fn never_reads(
    port: u16,
    stopped_reading: Arc<AtomicBool>,
) -> (usize, std::net::TcpStream) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_nonblocking(true).unwrap();
    let piece = vec![b'x'; ONE_READ];
    let started = std::time::Instant::now();
    let mut sent = 0;
    // The time limit is a hang guard.
    while sent < TO_SEND && started.elapsed() < Duration::from_secs(60) {
        match stream.write(&piece[..ONE_READ.min(TO_SEND - sent)]) {
            Ok(n) => sent += n,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                if stopped_reading.load(Ordering::SeqCst) {
                    break; // nothing more will go in
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(error) => panic!("the server failed: {error}"),
        }
    }
    (sent, stream)
}

#[test]
fn a_peer_that_never_reads_cannot_make_the_server_hold_more_than_a_read_past_the_high_water_mark()
 {
    let event_loop =
        aio::EventLoop::builder().clock(aio::ClockKind::Real).build().unwrap();
    let seen = Rc::new(Seen::default());
    let stopped_reading = Arc::new(AtomicBool::new(false));
    let (s, stopped) = (seen.clone(), stopped_reading.clone());
    event_loop
        .run_until_complete(async move {
            let (for_server, watched) = (stopped.clone(), s.clone());
            let server = aio::create_server(
                move || Watched {
                    echo: EchoServer::default(),
                    seen: watched.clone(),
                    stopped_reading: for_server.clone(),
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            let (done_tx, done_rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                done_tx.send(never_reads(port, stopped)).unwrap()
            });
            let (sent, _connection) = done_rx.await.unwrap();
            // Let the server finish with what it was sent, unless it has
            // stopped reading. The timeout is a hang guard.
            let settled = aio::wait_for(
                async {
                    while !stopped_reading.load(Ordering::SeqCst)
                        && s.received.get() < sent
                    {
                        aio::sleep(Duration::from_millis(5)).await;
                    }
                },
                Duration::from_secs(60),
            )
            .await;
            assert!(settled.is_ok(), "the server neither read nor paused");
            server.close();
        })
        .unwrap();
    let most = seen.most_buffered.get();
    assert!(
        most <= aio::DEFAULT_HIGH_WATER + ONE_READ,
        "the server held {most} bytes for a peer that never reads"
    );
    event_loop.close().unwrap();
}
