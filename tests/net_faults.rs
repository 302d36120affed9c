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
            writer.write_eof().unwrap(); // our half-close: we can still read
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
        written: Rc<std::cell::Cell<usize>>,
    }
    impl Protocol for Flow {
        fn connection_made(&mut self, transport: Transport) {
            transport.set_write_buffer_limits(64 * 1024, Some(16 * 1024));
            // Write until the buffer passes the high water mark. How much the
            // kernel takes first depends on its socket buffers, which grow
            // with the machine's memory and load: one big write is not enough
            // everywhere.
            let chunk = vec![3u8; 1 << 20];
            while transport.get_write_buffer_size() <= 64 * 1024
                && self.written.get() < 256 << 20
            {
                transport.write(&chunk).unwrap();
                self.written.set(self.written.get() + chunk.len());
            }
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
    let written = Rc::new(std::cell::Cell::new(0));
    let w = written.clone();
    let total = event_loop
        .run_until_complete(async move {
            let log = l.clone();
            let server = aio::create_server(
                move || Flow { log: log.clone(), written: w.clone() },
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
    assert_eq!(total, written.get(), "every byte arrived");
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
        transport.write_eof().unwrap();
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
            writer.write_eof().unwrap();
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
                            writer.write_eof().unwrap();
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
// Containment: a panic in a protocol callback ends that one connection (or
// datagram endpoint), is logged with the callback's name, and the server goes
// on serving. Then: write errors that say what happened, and name-lookup
// errors that name the host. (Self-contained: everything it needs is in here.)
// ===========================================================================

mod a_panicking_protocol_callback {
    use super::common::CapturedLog;
    use aio::{
        DatagramProtocol, DatagramTransport, Level, Protocol, Transport,
    };
    use std::cell::{Cell, RefCell};
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpStream};
    use std::rc::Rc;
    use std::time::Duration;

    /// A hang guard only: every step here finishes in milliseconds.
    const GUARD: Duration = Duration::from_secs(30);

    /// What a protocol was told, in order.
    #[derive(Clone, Default)]
    struct Calls(Rc<RefCell<Vec<String>>>);

    impl Calls {
        fn push(&self, call: impl Into<String>) {
            self.0.borrow_mut().push(call.into());
        }
        fn all(&self) -> Vec<String> {
            self.0.borrow().clone()
        }
    }

    /// The callback that panics, on the first connection only.
    #[derive(Clone, Copy, PartialEq, Debug)]
    enum Callback {
        Factory,
        ConnectionMade,
        DataReceived,
        EofReceived,
        PauseWriting,
        ResumeWriting,
        ConnectionLost,
    }

    impl Callback {
        fn name(self) -> &'static str {
            match self {
                Callback::Factory => "protocol_factory",
                Callback::ConnectionMade => "connection_made",
                Callback::DataReceived => "data_received",
                Callback::EofReceived => "eof_received",
                Callback::PauseWriting => "pause_writing",
                Callback::ResumeWriting => "resume_writing",
                Callback::ConnectionLost => "connection_lost",
            }
        }

        /// How the log names it, as asyncio's "protocol.data_received() call
        /// failed".
        fn logged_as(self) -> String {
            match self {
                Callback::Factory => "protocol_factory() call failed".into(),
                other => format!("protocol.{}() call failed", other.name()),
            }
        }
    }

    fn panic_text(name: &str) -> String {
        format!("deliberate panic in {name}")
    }

    /// An echo protocol that records every call and panics in `panic_in`.
    struct Faulty {
        panic_in: Option<Callback>,
        transport: Option<Transport>,
        calls: Calls,
    }

    impl Faulty {
        fn enter(&self, callback: Callback) {
            self.calls.push(callback.name());
            if self.panic_in == Some(callback) {
                panic!("{}", panic_text(callback.name()));
            }
        }
    }

    impl Protocol for Faulty {
        fn connection_made(&mut self, transport: Transport) {
            if matches!(
                self.panic_in,
                Some(Callback::PauseWriting | Callback::ResumeWriting)
            ) {
                // More than the kernel takes at once, over a zero high water
                // mark: the transport pauses the protocol, and resumes it
                // once the client has read it all.
                transport.set_write_buffer_limits(0, None);
                transport.write(&vec![0; 16 << 20]).unwrap();
            }
            self.transport = Some(transport);
            self.enter(Callback::ConnectionMade);
        }
        fn data_received(&mut self, data: &[u8]) {
            self.enter(Callback::DataReceived);
            self.transport.as_ref().unwrap().write(data).unwrap();
        }
        fn eof_received(&mut self) -> bool {
            self.enter(Callback::EofReceived);
            false
        }
        fn pause_writing(&mut self) {
            self.enter(Callback::PauseWriting);
        }
        fn resume_writing(&mut self) {
            self.enter(Callback::ResumeWriting);
        }
        fn connection_lost(&mut self, error: Option<io::Error>) {
            self.calls.push(match error {
                Some(error) => format!("lost with: {error}"),
                None => "lost with: nothing".to_owned(),
            });
            self.enter(Callback::ConnectionLost);
        }
    }

    /// A blocking client that sends `ping` and EOF, and reads to the end,
    /// whatever the server does meanwhile.
    fn provoke(port: u16) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(GUARD)).unwrap();
        let _ = stream.write_all(b"ping");
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.read_to_end(&mut Vec::new());
    }

    /// A blocking client that sends `ping` and EOF, and gives what came back.
    fn echo_once(port: u16) -> io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(GUARD))?;
        stream.write_all(b"ping")?;
        stream.shutdown(Shutdown::Write)?;
        let mut echoed = Vec::new();
        stream.read_to_end(&mut echoed)?;
        Ok(echoed)
    }

    /// Serves two clients in turn: the first one's protocol panics in
    /// `callback`, the second one's is a plain echo. Checks that the second is
    /// served, that the panic was logged by name, and that the first protocol
    /// heard nothing after its panic but one `connection_lost`.
    fn check_a_panic_in(callback: Callback) {
        let log = CapturedLog::start();
        let event_loop = super::real_loop();
        let calls = Calls::default();
        let first_calls = calls.clone();
        let echoed = event_loop
            .run_until_complete(async move {
                let made = Cell::new(0);
                let factory = move || {
                    made.set(made.get() + 1);
                    let first = made.get() == 1;
                    if first && callback == Callback::Factory {
                        panic!("{}", panic_text(callback.name()));
                    }
                    Faulty {
                        panic_in: first.then_some(callback),
                        transport: None,
                        calls: if first {
                            first_calls.clone()
                        } else {
                            Calls::default()
                        },
                    }
                };
                let server =
                    aio::create_server(factory, "127.0.0.1", 0).await.unwrap();
                let port = server.port();
                let (tx, rx) = aio::oneshot::channel();
                std::thread::spawn(move || {
                    provoke(port);
                    let _ = tx.send(echo_once(port));
                });
                let echoed = aio::wait_for(rx, GUARD * 2).await;
                assert!(server.is_serving());
                server.close();
                echoed
            })
            .unwrap();
        match echoed {
            Ok(Ok(Ok(echoed))) => assert_eq!(echoed, b"ping"),
            other => panic!("the next client is not served: {other:?}"),
        }

        let calls = calls.all();
        if callback != Callback::Factory {
            let name = callback.name();
            let panicked = calls.iter().position(|call| call == name);
            let panicked = panicked.expect("the callback was called");
            let after: Vec<&String> = calls[panicked + 1..].iter().collect();
            let losses: Vec<&&String> = after
                .iter()
                .filter(|call| call.starts_with("lost with: "))
                .collect();
            assert!(
                after.iter().all(|call| call.starts_with("lost with: ")
                    || *call == "connection_lost"),
                "nothing but connection_lost after the panic: {calls:?}"
            );
            if callback == Callback::ConnectionLost {
                assert!(after.is_empty(), "called once: {calls:?}");
            } else {
                assert_eq!(losses.len(), 1, "lost once: {calls:?}");
                assert!(
                    losses[0].contains("panicked")
                        && losses[0].contains(&panic_text(name)),
                    "connection_lost hears of the panic: {calls:?}"
                );
            }
        }
        let errors: Vec<String> = log
            .records()
            .into_iter()
            .filter(|(level, _)| *level == Level::Error)
            .map(|(_, message)| message)
            .collect();
        assert!(
            errors.iter().any(|message| {
                message.contains(&callback.logged_as())
                    && message.contains(&panic_text(callback.name()))
            }),
            "the panic is logged with the callback's name: {errors:?}"
        );
        event_loop.close().unwrap();
    }

    #[test]
    fn in_the_protocol_factory() {
        check_a_panic_in(Callback::Factory);
    }

    #[test]
    fn in_connection_made() {
        check_a_panic_in(Callback::ConnectionMade);
    }

    #[test]
    fn in_data_received() {
        check_a_panic_in(Callback::DataReceived);
    }

    #[test]
    fn in_eof_received() {
        check_a_panic_in(Callback::EofReceived);
    }

    #[test]
    fn in_pause_writing() {
        check_a_panic_in(Callback::PauseWriting);
    }

    #[test]
    fn in_resume_writing() {
        check_a_panic_in(Callback::ResumeWriting);
    }

    #[test]
    fn in_connection_lost() {
        check_a_panic_in(Callback::ConnectionLost);
    }

    /// A client's protocol (`create_connection`) is contained the same way:
    /// its connection ends, and the task that opened it carries on.
    #[test]
    fn in_a_client_protocol() {
        let log = CapturedLog::start();
        let event_loop = super::real_loop();
        let calls = Calls::default();
        let c = calls.clone();
        event_loop
            .run_until_complete(async move {
                let server = aio::create_server(
                    || Faulty {
                        panic_in: None,
                        transport: None,
                        calls: Calls::default(),
                    },
                    "127.0.0.1",
                    0,
                )
                .await
                .unwrap();
                let client = Faulty {
                    panic_in: Some(Callback::DataReceived),
                    transport: None,
                    calls: c.clone(),
                };
                let (transport, _) =
                    aio::create_connection(client, "127.0.0.1", server.port())
                        .await
                        .unwrap();
                transport.write(b"ping").unwrap();
                transport.write(b"pong").unwrap();
                for _ in 0..3000 {
                    if c.all().iter().any(|call| call == "connection_lost") {
                        break;
                    }
                    aio::sleep(Duration::from_millis(10)).await;
                }
                server.close();
            })
            .unwrap();
        let calls = calls.all();
        assert_eq!(
            calls.iter().filter(|call| *call == "data_received").count(),
            1,
            "{calls:?}"
        );
        assert!(
            calls.iter().any(|call| call.starts_with("lost with: ")
                && call.contains(&panic_text("data_received"))),
            "{calls:?}"
        );
        assert!(log.records().iter().any(|(level, message)| {
            *level == Level::Error
                && message.contains("protocol.data_received() call failed")
        }));
        event_loop.close().unwrap();
    }

    /// The datagram callback that panics.
    #[derive(Clone, Copy, PartialEq, Debug)]
    enum DatagramCallback {
        ConnectionMade,
        DatagramReceived,
        ErrorReceived,
        ConnectionLost,
    }

    impl DatagramCallback {
        fn name(self) -> &'static str {
            match self {
                DatagramCallback::ConnectionMade => "connection_made",
                DatagramCallback::DatagramReceived => "datagram_received",
                DatagramCallback::ErrorReceived => "error_received",
                DatagramCallback::ConnectionLost => "connection_lost",
            }
        }
    }

    struct FaultyDatagram {
        panic_in: DatagramCallback,
        calls: Calls,
    }

    impl FaultyDatagram {
        fn enter(&self, callback: DatagramCallback) {
            self.calls.push(callback.name());
            if self.panic_in == callback {
                panic!("{}", panic_text(callback.name()));
            }
        }
    }

    impl DatagramProtocol for FaultyDatagram {
        fn connection_made(&mut self, transport: DatagramTransport) {
            if self.panic_in == DatagramCallback::ErrorReceived {
                // To a closed port: the refusal comes back as an error.
                transport.sendto(b"anyone?", None).unwrap();
            }
            self.enter(DatagramCallback::ConnectionMade);
        }
        fn datagram_received(&mut self, _data: &[u8], _from: SocketAddr) {
            self.enter(DatagramCallback::DatagramReceived);
        }
        fn error_received(&mut self, _error: io::Error) {
            self.enter(DatagramCallback::ErrorReceived);
        }
        fn connection_lost(&mut self, error: Option<io::Error>) {
            self.calls.push(match error {
                Some(error) => format!("lost with: {error}"),
                None => "lost with: nothing".to_owned(),
            });
            self.enter(DatagramCallback::ConnectionLost);
        }
    }

    /// A port nobody listens on (bound, then let go).
    fn a_closed_udp_port() -> u16 {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.local_addr().unwrap().port()
    }

    fn check_a_datagram_panic_in(callback: DatagramCallback) {
        let log = CapturedLog::start();
        let event_loop = super::real_loop();
        let calls = Calls::default();
        let c = calls.clone();
        event_loop
            .run_until_complete(async move {
                let remote = (callback == DatagramCallback::ErrorReceived)
                    .then(|| ("127.0.0.1", a_closed_udp_port()));
                let protocol =
                    FaultyDatagram { panic_in: callback, calls: c.clone() };
                let (endpoint, _) = aio::create_datagram_endpoint(
                    protocol,
                    Some(("127.0.0.1", 0)),
                    remote,
                )
                .await
                .unwrap();
                let address = endpoint.get_extra_info("sockname").unwrap();
                let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                match callback {
                    DatagramCallback::DatagramReceived => {
                        sender.send_to(b"one", address).unwrap();
                        sender.send_to(b"two", address).unwrap();
                    }
                    DatagramCallback::ConnectionLost => endpoint.close(),
                    _ => {}
                }
                for _ in 0..3000 {
                    if c.all().iter().any(|call| call == "connection_lost") {
                        break;
                    }
                    aio::sleep(Duration::from_millis(10)).await;
                }
                assert!(endpoint.is_closing(), "the endpoint is closed");
            })
            .unwrap();
        let calls = calls.all();
        let name = callback.name();
        assert_eq!(
            calls.iter().filter(|call| *call == name).count(),
            1,
            "called once: {calls:?}"
        );
        if callback != DatagramCallback::ConnectionLost {
            let losses: Vec<&String> = calls
                .iter()
                .filter(|call| call.starts_with("lost with: "))
                .collect();
            assert_eq!(losses.len(), 1, "lost once: {calls:?}");
            assert!(losses[0].contains(&panic_text(name)), "{calls:?}");
        }
        assert!(
            log.records().iter().any(|(level, message)| {
                *level == Level::Error
                    && message
                        .contains(&format!("protocol.{name}() call failed"))
                    && message.contains(&panic_text(name))
            }),
            "logged: {:?}",
            log.records()
        );
        event_loop.close().unwrap();
    }

    #[test]
    fn in_a_datagram_connection_made() {
        check_a_datagram_panic_in(DatagramCallback::ConnectionMade);
    }

    #[test]
    fn in_datagram_received() {
        check_a_datagram_panic_in(DatagramCallback::DatagramReceived);
    }

    #[test]
    fn in_error_received() {
        check_a_datagram_panic_in(DatagramCallback::ErrorReceived);
    }

    #[test]
    fn in_a_datagram_connection_lost() {
        check_a_datagram_panic_in(DatagramCallback::ConnectionLost);
    }
}

mod write_and_lookup_errors {
    use aio::{Protocol, Transport};
    use std::cell::RefCell;
    use std::io;
    use std::rc::Rc;
    use std::time::Duration;

    /// Shares its transport, and what ended the connection, with the test.
    #[derive(Default, Debug)]
    struct Keeper {
        transport: Rc<RefCell<Option<Transport>>>,
        lost: Rc<RefCell<Option<Option<io::Error>>>>,
        send_on_connect: Vec<u8>,
    }

    impl Protocol for Keeper {
        fn connection_made(&mut self, transport: Transport) {
            if !self.send_on_connect.is_empty() {
                transport.write(&self.send_on_connect).unwrap();
            }
            *self.transport.borrow_mut() = Some(transport);
        }
        fn connection_lost(&mut self, error: Option<io::Error>) {
            *self.lost.borrow_mut() = Some(error);
        }
    }

    #[test]
    fn a_write_after_a_reset_says_the_connection_was_reset() {
        let event_loop = super::real_loop();
        let (lost, refused) = event_loop
            .run_until_complete(async {
                let lost = Rc::new(RefCell::new(None));
                let transport = Rc::new(RefCell::new(None));
                let (l, t) = (lost.clone(), transport.clone());
                let server = aio::create_server(
                    move || Keeper {
                        transport: t.clone(),
                        lost: l.clone(),
                        send_on_connect: vec![7; 1 << 20],
                    },
                    "127.0.0.1",
                    0,
                )
                .await
                .unwrap();
                let port = server.port();
                // A client that reads nothing and closes: unread data makes
                // the kernel send a reset.
                let (done_tx, done_rx) = aio::oneshot::channel();
                std::thread::spawn(move || {
                    let stream =
                        std::net::TcpStream::connect(("127.0.0.1", port))
                            .unwrap();
                    std::thread::sleep(Duration::from_millis(100));
                    drop(stream);
                    done_tx.send(()).unwrap();
                });
                done_rx.await.unwrap();
                for _ in 0..3000 {
                    if lost.borrow().is_some() {
                        break;
                    }
                    aio::sleep(Duration::from_millis(10)).await;
                }
                server.close();
                let transport: Transport =
                    transport.borrow().clone().expect("connected");
                let refused = transport.write(b"anyone there?").unwrap_err();
                (lost.take(), refused)
            })
            .unwrap();
        let reset =
            lost.expect("connection_lost was called").expect("with the reset");
        assert_eq!(refused.kind(), reset.kind(), "{refused}");
        let message = refused.to_string();
        assert!(message.contains(&reset.to_string()), "{message}");
        assert!(!message.contains("write_eof"), "{message}");
        event_loop.close().unwrap();
    }

    #[test]
    fn a_write_after_close_is_a_connection_reset_that_says_what_to_do() {
        let event_loop = super::real_loop();
        let (closing, closed, after_eof) = event_loop
            .run_until_complete(async {
                let server =
                    aio::create_server(Keeper::default, "127.0.0.1", 0)
                        .await
                        .unwrap();
                let lost = Rc::new(RefCell::new(None));
                let client = Keeper { lost: lost.clone(), ..Keeper::default() };
                let (transport, _) =
                    aio::create_connection(client, "127.0.0.1", server.port())
                        .await
                        .unwrap();
                transport.close();
                let closing = transport.write(b"late").unwrap_err();
                for _ in 0..3000 {
                    if lost.borrow().is_some() {
                        break;
                    }
                    aio::sleep(Duration::from_millis(10)).await;
                }
                let closed = transport.write(b"later").unwrap_err();
                let (other, _) = aio::create_connection(
                    Keeper::default(),
                    "127.0.0.1",
                    server.port(),
                )
                .await
                .unwrap();
                other.write_eof().unwrap();
                let after_eof = other.write(b"more").unwrap_err();
                other.close();
                server.close();
                (closing, closed, after_eof)
            })
            .unwrap();
        for (error, says) in [(&closing, "close()"), (&closed, "closed")] {
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
            let message = error.to_string();
            assert!(message.contains(says), "{message}");
            assert!(message.contains("before"), "what to do: {message}");
        }
        assert_eq!(after_eof.kind(), io::ErrorKind::BrokenPipe);
        assert!(after_eof.to_string().contains("write_eof()"), "{after_eof}");
        event_loop.close().unwrap();
    }

    #[test]
    fn a_name_that_does_not_resolve_is_named_in_the_error() {
        let event_loop = super::real_loop();
        let (connecting, serving) = event_loop
            .run_until_complete(async {
                let connecting = aio::create_connection(
                    Keeper::default(),
                    "no-such-host.invalid",
                    80,
                )
                .await
                .unwrap_err();
                let serving = aio::create_server(
                    Keeper::default,
                    "no-such-host.invalid",
                    0,
                )
                .await
                .unwrap_err();
                (connecting, serving)
            })
            .unwrap();
        for error in [connecting, serving] {
            let message = error.to_string();
            assert!(message.contains("\"no-such-host.invalid\""), "{message}");
        }
        event_loop.close().unwrap();
    }
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

/// A server whose handlers hold their connections open until the server
/// closes them: gives the server and the client's streams.
async fn server_with_a_client_holding_on()
-> io::Result<(aio::Server, aio::StreamReader, aio::StreamWriter)> {
    let server = aio::start_server(
        |reader: aio::StreamReader, writer: aio::StreamWriter| async move {
            let _ = reader.read_to_end().await; // until the server closes it
            writer.close();
        },
        "127.0.0.1",
        0,
    )
    .await?;
    let (reader, writer) =
        aio::open_connection("127.0.0.1", server.port()).await?;
    writer.write(b"hello")?; // the server has surely accepted it once read
    aio::sleep(Duration::from_millis(20)).await;
    Ok((server, reader, writer))
}

#[test]
fn wait_closed_waits_for_the_connections_that_close_clients_ends() {
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async {
            let (server, reader, writer) =
                server_with_a_client_holding_on().await?;
            server.close();
            server.serve_forever().await; // returns at close
            let waited =
                aio::wait_for(server.wait_closed(), Duration::from_millis(50))
                    .await;
            assert!(
                matches!(waited, Err(aio::Error::TimedOut)),
                "a connection is still open, so the server is not done"
            );
            server.close_clients();
            server.wait_closed().await;
            let rest = reader.read_to_end().await.map_err(io::Error::other)?;
            assert!(rest.is_empty(), "the client sees a clean end: {rest:?}");
            writer.close();
            Ok::<_, io::Error>(())
        })
        .unwrap()
        .unwrap();
    event_loop.close().unwrap();
}

#[test]
fn abort_clients_ends_the_connections_at_once() {
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async {
            let (server, reader, writer) =
                server_with_a_client_holding_on().await?;
            server.close();
            server.abort_clients();
            server.wait_closed().await;
            let end = reader.read_to_end().await;
            assert!(
                matches!(&end, Ok(rest) if rest.is_empty()) || end.is_err(),
                "the connection ended: {end:?}"
            );
            writer.close();
            Ok::<_, io::Error>(())
        })
        .unwrap()
        .unwrap();
    event_loop.close().unwrap();
}
