//! Chapter 9: bad input and faults on TLS connections. Each gets a typed,
//! one-line error that says what to do; a server keeps serving after each.

#[path = "support/certificates.rs"]
mod certificates;
mod common;

use aio::rustls;
use aio::{
    ExtraInfo, Protocol, Ssl, SslContext, StreamReader, StreamWriter, TlsError,
    Transport,
};
use common::{CapturedLog, real_loop};
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::Duration;

/// Echoes until EOF or a NUL byte, then closes.
async fn echo(reader: StreamReader, writer: StreamWriter) {
    while let Ok(data) = reader.read(1024).await {
        if data.is_empty() || writer.write(&data).is_err() {
            break;
        }
        if data.ends_with(b"\0") {
            break;
        }
    }
    writer.close();
}

/// One good conversation with `port`: proves the server still serves.
async fn one_good_echo(port: u16, client: SslContext) -> io::Result<Vec<u8>> {
    let ssl = Ssl::new(client).server_hostname("localhost");
    let (reader, writer) =
        aio::open_connection_ssl("127.0.0.1", port, ssl).await?;
    writer.write(b"still here\0")?;
    let echoed = reader.read_to_end().await.map_err(io::Error::other)?;
    writer.close();
    Ok(echoed)
}

/// Starts an echo server with `server`, runs `attempt` against its port,
/// then checks that a good client still gets its echo. Gives the attempt's
/// outcome and the server's log.
fn against_echo_server<T: 'static>(
    server: Ssl,
    good_client: SslContext,
    attempt: impl AsyncFnOnce(u16) -> T + 'static,
) -> (T, Vec<String>) {
    let log = CapturedLog::start();
    let event_loop = real_loop();
    let outcome = event_loop
        .run_until_complete(async move {
            let server =
                aio::start_server_ssl(echo, "127.0.0.1", 0, server).await?;
            let outcome = attempt(server.port()).await;
            let echoed = one_good_echo(server.port(), good_client).await?;
            assert_eq!(echoed, b"still here\0", "the server kept serving");
            server.close();
            Ok::<T, io::Error>(outcome)
        })
        .unwrap()
        .unwrap();
    event_loop.close().unwrap();
    (outcome, log.records().into_iter().map(|(_, line)| line).collect())
}

/// Runs `client` on a thread of its own and waits for it.
async fn on_a_thread<T: Send + 'static>(
    client: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done_tx, done_rx) = aio::oneshot::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(client());
    });
    done_rx.await.expect("the client thread finished")
}

fn tls_error(error: &io::Error) -> &TlsError {
    TlsError::of(error).unwrap_or_else(|| panic!("not a TlsError: {error}"))
}

#[test]
fn an_unknown_ca_is_a_clear_error_and_the_server_carries_on() {
    let issued = certificates::self_signed(&["localhost"]);
    let stranger = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    let (_, trusts_a_stranger) = certificates::contexts(&stranger);
    let (error, log) =
        against_echo_server(server.into(), client, async move |port| {
            let ssl = Ssl::new(trusts_a_stranger).server_hostname("localhost");
            aio::open_connection_ssl("127.0.0.1", port, ssl).await.unwrap_err()
        });
    assert!(
        matches!(tls_error(&error), TlsError::UnknownCa { server_name }
            if server_name == "localhost"),
        "{error}"
    );
    assert!(error.to_string().contains("not signed by a CA we trust"));
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert!(
        log.iter().any(|line| line.contains("TLS handshake with")
            && line.contains("does not trust our certificate")),
        "the server logged why: {log:#?}"
    );
}

#[test]
fn a_wrong_host_name_names_what_the_certificate_is_for() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    let asking = client.clone();
    let (error, _) =
        against_echo_server(server.into(), client, async move |port| {
            let ssl = Ssl::new(asking).server_hostname("example.com");
            aio::open_connection_ssl("127.0.0.1", port, ssl).await.unwrap_err()
        });
    match tls_error(&error) {
        TlsError::WrongHost { expected, presented } => {
            assert_eq!(expected, "example.com");
            assert_eq!(presented, &["localhost".to_owned()]);
        }
        other => panic!("not WrongHost: {other}"),
    }
    assert!(error.to_string().contains("set server_hostname"), "{error}");
}

#[test]
fn an_expired_certificate_says_so() {
    let expired = certificates::expired(&["localhost"]);
    let (expired_server, trusts_expired) = certificates::contexts(&expired);
    let error = aio::run(async move {
        let server =
            aio::start_server_ssl(echo, "127.0.0.1", 0, expired_server)
                .await
                .unwrap();
        let ssl = Ssl::new(trusts_expired).server_hostname("localhost");
        let error = aio::open_connection_ssl("127.0.0.1", server.port(), ssl)
            .await
            .unwrap_err();
        server.close();
        error
    })
    .unwrap();
    assert!(matches!(tls_error(&error), TlsError::Expired { .. }), "{error}");
    assert!(error.to_string().contains("renew it"), "{error}");
}

#[test]
fn plain_tcp_garbage_on_the_tls_port_is_logged_and_closed() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    let (reply, log) =
        against_echo_server(server.into(), client, async move |port| {
            on_a_thread(move || {
                let mut plain =
                    TcpStream::connect(("127.0.0.1", port)).unwrap();
                plain.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
                let mut reply = Vec::new();
                // Ends: the server closes after its alert.
                let _ = plain.read_to_end(&mut reply);
                reply
            })
            .await
        });
    assert!(reply.len() < 64, "at most an alert came back: {reply:?}");
    assert!(
        log.iter().any(|line| line.contains("the peer did not speak TLS")
            && line.contains("plain-TCP client")),
        "{log:?}"
    );
}

#[test]
fn a_client_that_never_speaks_meets_the_handshake_timeout() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    let server = Ssl::new(server).handshake_timeout(Duration::from_millis(200));
    let (reply, log) = against_echo_server(server, client, async move |port| {
        on_a_thread(move || {
            let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
            // A hang guard only: the server's timeout ends it long before.
            silent.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            let mut reply = Vec::new();
            silent.read_to_end(&mut reply).map(|_| reply)
        })
        .await
    });
    assert_eq!(reply.unwrap(), b"", "the server hung up without a word");
    assert!(
        log.iter().any(|line| line.contains("did not finish within 200ms")),
        "{log:?}"
    );
}

/// A blocking rustls client on 127.0.0.1:`port` that trusts `ca_pem`, with
/// the handshake done.
fn blocking_tls_client(
    port: u16,
    ca_pem: &str,
) -> (TcpStream, rustls::ClientConnection) {
    let SslContext::Client(config) =
        SslContext::client_with_ca_pem(ca_pem.as_bytes()).unwrap()
    else {
        unreachable!("a client context")
    };
    let name = "localhost".try_into().unwrap();
    let mut tls = rustls::ClientConnection::new(config, name).unwrap();
    let mut socket = TcpStream::connect(("127.0.0.1", port)).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    while tls.is_handshaking() {
        tls.complete_io(&mut socket).unwrap();
    }
    (socket, tls)
}

/// A protocol that writes down what happens to it.
#[derive(Default, Clone)]
struct Recorder {
    events: Rc<RefCell<Vec<String>>>,
    transport: Option<Transport>,
    /// Written as soon as the connection is made.
    greeting: Vec<u8>,
    /// Written in answer to the first data.
    reply: Vec<u8>,
    /// Pauses reading at once, and resumes after this long.
    resume_after: Option<Duration>,
    /// What `eof_received` answers.
    keep_open: bool,
}

impl Protocol for Recorder {
    fn connection_made(&mut self, transport: Transport) {
        self.events.borrow_mut().push("made".to_owned());
        if !self.greeting.is_empty() {
            transport.write(&self.greeting).unwrap();
        }
        if let Some(delay) = self.resume_after {
            transport.pause_reading();
            let resumed = transport.clone();
            aio::get_running_loop()
                .unwrap()
                .call_later(delay, move || resumed.resume_reading())
                .unwrap();
        }
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        let text = String::from_utf8_lossy(data).into_owned();
        self.events.borrow_mut().push(format!("data {text}"));
        let reply = std::mem::take(&mut self.reply);
        if let Some(transport) = &self.transport
            && !reply.is_empty()
        {
            transport.write(&reply).unwrap();
        }
    }

    fn eof_received(&mut self) -> bool {
        self.events.borrow_mut().push("eof".to_owned());
        self.keep_open
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        let event = match error {
            None => "lost cleanly".to_owned(),
            Some(error) => match TlsError::of(&error) {
                Some(TlsError::NoCloseNotify) => "lost: no close_notify".into(),
                Some(TlsError::ShutdownTimeout(_)) => {
                    "lost: shutdown timeout".into()
                }
                _ => format!("lost: {:?}", error.kind()),
            },
        };
        self.events.borrow_mut().push(event);
    }

    fn pause_writing(&mut self) {
        self.events.borrow_mut().push("pause_writing".to_owned());
    }

    fn resume_writing(&mut self) {
        self.events.borrow_mut().push("resume_writing".to_owned());
    }
}

/// Serves copies of `recorder` over TLS, runs `client` (given the port and
/// the CA's PEM) on a thread, and waits until a connection has been lost.
/// Gives the events of every connection, in order.
fn record_a_connection(
    ssl: impl FnOnce(SslContext) -> Ssl,
    recorder: Recorder,
    client: impl FnOnce(u16, String) + Send + 'static,
) -> Vec<String> {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, _) = certificates::contexts(&issued);
    let ssl = ssl(server);
    let ca = issued.cert_pem.clone();
    let events: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = events.clone();
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async move {
            let factory_events = seen.clone();
            let server = aio::create_server_ssl(
                move || Recorder {
                    events: factory_events.clone(),
                    ..recorder.clone()
                },
                "127.0.0.1",
                0,
                ssl,
            )
            .await
            .unwrap();
            let port = server.port();
            on_a_thread(move || client(port, ca)).await;
            // A hang guard: the connection's end is reported long before.
            for _ in 0..3000 {
                if seen.borrow().iter().any(|event| event.starts_with("lost")) {
                    break;
                }
                aio::sleep(Duration::from_millis(10)).await;
            }
            server.close();
        })
        .unwrap();
    event_loop.close().unwrap();
    events.take()
}

#[test]
fn a_peer_that_closes_without_close_notify_is_reported_not_a_clean_eof() {
    let events =
        record_a_connection(Ssl::new, Recorder::default(), |port, ca| {
            let (mut socket, mut tls) = blocking_tls_client(port, &ca);
            tls.writer().write_all(b"hello").unwrap();
            while tls.wants_write() {
                tls.write_tls(&mut socket).unwrap();
            }
            // No close_notify: the TCP connection just ends.
            socket.shutdown(std::net::Shutdown::Write).unwrap();
            let _ = socket.read_to_end(&mut Vec::new());
        });
    assert_eq!(events, ["made", "data hello", "lost: no close_notify"]);
}

#[test]
fn a_clean_close_notify_is_an_eof_and_a_clean_end() {
    let events =
        record_a_connection(Ssl::new, Recorder::default(), |port, ca| {
            let (mut socket, mut tls) = blocking_tls_client(port, &ca);
            tls.writer().write_all(b"bye").unwrap();
            tls.send_close_notify();
            while tls.wants_write() {
                tls.write_tls(&mut socket).unwrap();
            }
            let _ = socket.read_to_end(&mut Vec::new());
        });
    assert_eq!(events, ["made", "data bye", "eof", "lost cleanly"]);
}

#[test]
fn keeping_a_tls_connection_open_after_the_peers_close_notify_is_warned() {
    let log = CapturedLog::start();
    let keeps_open = Recorder { keep_open: true, ..Recorder::default() };
    let events = record_a_connection(Ssl::new, keeps_open, |port, ca| {
        let (mut socket, mut tls) = blocking_tls_client(port, &ca);
        tls.send_close_notify();
        while tls.wants_write() {
            tls.write_tls(&mut socket).unwrap();
        }
        let _ = socket.read_to_end(&mut Vec::new());
    });
    assert_eq!(events, ["made", "eof", "lost cleanly"], "it closed anyway");
    let warned = log.records().into_iter().any(|(_, line)| {
        line.contains("has no effect over TLS: TLS has no half-close")
    });
    assert!(warned, "{:?}", log.records());
}

#[test]
fn a_reset_in_the_middle_of_a_record_reaches_connection_lost() {
    // The greeting waits unread in the client's socket, so its close is a
    // reset.
    let greeting =
        Recorder { greeting: vec![b'x'; 256 * 1024], ..Recorder::default() };
    let events = record_a_connection(Ssl::new, greeting, |port, ca| {
        let (mut socket, mut tls) = blocking_tls_client(port, &ca);
        tls.writer().write_all(&[b'y'; 10_000]).unwrap();
        let mut records = Vec::new();
        while tls.wants_write() {
            tls.write_tls(&mut records).unwrap();
        }
        socket.write_all(&records[..records.len() / 2]).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        drop(socket); // with unread data: a reset
    });
    assert_eq!(events.first().map(String::as_str), Some("made"));
    let last = events.last().unwrap();
    assert!(
        last.starts_with("lost: ") && last != "lost cleanly",
        "the reset was an error: {events:?}"
    );
    assert!(
        !events.iter().any(|event| event.starts_with("data y")),
        "no half record was passed on: {events:?}"
    );
}

/// Closes its transport as soon as it has one.
struct Closer(Rc<RefCell<Vec<String>>>, bool);

impl Protocol for Closer {
    fn connection_made(&mut self, transport: Transport) {
        if self.1 {
            transport.abort();
        } else {
            transport.close();
        }
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        let event = match error.as_ref().and_then(TlsError::of) {
            Some(TlsError::ShutdownTimeout(_)) => "shutdown timeout".to_owned(),
            _ => format!("lost {:?}", error.map(|error| error.kind())),
        };
        self.0.borrow_mut().push(event);
    }
}

/// Connects a blocking TLS client to `port` on a thread of its own, which
/// completes the handshake, then says nothing and holds the connection until
/// `hold` is dropped (or a minute passes).
fn hold_a_client(port: u16, ca: String, hold: std::sync::mpsc::Receiver<()>) {
    std::thread::spawn(move || {
        let (socket, _tls) = blocking_tls_client(port, &ca);
        let _ = hold.recv_timeout(Duration::from_secs(60));
        drop(socket);
    });
}

/// Serves one `Closer` (aborting or closing), with a client that completes
/// the handshake and then never answers; gives what the server saw.
fn close_with_a_silent_peer(abort: bool, shutdown: Duration) -> Vec<String> {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, _) = certificates::contexts(&issued);
    let ca = issued.cert_pem.clone();
    let events: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = events.clone();
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async move {
            let closer_events = seen.clone();
            let ssl = Ssl::new(server).shutdown_timeout(shutdown);
            let server = aio::create_server_ssl(
                move || Closer(closer_events.clone(), abort),
                "127.0.0.1",
                0,
                ssl,
            )
            .await
            .unwrap();
            hold_a_client(server.port(), ca, hold_rx);
            // A hang guard far below the 30 s default shutdown timeout.
            for _ in 0..1000 {
                if !seen.borrow().is_empty() {
                    break;
                }
                aio::sleep(Duration::from_millis(10)).await;
            }
            server.close();
        })
        .unwrap();
    drop(hold_tx);
    event_loop.close().unwrap();
    events.take()
}

#[test]
fn close_waits_for_the_peer_at_most_the_shutdown_timeout() {
    let events = close_with_a_silent_peer(false, Duration::from_millis(200));
    assert_eq!(events, ["shutdown timeout"]);
}

#[test]
fn abort_does_not_wait_for_the_peer() {
    let events = close_with_a_silent_peer(true, Duration::from_secs(30));
    assert_eq!(events, ["lost None"], "ended at once, and cleanly");
}

#[test]
fn flow_control_crosses_the_layer_and_a_peer_that_never_reads_is_bounded() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, _) = certificates::contexts(&issued);
    let ca = issued.cert_pem.clone();
    let report: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = report.clone();
    let (read_tx, read_rx) = std::sync::mpsc::channel::<()>();
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async move {
            let (written_tx, written_rx) = aio::oneshot::channel();
            let written_tx = Rc::new(RefCell::new(Some(written_tx)));
            let handler = move |reader: StreamReader, writer: StreamWriter| {
                let seen = seen.clone();
                let written_tx = written_tx.clone();
                async move {
                    // Write far more than any buffer, waiting in drain as
                    // a well-behaved writer does.
                    let chunk = vec![b'z'; 64 * 1024];
                    let mut sent = 0usize;
                    let mut largest = 0usize;
                    loop {
                        writer.write(&chunk).unwrap();
                        sent += chunk.len();
                        let buffered =
                            writer.transport().get_write_buffer_size();
                        largest = largest.max(buffered);
                        let drained = aio::wait_for(
                            writer.drain(),
                            Duration::from_millis(300),
                        )
                        .await;
                        if drained.is_err() {
                            break; // the peer isn't reading: drain waits
                        }
                    }
                    seen.borrow_mut().push(format!("stalled after {sent}"));
                    seen.borrow_mut().push(format!("largest {largest}"));
                    if let Some(tx) = written_tx.borrow_mut().take() {
                        let _ = tx.send(sent);
                    }
                    let _ = reader;
                    writer.transport().abort();
                }
            };
            let server = aio::start_server_ssl(handler, "127.0.0.1", 0, server)
                .await
                .unwrap();
            let port = server.port();
            std::thread::spawn(move || {
                let (socket, _tls) = blocking_tls_client(port, &ca);
                let _ = read_rx.recv_timeout(Duration::from_secs(60));
                drop(socket);
            });
            let sent = written_rx.await.unwrap();
            drop(read_tx);
            server.close();
            sent
        })
        .unwrap();
    event_loop.close().unwrap();
    let report = report.take();
    let largest: usize =
        report[1].strip_prefix("largest ").unwrap().parse().unwrap();
    let sent: usize =
        report[0].strip_prefix("stalled after ").unwrap().parse().unwrap();
    // What the kernel's buffers hold, plus our high water mark and one chunk.
    assert!(sent < 32 * 1024 * 1024, "the writer stalled: {report:?}");
    assert!(
        largest <= aio::DEFAULT_HIGH_WATER + 2 * 64 * 1024,
        "the buffer stayed bounded: {report:?}"
    );
}

#[test]
fn pause_writing_and_resume_writing_reach_the_application_through_tls() {
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    // More than the kernel's socket buffers take, so some waits in ours.
    let greeting = Recorder {
        greeting: vec![b'g'; 32 * 1024 * 1024],
        ..Recorder::default()
    };
    let events = record_a_connection(Ssl::new, greeting, move |port, ca| {
        let (mut socket, mut tls) = blocking_tls_client(port, &ca);
        let _ = go_rx.recv_timeout(Duration::from_millis(300));
        // Now read all of it, and the close_notify after.
        let mut got = 0usize;
        let mut buffer = [0u8; 65536];
        while got < 32 * 1024 * 1024 {
            if tls.read_tls(&mut socket).unwrap() == 0 {
                break;
            }
            tls.process_new_packets().unwrap();
            while let Ok(n) = tls.reader().read(&mut buffer) {
                if n == 0 {
                    break;
                }
                got += n;
            }
        }
        tls.send_close_notify();
        while tls.wants_write() {
            tls.write_tls(&mut socket).unwrap();
        }
        let _ = socket.read_to_end(&mut Vec::new());
    });
    drop(go_tx);
    let flow: Vec<&str> = events
        .iter()
        .map(String::as_str)
        .filter(|event| event.ends_with("_writing"))
        .collect();
    assert_eq!(flow, ["pause_writing", "resume_writing"], "{events:?}");
    assert_eq!(events.last().map(String::as_str), Some("lost cleanly"));
}

#[test]
fn pause_writing_reaches_an_application_that_writes_after_resuming_reading() {
    // The reply is written from a data_received that the resume delivers
    // on a later turn, not from inside the socket's own call: the pause
    // must still reach the application, which is busy writing.
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let replies = Recorder {
        reply: vec![b'r'; 32 * 1024 * 1024],
        resume_after: Some(Duration::from_millis(100)),
        ..Recorder::default()
    };
    let events = record_a_connection(Ssl::new, replies, move |port, ca| {
        let (mut socket, mut tls) = blocking_tls_client(port, &ca);
        tls.writer().write_all(b"go").unwrap();
        while tls.wants_write() {
            tls.write_tls(&mut socket).unwrap();
        }
        let _ = go_rx.recv_timeout(Duration::from_millis(500));
        let mut got = 0usize;
        let mut buffer = [0u8; 65536];
        while got < 32 * 1024 * 1024 {
            if tls.read_tls(&mut socket).unwrap() == 0 {
                break;
            }
            tls.process_new_packets().unwrap();
            while let Ok(n) = tls.reader().read(&mut buffer) {
                if n == 0 {
                    break;
                }
                got += n;
            }
        }
        tls.send_close_notify();
        while tls.wants_write() {
            tls.write_tls(&mut socket).unwrap();
        }
        let _ = socket.read_to_end(&mut Vec::new());
    });
    drop(go_tx);
    let flow: Vec<&str> = events
        .iter()
        .map(String::as_str)
        .filter(|event| event.ends_with("_writing"))
        .collect();
    assert_eq!(flow, ["pause_writing", "resume_writing"], "{events:?}");
}

#[test]
fn the_wrong_kind_of_context_is_a_clear_error() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    aio::run(async move {
        let error = aio::start_server_ssl(echo, "127.0.0.1", 0, client.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(tls_error(&error), TlsError::WrongSide { .. }),
            "{error}"
        );
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        let error =
            aio::open_connection_ssl("127.0.0.1", 9, server).await.unwrap_err();
        assert!(error.to_string().contains("a client context"), "{error}");
        let error = aio::open_connection_ssl(
            "127.0.0.1",
            9,
            Ssl::new(client).server_hostname("not a name!"),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(tls_error(&error), TlsError::InvalidServerName(_)),
            "{error}"
        );
    })
    .unwrap();
}

#[test]
fn a_missing_certificate_file_names_the_file() {
    let error =
        SslContext::server_from_files("/no/such/cert.pem", "/no/such/key.pem")
            .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("/no/such/cert.pem"), "{message}");
    assert!(message.contains("could not read the certificate"), "{message}");
    let key_as_cert = certificates::self_signed(&["localhost"]);
    let error = SslContext::server_from_pem(
        key_as_cert.key_pem.as_bytes(),
        key_as_cert.key_pem.as_bytes(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("is it the key?"), "{error}");
}

#[test]
fn start_tls_upgrades_an_open_stream_connection() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server, client) = certificates::contexts(&issued);
    let outcome = aio::run(async move {
        let server = Rc::new(server);
        let handler = move |reader: StreamReader, writer: StreamWriter| {
            let server = server.clone();
            async move {
                let line = reader.readline().await.unwrap();
                assert_eq!(line, b"STARTTLS\n");
                writer.write(b"OK\n").unwrap();
                writer.start_tls((*server).clone()).await.unwrap();
                let version = writer.get_extra_info("version");
                assert_eq!(version, Some(ExtraInfo::Version("TLSv1.3".into())));
                let secret = reader.readline().await.unwrap();
                writer.write(&secret).unwrap();
                writer.close();
            }
        };
        let server = aio::start_server(handler, "127.0.0.1", 0).await?;
        let (reader, writer) =
            aio::open_connection("127.0.0.1", server.port()).await?;
        writer.write(b"STARTTLS\n")?;
        assert_eq!(reader.readline().await.map_err(io::Error::other)?, b"OK\n");
        assert!(writer.can_write_eof(), "plain TCP, before the upgrade");
        writer.start_tls(Ssl::new(client).server_hostname("localhost")).await?;
        assert!(!writer.can_write_eof(), "TLS now");
        writer.write(b"a secret\n")?;
        let echoed = reader.readline().await.map_err(io::Error::other)?;
        writer.close();
        server.close();
        Ok::<_, io::Error>(echoed)
    })
    .unwrap()
    .unwrap();
    assert_eq!(outcome, b"a secret\n");
}

/// Pauses reading as soon as it has its transport, and counts what comes.
struct PausedReader {
    received: Rc<RefCell<usize>>,
    transport: Rc<RefCell<Option<Transport>>>,
}

impl Protocol for PausedReader {
    fn connection_made(&mut self, transport: Transport) {
        transport.pause_reading();
        self.transport.replace(Some(transport));
    }

    fn data_received(&mut self, data: &[u8]) {
        *self.received.borrow_mut() += data.len();
    }

    fn eof_received(&mut self) -> bool {
        false
    }
}

#[test]
fn pause_reading_reaches_through_tls_to_the_sender() {
    const FLOOD: usize = 16 * 1024 * 1024;
    let issued = certificates::self_signed(&["localhost"]);
    let (server, _) = certificates::contexts(&issued);
    let ca = issued.cert_pem.clone();
    let received: Rc<RefCell<usize>> = Rc::default();
    let transport: Rc<RefCell<Option<Transport>>> = Rc::default();
    let (counted, held) = (received.clone(), transport.clone());
    let event_loop = real_loop();
    let (while_paused, sender_done_while_paused, at_the_end) = event_loop
        .run_until_complete(async move {
            let server = aio::create_server_ssl(
                move || PausedReader {
                    received: counted.clone(),
                    transport: held.clone(),
                },
                "127.0.0.1",
                0,
                server,
            )
            .await
            .unwrap();
            let port = server.port();
            let (done_tx, done_rx) = aio::oneshot::channel();
            let sender_done =
                std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = sender_done.clone();
            std::thread::spawn(move || {
                let (mut socket, mut tls) = blocking_tls_client(port, &ca);
                let chunk = vec![b'f'; 64 * 1024];
                for _ in 0..FLOOD / chunk.len() {
                    tls.writer().write_all(&chunk).unwrap();
                    while tls.wants_write() {
                        tls.write_tls(&mut socket).unwrap();
                    }
                }
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                tls.send_close_notify();
                while tls.wants_write() {
                    tls.write_tls(&mut socket).unwrap();
                }
                let _ = socket.read_to_end(&mut Vec::new());
                let _ = done_tx.send(());
            });
            aio::sleep(Duration::from_millis(500)).await;
            let while_paused = *received.borrow();
            let sender_done =
                sender_done.load(std::sync::atomic::Ordering::SeqCst);
            let transport = transport.borrow().clone().expect("connected");
            transport.resume_reading();
            let _ = aio::wait_for(done_rx, Duration::from_secs(60)).await;
            server.close();
            (while_paused, sender_done, *received.borrow())
        })
        .unwrap();
    event_loop.close().unwrap();
    assert_eq!(while_paused, 0, "nothing was delivered while paused");
    assert!(
        !sender_done_while_paused,
        "the sender was held back: the pause reached its socket"
    );
    assert_eq!(at_the_end, FLOOD, "everything came after the resume");
}

#[test]
fn a_tls_connection_still_open_when_its_loop_closes_is_closed_quietly() {
    let log = CapturedLog::start();
    let issued = certificates::self_signed(&["localhost"]);
    let (server, _) = certificates::contexts(&issued);
    let ca = issued.cert_pem.clone();
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let event_loop = real_loop();
    event_loop
        .run_until_complete(async move {
            let accepted = aio::Event::new();
            let seen = accepted.clone();
            let server = aio::start_server_ssl(
                move |_reader, writer| {
                    let seen = seen.clone();
                    async move {
                        seen.set();
                        // Holds the writer until the loop closes.
                        aio::sleep(Duration::from_secs(3600)).await;
                        writer.close();
                    }
                },
                "127.0.0.1",
                0,
                Ssl::new(server),
            )
            .await
            .unwrap();
            hold_a_client(server.port(), ca, hold_rx);
            accepted.wait().await;
            server.close();
        })
        .unwrap();
    // The handler's task is still running: closing the loop drops it, and
    // with it a writer whose TLS connection must close without a loop.
    event_loop.close().unwrap();
    drop(hold_tx);
    let (leaked, errors): (Vec<String>, Vec<String>) = log
        .records()
        .into_iter()
        .filter(|(level, _)| *level == aio::Level::Error)
        .map(|(_, message)| message)
        .partition(|message| message.starts_with("Task was destroyed"));
    // The handler's task is reported, as asyncio reports it; its
    // connection closes without a word.
    assert_eq!(leaked.len(), 1, "the handler's task: {leaked:#?}");
    assert!(errors.is_empty(), "{errors:#?}");
}
