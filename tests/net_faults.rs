//! Faults and bad input on real sockets: resets, half-closes, slow readers,
//! long lines, many connections, refused connections.

mod common;

use aio::{Protocol, StreamError, Transport};
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::time::Duration;

fn real_loop() -> aio::EventLoop {
    common::real_loop()
}

/// Records what a protocol was told.
#[derive(Clone, Default)]
struct Recorder(Rc<RefCell<Vec<String>>>);

impl Recorder {
    fn push(&self, event: impl Into<String>) {
        self.0.borrow_mut().push(event.into());
    }
    fn events(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// A server protocol that sends `payload` as soon as a client connects.
struct Sender {
    payload: Vec<u8>,
    log: Recorder,
}

impl Protocol for Sender {
    fn connection_made(&mut self, transport: Transport) {
        transport.write(&self.payload).unwrap();
        self.log.push("made");
    }
    fn connection_lost(&mut self, error: Option<io::Error>) {
        self.log.push(match error {
            Some(error) => format!("lost: {:?}", error.kind()),
            None => "lost cleanly".to_owned(),
        });
    }
}

#[test]
fn a_reset_from_the_peer_reaches_connection_lost_with_the_error() {
    let event_loop = real_loop();
    let log = Recorder::default();
    let l = log.clone();
    event_loop
        .run_until_complete(async move {
            let log = l.clone();
            let server = aio::create_server(
                move || Sender { payload: vec![7; 1 << 20], log: log.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            // A blocking client on another thread: it connects, reads nothing,
            // and closes with unread data in its buffer, which makes the kernel
            // send a reset.
            let (done_tx, done_rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                let stream =
                    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                std::thread::sleep(Duration::from_millis(100));
                drop(stream);
                done_tx.send(()).unwrap();
            });
            done_rx.await.unwrap();
            for _ in 0..100 {
                if l.events().len() >= 2 {
                    break;
                }
                aio::sleep(Duration::from_millis(10)).await;
            }
            server.close();
        })
        .unwrap();
    let events = log.events();
    assert_eq!(events[0], "made");
    assert!(
        events.get(1).is_some_and(
            |event| event.starts_with("lost: ") && event != "lost cleanly"
        ),
        "the reset was reported as an error: {events:?}"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_reset_makes_the_stream_reader_raise() {
    let event_loop = real_loop();
    let outcome = event_loop
        .run_until_complete(async {
            let (result_tx, result_rx) = aio::oneshot::channel::<String>();
            let result_tx = Rc::new(RefCell::new(Some(result_tx)));
            let server = aio::start_server(
                move |reader: aio::StreamReader, writer: aio::StreamWriter| {
                    let result_tx = result_tx.clone();
                    async move {
                        writer.write(&vec![1; 1 << 20]).unwrap();
                        let outcome = loop {
                            match reader.read(1024).await {
                                Ok(data) if data.is_empty() => {
                                    break "eof".to_owned();
                                }
                                Ok(_) => continue,
                                Err(StreamError::Io(error)) => {
                                    break format!("error: {:?}", error.kind());
                                }
                                Err(other) => break format!("other: {other}"),
                            }
                        };
                        if let Some(tx) = result_tx.borrow_mut().take() {
                            let _ = tx.send(outcome);
                        }
                    }
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            std::thread::spawn(move || {
                let mut stream =
                    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream.write_all(b"some bytes").unwrap();
                std::thread::sleep(Duration::from_millis(100));
                drop(stream); // unread data: a reset
            });
            let outcome = result_rx.await.unwrap();
            server.close();
            outcome
        })
        .unwrap();
    assert!(
        outcome.starts_with("error: "),
        "the reader raised the reset: {outcome}"
    );
    event_loop.close().unwrap();
}

/// Echoes until EOF, then (half-closed) sends a last word before closing.
struct HalfCloser {
    transport: Option<Transport>,
    log: Recorder,
}

impl Protocol for HalfCloser {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        self.transport.as_ref().unwrap().write(data).unwrap();
    }
    fn eof_received(&mut self) -> bool {
        self.log.push("server got EOF");
        let transport = self.transport.as_ref().unwrap();
        transport.write(b" and a last word after your EOF").unwrap();
        transport.close();
        true // keep the write side open for that last word
    }
}

#[test]
fn half_close_in_both_directions() {
    let event_loop = real_loop();
    let log = Recorder::default();
    let l = log.clone();
    let received = event_loop
        .run_until_complete(async move {
            let log = l.clone();
            let server = aio::create_server(
                move || HalfCloser { transport: None, log: log.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let (reader, writer) =
                aio::open_connection("127.0.0.1", server.port()).await.unwrap();
            writer.write(b"hello").unwrap();
            writer.write_eof(); // our half-close: we can still read
            let received = reader.read_to_end().await.unwrap();
            writer.close();
            server.close();
            received
        })
        .unwrap();
    assert_eq!(received, b"hello and a last word after your EOF");
    assert_eq!(log.events(), ["server got EOF"]);
    event_loop.close().unwrap();
}

#[test]
fn a_client_that_never_reads_keeps_the_server_buffer_bounded_and_drain_blocks()
{
    let event_loop = real_loop();
    let (buffered, blocked) = event_loop
        .run_until_complete(async {
            let (stats_tx, stats_rx) = aio::oneshot::channel::<(usize, bool)>();
            let stats_tx = Rc::new(RefCell::new(Some(stats_tx)));
            let server = aio::start_server(
                move |_reader: aio::StreamReader, writer: aio::StreamWriter| {
                    let stats_tx = stats_tx.clone();
                    async move {
                        let chunk = vec![0u8; 64 * 1024];
                        // Write until drain has to wait: the client reads
                        // nothing.
                        let mut largest = 0;
                        let mut blocked = false;
                        for _ in 0..200 {
                            writer.write(&chunk).unwrap();
                            largest = largest.max(
                                writer.transport().get_write_buffer_size(),
                            );
                            let drained = aio::wait_for(
                                writer.drain(),
                                Duration::from_millis(50),
                            )
                            .await;
                            if drained.is_err() {
                                blocked = true;
                                break;
                            }
                        }
                        if let Some(tx) = stats_tx.borrow_mut().take() {
                            let _ = tx.send((largest, blocked));
                        }
                        writer.close();
                    }
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            let idle_client =
                std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let stats = stats_rx.await.unwrap();
            drop(idle_client);
            server.close();
            stats
        })
        .unwrap();
    assert!(blocked, "drain waited for a reader that never came");
    // The buffer never holds more than the high water mark plus one write.
    assert!(
        buffered <= aio::DEFAULT_HIGH_WATER + 64 * 1024,
        "buffered {buffered} bytes"
    );
    event_loop.close().unwrap();
}

#[test]
fn a_line_longer_than_the_limit_is_an_error_and_the_stream_goes_on() {
    let reader = aio::StreamReader::new(16);
    let event_loop = common::virtual_loop();
    let r = reader.clone();
    let outcome = event_loop
        .run_until_complete(async move {
            r.feed_data(b"this line is far too long for the limit\nshort\n");
            r.feed_eof();
            let first = r.readline().await;
            let second = r.readline().await.unwrap();
            (matches!(first, Err(StreamError::LimitOverrun { .. })), second)
        })
        .unwrap();
    assert_eq!(outcome, (true, b"short\n".to_vec()));
    event_loop.close().unwrap();
}

#[test]
fn a_thousand_concurrent_connections_through_one_server() {
    const CLIENTS: usize = 1000;
    let event_loop = real_loop();
    let echoed = event_loop
        .run_until_complete(async {
            let server =
                    aio::start_server(
                        |reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            while let Ok(line) = reader.readline().await {
                                if line.is_empty()
                                    || writer.write(&line).is_err()
                                {
                                    break;
                                }
                            }
                            writer.close();
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
            let port = server.port();
            let clients: Vec<_> = (0..CLIENTS)
                .map(|n| {
                    aio::spawn(async move {
                        let (reader, writer) =
                            aio::open_connection("127.0.0.1", port)
                                .await
                                .unwrap();
                        let line = format!("client {n}\n");
                        writer.write(line.as_bytes()).unwrap();
                        let echo = reader.readline().await.unwrap();
                        writer.close();
                        echo == line.as_bytes()
                    })
                    .unwrap()
                })
                .collect();
            let results = aio::gather(
                clients
                    .into_iter()
                    .map(|client| async move { client.await.unwrap() }),
            )
            .await
            .unwrap();
            server.close();
            results.into_iter().filter(|ok| *ok).count()
        })
        .unwrap();
    assert_eq!(echoed, CLIENTS);
    event_loop.close().unwrap();
}

#[test]
fn connecting_to_a_closed_port_is_a_clear_refusal() {
    let event_loop = real_loop();
    // Find a port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = event_loop
        .run_until_complete(async move {
            aio::open_connection("127.0.0.1", port).await
        })
        .unwrap();
    let error = error.expect_err("nothing listens there");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    assert!(
        error.to_string().contains(&format!("127.0.0.1:{port}")),
        "the message names the address: {error}"
    );
    event_loop.close().unwrap();
}

#[test]
fn the_protocol_hears_pause_and_resume_writing_at_the_water_marks() {
    struct Flow {
        log: Recorder,
    }
    impl Protocol for Flow {
        fn connection_made(&mut self, transport: Transport) {
            transport.set_write_buffer_limits(64 * 1024, Some(16 * 1024));
            // More than the kernel takes at once: a fresh loopback socket's
            // send buffer can start at its 4 MiB maximum.
            transport.write(&vec![3u8; 16 << 20]).unwrap();
            transport.close();
        }
        fn pause_writing(&mut self) {
            self.log.push("pause");
        }
        fn resume_writing(&mut self) {
            self.log.push("resume");
        }
    }
    let event_loop = real_loop();
    let log = Recorder::default();
    let l = log.clone();
    let total = event_loop
        .run_until_complete(async move {
            let log = l.clone();
            let server = aio::create_server(
                move || Flow { log: log.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            let (total_tx, total_rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                let mut stream =
                    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                std::thread::sleep(Duration::from_millis(50)); // let the buffer fill first
                let mut all = Vec::new();
                stream.read_to_end(&mut all).unwrap();
                total_tx.send(all.len()).unwrap();
            });
            let total = total_rx.await.unwrap();
            server.close();
            total
        })
        .unwrap();
    assert_eq!(total, 16 << 20, "every byte arrived");
    let events = log.events();
    assert_eq!(events.first().map(String::as_str), Some("pause"), "{events:?}");
    assert_eq!(events.last().map(String::as_str), Some("resume"), "{events:?}");
    event_loop.close().unwrap();
}

#[test]
fn reading_more_than_twice_the_limit_resumes_a_paused_transport() {
    let event_loop = real_loop();
    let total = event_loop
        .run_until_complete(async {
            let server =
                    aio::start_server(
                        |_reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            writer.write(&vec![5u8; 300 * 1024]).unwrap();
                            writer.close();
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
            let (reader, writer) =
                aio::open_connection("127.0.0.1", server.port()).await.unwrap();
            aio::sleep(Duration::from_millis(50)).await; // let the buffer pass twice the limit
            let exact = reader.readexactly(200 * 1024).await.unwrap().len();
            let rest = reader.read_to_end().await.unwrap().len();
            writer.close();
            server.close();
            exact + rest
        })
        .unwrap();
    assert_eq!(total, 300 * 1024);
    event_loop.close().unwrap();
}

#[test]
fn an_error_is_reported_by_every_later_read_and_ends_the_lines() {
    let event_loop = common::virtual_loop();
    let reader = aio::StreamReader::new(64);
    let r = reader.clone();
    event_loop
        .run_until_complete(async move {
            let (reader, writer) = {
                // A real connection whose peer resets it.
                let server =
                    aio::start_server(
                        |_reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            writer.transport().abort();
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
                let pair = aio::open_connection("127.0.0.1", server.port())
                    .await
                    .unwrap();
                server.close();
                pair
            };
            let first = reader.read(10).await;
            let second = reader.read(10).await;
            writer.close();
            let _ = r;
            // Either the peer's abort arrives as a reset (an error, reported
            // twice) or as a plain EOF (empty reads): never a hang.
            match (first, second) {
                (Err(_), Err(_)) | (Ok(_), Ok(_)) => {}
                other => panic!("the two reads disagree: {other:?}"),
            }
        })
        .unwrap();
    event_loop.close().unwrap();
}

#[test]
fn two_readers_waiting_on_one_stream_both_get_woken() {
    let event_loop = common::virtual_loop();
    let reader = aio::StreamReader::new(64);
    let (a, b, feeder) = (reader.clone(), reader.clone(), reader.clone());
    let got = event_loop
        .run_until_complete(async move {
            let first =
                aio::spawn(async move { a.readline().await.unwrap() }).unwrap();
            let second =
                aio::spawn(async move { b.readline().await.unwrap() }).unwrap();
            aio::sleep(Duration::ZERO).await;
            feeder.feed_data(b"one\ntwo\n");
            (first.await.unwrap(), second.await.unwrap())
        })
        .unwrap();
    assert_eq!(got, (b"one\n".to_vec(), b"two\n".to_vec()));
    event_loop.close().unwrap();
}

#[test]
fn a_writer_dropped_without_close_closes_its_connection_and_says_so() {
    let log = common::CapturedLog::start();
    let event_loop = real_loop();
    let received = event_loop
        .run_until_complete(async {
            let server =
                    aio::start_server(
                        |_reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            writer.write(b"bye").unwrap();
                            // returns without writer.close()
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
            let (reader, writer) =
                aio::open_connection("127.0.0.1", server.port()).await.unwrap();
            let received =
                aio::wait_for(reader.read_to_end(), Duration::from_secs(10))
                    .await;
            writer.close();
            server.close();
            received
        })
        .unwrap();
    assert_eq!(
        received.unwrap().unwrap(),
        b"bye",
        "the server's connection was closed for it"
    );
    assert!(
        log.records()
            .iter()
            .any(|(_, message)| message.contains("without close()"))
    );
    event_loop.close().unwrap();
}

/// Half-closes first: says hello, sends EOF, and keeps reading until the
/// client's EOF.
struct HalfClosesFirst {
    transport: Option<Transport>,
    heard: Rc<RefCell<Vec<u8>>>,
}

impl Protocol for HalfClosesFirst {
    fn connection_made(&mut self, transport: Transport) {
        transport.write(b"hello, and that is all from me").unwrap();
        transport.write_eof();
        self.transport = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        self.heard.borrow_mut().extend_from_slice(data);
    }
    fn eof_received(&mut self) -> bool {
        false // both sides are done now
    }
}

#[test]
fn the_server_half_closes_first_and_still_hears_the_client() {
    let event_loop = real_loop();
    let heard: Rc<RefCell<Vec<u8>>> = Rc::default();
    let h = heard.clone();
    let received = event_loop
        .run_until_complete(async move {
            let server = aio::create_server(
                move || HalfClosesFirst { transport: None, heard: h.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let (reader, writer) =
                aio::open_connection("127.0.0.1", server.port()).await.unwrap();
            let received = reader.read_to_end().await.unwrap(); // the server's EOF
            writer.write(b"but I still have something to say").unwrap(); // our side is open
            writer.write_eof();
            aio::sleep(Duration::from_millis(50)).await;
            writer.close();
            server.close();
            received
        })
        .unwrap();
    assert_eq!(received, b"hello, and that is all from me");
    assert_eq!(*heard.borrow(), b"but I still have something to say");
    event_loop.close().unwrap();
}

#[test]
fn pause_reading_holds_data_received_until_resume_and_abort_drops_unsent_data()
{
    struct Pausable {
        transport: Option<Transport>,
        log: Recorder,
    }
    impl Protocol for Pausable {
        fn connection_made(&mut self, transport: Transport) {
            transport.pause_reading();
            assert!(!transport.is_reading());
            self.transport = Some(transport);
        }
        fn data_received(&mut self, data: &[u8]) {
            self.log.push(format!("data {}", data.len()));
        }
        fn eof_received(&mut self) -> bool {
            self.log.push("eof");
            false
        }
    }
    let event_loop = real_loop();
    let log = Recorder::default();
    let l = log.clone();
    event_loop
        .run_until_complete(async move {
            let (transport, _) = {
                let server =
                    aio::start_server(
                        |_reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            writer.write(b"twelve bytes").unwrap();
                            writer.write_eof();
                            aio::sleep(Duration::from_millis(100)).await;
                            writer.close();
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
                let port = server.port();
                let pair = aio::create_connection(
                    Pausable { transport: None, log: l.clone() },
                    "127.0.0.1",
                    port,
                )
                .await
                .unwrap();
                server.close();
                pair
            };
            aio::sleep(Duration::from_millis(30)).await;
            assert!(
                l.events().is_empty(),
                "nothing is delivered while reading is paused"
            );
            transport.resume_reading();
            aio::sleep(Duration::from_millis(30)).await;
            assert_eq!(l.events(), ["data 12", "eof"]);
            // abort: unsent data is dropped, and the transport is closing at
            // once.
            transport.abort();
            assert!(transport.is_closing());
            assert_eq!(transport.get_write_buffer_size(), 0);
        })
        .unwrap();
    assert_eq!(log.events(), ["data 12", "eof"]);
    event_loop.close().unwrap();
}

// ===========================================================================
// Fairness: one flooding connection must not freeze the others.
//
// A flood client sends as fast as it can to an echo server whose protocol
// takes a moment with every piece (a short stall stands in for real work,
// as the chapter's example prints every piece), so the flood always stays
// ahead of the server and its socket never runs dry. A probe connection to
// the same server must get its round trips done while the flood goes on.
// Without a read budget, the flood's task reads until `WouldBlock`, which
// never comes, and nothing else on the loop runs until the flood stops.
// ===========================================================================

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How long the flood goes on if the probe never finishes: a hang guard.
const FLOOD_GIVES_UP_AFTER: Duration = Duration::from_secs(60);
/// The probe's round trips.
const PROBE_ROUND_TRIPS: usize = 10;

/// What the server side and the client threads share.
#[derive(Default)]
struct FloodState {
    /// Bytes the server has been handed, from any connection.
    received: AtomicUsize,
    /// The probe has done its round trips.
    probe_done: AtomicBool,
    /// The flood has stopped, because the probe finished or it gave up.
    flood_over: AtomicBool,
}

/// An echo server protocol that stalls with every piece while the probe is
/// still at work.
struct SlowEcho {
    transport: Option<Transport>,
    state: Arc<FloodState>,
}

impl Protocol for SlowEcho {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        self.state.received.fetch_add(data.len(), Ordering::SeqCst);
        if !self.state.probe_done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_micros(500));
        }
        let _ = self.transport.as_ref().unwrap().write(data);
    }
}

/// Sends 64 KiB pieces to `port` until the probe is done (or the hang guard
/// says stop), while another thread reads and drops the echoes.
fn flood(port: u16, state: Arc<FloodState>) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut echoes = stream.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut sink = vec![0u8; 64 * 1024];
        while matches!(echoes.read(&mut sink), Ok(n) if n > 0) {}
    });
    let piece = vec![b'f'; 64 * 1024];
    let started = std::time::Instant::now();
    while !state.probe_done.load(Ordering::SeqCst)
        && started.elapsed() < FLOOD_GIVES_UP_AFTER
    {
        if stream.write_all(&piece).is_err() {
            break;
        }
    }
    state.flood_over.store(true, Ordering::SeqCst);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Waits until the server has been handed `busy_after` bytes of the flood,
/// then makes its round trips; gives whether the flood was still going when
/// they were done.
fn probe(port: u16, state: Arc<FloodState>, busy_after: usize) -> bool {
    while state.received.load(Ordering::SeqCst) < busy_after {
        std::thread::yield_now();
    }
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut echo = [0u8; 5];
    for _ in 0..PROBE_ROUND_TRIPS {
        stream.write_all(b"ping!").unwrap();
        stream.read_exact(&mut echo).unwrap();
        assert_eq!(&echo, b"ping!");
    }
    let flood_still_going = !state.flood_over.load(Ordering::SeqCst);
    state.probe_done.store(true, Ordering::SeqCst);
    flood_still_going
}

#[test]
fn a_flooding_connection_does_not_freeze_the_others() {
    let state = Arc::new(FloodState::default());
    let event_loop = real_loop();
    let s = state.clone();
    let flood_still_going = event_loop
        .run_until_complete(async move {
            let for_server = s.clone();
            let server = aio::create_server(
                move || SlowEcho { transport: None, state: for_server.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            let flood_state = s.clone();
            std::thread::spawn(move || flood(port, flood_state));
            let (done_tx, done_rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                done_tx.send(probe(port, s, 1 << 20)).unwrap()
            });
            let flood_still_going = done_rx.await.unwrap();
            server.close();
            flood_still_going
        })
        .unwrap();
    assert!(
        flood_still_going,
        "the probe's {PROBE_ROUND_TRIPS} round trips waited for the flood \
         to stop"
    );
    event_loop.close().unwrap();
}

/// Counts the datagrams' bytes, stalling with each while the probe is at
/// work.
struct SlowDatagramSink {
    state: Arc<FloodState>,
}

impl aio::DatagramProtocol for SlowDatagramSink {
    fn datagram_received(&mut self, data: &[u8], _from: std::net::SocketAddr) {
        self.state.received.fetch_add(data.len(), Ordering::SeqCst);
        if !self.state.probe_done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_micros(500));
        }
    }
}

/// The flood's datagrams are small, so that many of them wait in the
/// endpoint's receive buffer.
const DATAGRAM: usize = 64;

/// Sends datagrams to `port` until the probe is done (or the hang guard says
/// stop). What the endpoint has no room for is dropped: its socket always
/// has more.
fn datagram_flood(port: u16, state: Arc<FloodState>) {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let datagram = [b'u'; DATAGRAM];
    let started = std::time::Instant::now();
    while !state.probe_done.load(Ordering::SeqCst)
        && started.elapsed() < FLOOD_GIVES_UP_AFTER
    {
        let _ = socket.send_to(&datagram, ("127.0.0.1", port));
    }
    state.flood_over.store(true, Ordering::SeqCst);
}

#[test]
fn a_flooded_datagram_endpoint_does_not_freeze_the_other_connections() {
    let state = Arc::new(FloodState::default());
    let event_loop = real_loop();
    let s = state.clone();
    let flood_still_going = event_loop
        .run_until_complete(async move {
            let for_server = s.clone();
            let server = aio::create_server(
                move || SlowEcho { transport: None, state: for_server.clone() },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let (endpoint, _) = aio::create_datagram_endpoint(
                SlowDatagramSink { state: s.clone() },
                Some(("127.0.0.1", 0)),
                None,
            )
            .await
            .unwrap();
            let flooded = endpoint.get_extra_info("sockname").unwrap().port();
            let flood_state = s.clone();
            std::thread::spawn(move || datagram_flood(flooded, flood_state));
            let port = server.port();
            let (done_tx, done_rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                done_tx.send(probe(port, s, 100 * DATAGRAM)).unwrap()
            });
            let flood_still_going = done_rx.await.unwrap();
            endpoint.close();
            server.close();
            flood_still_going
        })
        .unwrap();
    assert!(
        flood_still_going,
        "the probe's {PROBE_ROUND_TRIPS} round trips waited for the \
         datagram flood to stop"
    );
    event_loop.close().unwrap();
}
