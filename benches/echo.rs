//! TCP echo throughput, uvloop's setup: 10 connections, one request in flight
//! on each, messages of 1, 10 and 100 KiB, `TCP_NODELAY`. The same load
//! generator (one thread, a hand-written mio loop) drives every server in turn:
//!
//! - aio streams and aio protocols;
//! - tokio (`current_thread`) and smol (`LocalExecutor`);
//! - Python asyncio streams and protocols, and uvloop (installed with pip if
//!   missing; skipped with a message if that fails);
//! - a bare hand-written mio loop with no runtime: the floor.
//!
//! Then the same over TLS 1.3: aio streams and protocols, tokio with
//! tokio-rustls, Python asyncio streams and protocols and uvloop with `ssl`,
//! all with one certificate made for the run and one cipher suite,
//! `TLS13_AES_128_GCM_SHA256` (the generator does TLS with rustls, and
//! offers only that suite). Its table is `book/generated/echo_tls.md`.
//!
//! ```sh
//! cargo bench --bench echo            # 3 s per measurement
//! cargo bench --bench echo -- --quick # 1 s per measurement
//! cargo bench --bench echo -- --flood-only # only the fairness table
//! cargo bench --bench echo -- --tls-only   # only the TLS table
//! ```
//!
//! It prints requests per second and how busy the generator was (if it were
//! near 100%, the generator, not the server, would be the bottleneck), and
//! writes them to `book/generated/echo.tsv`, with the table rendered from
//! them (each server's time per request relative to tokio's) in
//! `book/generated/echo.md`; `cargo run -p figures` draws the chart.
//!
//! Then it measures fairness: one connection floods each server while a probe
//! on another times its small round trips. A server that drains a socket
//! until `WouldBlock` without a budget makes the probe wait for the flood. The
//! probe's latencies go to `book/generated/echo_flood.tsv` and its table to
//! `book/generated/echo_flood.md`.

use aio::rustls::{self, ClientConfig, ServerConfig};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::io::{ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 10;
const SIZES: [usize; 3] = [1024, 10 * 1024, 100 * 1024];

// ---------------------------------------------------------------- servers in
// threads

/// Starts `serve` on a thread of its own; it must report its port through the
/// sender.
fn on_thread(serve: impl FnOnce(mpsc::Sender<u16>) + Send + 'static) -> u16 {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || serve(tx));
    rx.recv_timeout(Duration::from_secs(30)).expect("the server starts")
}

/// aio's streams echo: read what came, write it back, wait for the drain.
async fn echo_streams(reader: aio::StreamReader, writer: aio::StreamWriter) {
    loop {
        match reader.read(64 * 1024).await {
            Ok(data) if !data.is_empty() => {
                if writer.write(&data).is_err() || writer.drain().await.is_err()
                {
                    break;
                }
            }
            _ => break,
        }
    }
    writer.close();
}

/// aio's streams server, with TLS if given a config.
fn aio_streams(tls: Option<Arc<ServerConfig>>) -> u16 {
    on_thread(|port| {
        aio::run(async move {
            let server = match tls {
                None => aio::start_server(echo_streams, "127.0.0.1", 0).await,
                Some(config) => {
                    let ssl = aio::Ssl::new(aio::SslContext::Server(config));
                    aio::start_server_ssl(echo_streams, "127.0.0.1", 0, ssl)
                        .await
                }
            }
            .unwrap();
            port.send(server.port()).unwrap();
            server.serve_forever().await;
        })
        .unwrap();
    })
}

/// An echo protocol with flow control, as chapter 7's example has it: while
/// its echoes can't leave, it stops reading (so a flood can't grow its write
/// buffer without limit).
struct AioEcho(Option<aio::Transport>);

impl aio::Protocol for AioEcho {
    fn connection_made(&mut self, transport: aio::Transport) {
        self.0 = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        let _ = self.0.as_ref().unwrap().write(data);
    }
    fn pause_writing(&mut self) {
        self.0.as_ref().unwrap().pause_reading();
    }
    fn resume_writing(&mut self) {
        self.0.as_ref().unwrap().resume_reading();
    }
}

/// aio's protocol server, with TLS if given a config.
fn aio_protocol(tls: Option<Arc<ServerConfig>>) -> u16 {
    on_thread(|port| {
        aio::run(async move {
            let echo = || AioEcho(None);
            let server = match tls {
                None => aio::create_server(echo, "127.0.0.1", 0).await,
                Some(config) => {
                    let ssl = aio::Ssl::new(aio::SslContext::Server(config));
                    aio::create_server_ssl(echo, "127.0.0.1", 0, ssl).await
                }
            }
            .unwrap();
            port.send(server.port()).unwrap();
            server.serve_forever().await;
        })
        .unwrap();
    })
}

/// tokio's echo, over a plain socket or a TLS stream.
async fn tokio_echo<S>(mut socket: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                // The flush sends a TLS stream's last records; a socket's is
                // a no-op.
                if socket.write_all(&buffer[..n]).await.is_err()
                    || socket.flush().await.is_err()
                {
                    break;
                }
            }
        }
    }
}

/// A tokio `current_thread` server that runs `serve` on every connection.
fn tokio_on_thread<F, Fut>(serve: F) -> u16
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_thread(move |port| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener =
                tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            port.send(listener.local_addr().unwrap().port()).unwrap();
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                socket.set_nodelay(true).unwrap();
                tokio::spawn(serve(socket));
            }
        });
    })
}

fn tokio_server() -> u16 {
    tokio_on_thread(tokio_echo)
}

/// tokio with tokio-rustls: the handshake, then the same echo.
fn tokio_rustls_server(config: Arc<ServerConfig>) -> u16 {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio_on_thread(move |socket| {
        let handshake = acceptor.accept(socket);
        async move {
            if let Ok(stream) = handshake.await {
                tokio_echo(stream).await;
            }
        }
    })
}

fn smol_server() -> u16 {
    on_thread(|port| {
        let executor = std::rc::Rc::new(smol::LocalExecutor::new());
        let ex = executor.clone();
        smol::block_on(executor.run(async move {
            let listener =
                smol::Async::<std::net::TcpListener>::bind(([127, 0, 0, 1], 0))
                    .unwrap();
            port.send(listener.get_ref().local_addr().unwrap().port()).unwrap();
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                socket.get_ref().set_nodelay(true).unwrap();
                ex.spawn(async move {
                    use smol::io::{AsyncReadExt, AsyncWriteExt};
                    let mut buffer = vec![0u8; 64 * 1024];
                    loop {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => {
                                if socket.write_all(&buffer[..n]).await.is_err()
                                {
                                    break;
                                }
                            }
                        }
                    }
                })
                .detach();
            }
        }));
    })
}

/// The floor: a hand-written mio loop, no runtime, no tasks, no wakers.
fn bare_mio() -> u16 {
    on_thread(|port| {
        let mut poll = Poll::new().unwrap();
        let mut listener =
            TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        port.send(listener.local_addr().unwrap().port()).unwrap();
        poll.registry()
            .register(&mut listener, Token(usize::MAX), Interest::READABLE)
            .unwrap();
        let mut connections: Vec<Option<(TcpStream, Vec<u8>)>> = Vec::new();
        let mut events = Events::with_capacity(256);
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            poll.poll(&mut events, None).unwrap();
            for event in &events {
                if event.token() == Token(usize::MAX) {
                    while let Ok((mut stream, _)) = listener.accept() {
                        stream.set_nodelay(true).unwrap();
                        let token = Token(connections.len());
                        poll.registry()
                            .register(
                                &mut stream,
                                token,
                                Interest::READABLE | Interest::WRITABLE,
                            )
                            .unwrap();
                        connections.push(Some((stream, Vec::new())));
                    }
                    continue;
                }
                let slot = &mut connections[event.token().0];
                let Some((stream, pending)) = slot.as_mut() else { continue };
                let mut closed = false;
                // Flush what is pending, then read and echo until WouldBlock.
                loop {
                    while !pending.is_empty() {
                        match stream.write(pending) {
                            Ok(n) => {
                                pending.drain(..n);
                            }
                            Err(error)
                                if error.kind() == ErrorKind::WouldBlock =>
                            {
                                break;
                            }
                            Err(_) => {
                                closed = true;
                                break;
                            }
                        }
                    }
                    if !pending.is_empty() || closed {
                        break;
                    }
                    match stream.read(&mut buffer) {
                        Ok(0) => {
                            closed = true;
                            break;
                        }
                        Ok(n) => pending.extend_from_slice(&buffer[..n]),
                        Err(error) if error.kind() == ErrorKind::WouldBlock => {
                            break;
                        }
                        Err(_) => {
                            closed = true;
                            break;
                        }
                    }
                }
                if closed {
                    *slot = None;
                }
            }
        }
    })
}

// ---------------------------------------------------------------- Python
// servers

/// A Python echo server: `python3 -c PYTHON_SERVER STYLE [CERTFILE KEYFILE]`
/// serves with TLS if given a certificate and its key.
const PYTHON_SERVER: &str = r#"
import asyncio, ssl, sys
style = sys.argv[1]
if style == 'uvloop':
    import uvloop
tls = None
if len(sys.argv) > 3:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_3
    tls.load_cert_chain(sys.argv[2], sys.argv[3])
class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        self.transport.write(data)
    def pause_writing(self):
        self.transport.pause_reading()
    def resume_writing(self):
        self.transport.resume_reading()
async def handle(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()
async def main():
    loop = asyncio.get_running_loop()
    if style == 'streams':
        server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=tls)
    else:
        server = await loop.create_server(Echo, '127.0.0.1', 0, ssl=tls)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(3600)
if style == 'uvloop':
    uvloop.run(main())
else:
    asyncio.run(main())
"#;

/// Starts a Python server (with TLS if given the certificate's files);
/// returns it with its port, or why it could not start.
fn python_server(
    style: &str,
    tls: Option<&CertificateFiles>,
) -> Result<(Child, u16), String> {
    let mut command = Command::new("python3");
    command.args(["-c", PYTHON_SERVER, style]);
    if let Some(files) = tls {
        command.arg(&files.cert).arg(&files.key);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("python3 could not start: {error}"))?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .map_err(|error| error.to_string())?;
    match line.trim().parse() {
        Ok(port) => Ok((child, port)),
        Err(_) => {
            let _ = child.kill();
            let mut stderr = String::new();
            let _ = std::io::Read::read_to_string(
                child.stderr.as_mut().unwrap(),
                &mut stderr,
            );
            Err(stderr.lines().last().unwrap_or("no output").to_owned())
        }
    }
}

// ---------------------------------------------------------------- TLS: one
// certificate and one cipher suite for every server

/// The suite every connection uses. Python 3.11's `ssl` cannot pin a TLS 1.3
/// suite on its side, but the client offers the suites and the server picks
/// one of them: the generator offers only this, and checks it was chosen.
const SUITE: rustls::CipherSuite =
    rustls::CipherSuite::TLS13_AES_128_GCM_SHA256;

/// ring's provider (aio's, and tokio-rustls's here) with only [`SUITE`].
fn pinned_provider() -> Arc<rustls::crypto::CryptoProvider> {
    use rustls::crypto::ring;
    Arc::new(rustls::crypto::CryptoProvider {
        cipher_suites: vec![ring::cipher_suite::TLS13_AES_128_GCM_SHA256],
        ..ring::default_provider()
    })
}

/// The run's certificate for `localhost`, made once, and the files the
/// Python servers read it from (removed at the end of the run).
struct Certificate {
    cert_pem: String,
    key_pem: String,
    files: CertificateFiles,
}

struct CertificateFiles {
    dir: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Drop for CertificateFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn certificate() -> Certificate {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let (cert_pem, key_pem) = (cert.pem(), key.serialize_pem());
    let dir = std::env::temp_dir()
        .join(format!("aio-echo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = CertificateFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
        dir,
    };
    std::fs::write(&files.cert, &cert_pem).unwrap();
    std::fs::write(&files.key, &key_pem).unwrap();
    Certificate { cert_pem, key_pem, files }
}

/// TLS 1.3 only, [`SUITE`] only, the run's certificate.
fn server_config(certificate: &Certificate) -> Arc<ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_slice_iter(certificate.cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key =
        PrivateKeyDer::from_pem_slice(certificate.key_pem.as_bytes()).unwrap();
    let config = ServerConfig::builder_with_provider(pinned_provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    Arc::new(config)
}

/// The generator's side: trusts the run's certificate, offers only
/// [`SUITE`], TLS 1.3 only.
fn client_config(certificate: &Certificate) -> Arc<ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let cert = CertificateDer::from_pem_slice(certificate.cert_pem.as_bytes());
    roots.add(cert.unwrap()).unwrap();
    let config = ClientConfig::builder_with_provider(pinned_provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

// ---------------------------------------------------------------- the load
// generator

struct Load {
    requests_per_second: f64,
    busy: f64,
}

/// One of the generator's connections: a plain socket, or TLS over one.
/// Either reads and writes like a non-blocking socket.
enum Wire {
    Plain(TcpStream),
    Tls(Box<TlsWire>),
}

struct TlsWire {
    socket: TcpStream,
    tls: rustls::ClientConnection,
}

impl Wire {
    /// Connects to `address` (and does the TLS handshake, before the clock
    /// starts), then makes the socket non-blocking.
    fn connect(address: SocketAddr, tls: Option<&Arc<ClientConfig>>) -> Wire {
        let mut socket = std::net::TcpStream::connect(address).unwrap();
        socket.set_nodelay(true).unwrap();
        let tls = tls.map(|config| {
            let name = "localhost".try_into().unwrap();
            let mut tls =
                rustls::ClientConnection::new(config.clone(), name).unwrap();
            while tls.is_handshaking() {
                tls.complete_io(&mut socket).expect("the TLS handshake");
            }
            let suite = tls.negotiated_cipher_suite().map(|s| s.suite());
            assert_eq!(suite, Some(SUITE), "the server chose another suite");
            tls
        });
        socket.set_nonblocking(true).unwrap();
        let socket = TcpStream::from_std(socket);
        match tls {
            None => Wire::Plain(socket),
            Some(tls) => Wire::Tls(Box::new(TlsWire { socket, tls })),
        }
    }

    fn socket(&mut self) -> &mut TcpStream {
        match self {
            Wire::Plain(socket) => socket,
            Wire::Tls(wire) => &mut wire.socket,
        }
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        match self {
            Wire::Plain(socket) => socket.write(data),
            Wire::Tls(wire) => wire.write(data),
        }
    }

    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Wire::Plain(socket) => socket.read(buffer),
            Wire::Tls(wire) => wire.read(buffer),
        }
    }

    /// Says goodbye properly, so that no server logs a truncated stream.
    fn close(&mut self) {
        if let Wire::Tls(wire) = self {
            wire.tls.send_close_notify();
            let _ = wire.flush();
        }
    }
}

impl TlsWire {
    /// Sends the records rustls has ready, until the socket would block.
    fn flush(&mut self) -> std::io::Result<()> {
        while self.tls.wants_write() {
            self.tls.write_tls(&mut self.socket)?;
        }
        Ok(())
    }

    /// Encrypts what it can of `data`: `WouldBlock` while earlier records
    /// still wait for the socket.
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.flush()?;
        let n = self.tls.writer().write(data)?;
        if n == 0 {
            return Err(ErrorKind::WouldBlock.into());
        }
        ignore_would_block(self.flush())?;
        Ok(n)
    }

    /// Decrypted bytes, reading records from the socket until some come
    /// (or it would block); `Ok(0)` when the server closed.
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        // Records left over from a write that would have blocked go first.
        ignore_would_block(self.flush())?;
        loop {
            match self.tls.reader().read(buffer) {
                Err(error) if error.kind() == ErrorKind::WouldBlock => {}
                done => return done,
            }
            if self.tls.read_tls(&mut self.socket)? == 0 {
                return Ok(0);
            }
            self.tls.process_new_packets().map_err(std::io::Error::other)?;
        }
    }
}

fn ignore_would_block(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(error) if error.kind() == ErrorKind::WouldBlock => Ok(()),
        other => other,
    }
}

/// Drives `CONNECTIONS` connections to `port` for `duration`, each with one
/// message of `size` bytes in flight, and counts the round trips; over TLS
/// if given a client config.
fn generate(
    port: u16,
    size: usize,
    duration: Duration,
    tls: Option<&Arc<ClientConfig>>,
) -> Load {
    let address: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut poll = Poll::new().unwrap();
    let message = vec![b'x'; size];
    struct Client {
        wire: Wire,
        sent: usize,
        received: usize,
    }
    let mut clients: Vec<Client> = (0..CONNECTIONS)
        .map(|n| {
            let mut wire = Wire::connect(address, tls);
            poll.registry()
                .register(
                    wire.socket(),
                    Token(n),
                    Interest::READABLE | Interest::WRITABLE,
                )
                .unwrap();
            Client { wire, sent: 0, received: 0 }
        })
        .collect();
    let mut events = Events::with_capacity(64);
    let mut buffer = vec![0u8; 128 * 1024];
    let mut completed = 0u64;
    let mut waiting = Duration::ZERO;
    let start = Instant::now();
    while start.elapsed() < duration {
        let before = Instant::now();
        poll.poll(&mut events, Some(Duration::from_millis(100))).unwrap();
        waiting += before.elapsed();
        for event in &events {
            let client = &mut clients[event.token().0];
            loop {
                let mut progressed = false;
                while client.sent < size {
                    match client.wire.write(&message[client.sent..]) {
                        Ok(n) => {
                            client.sent += n;
                            progressed = true;
                        }
                        Err(error) if error.kind() == ErrorKind::WouldBlock => {
                            break;
                        }
                        Err(error) => panic!("the server failed: {error}"),
                    }
                }
                match client.wire.read(&mut buffer) {
                    Ok(0) => panic!("the server closed the connection"),
                    Ok(n) => {
                        client.received += n;
                        progressed = true;
                        if client.received >= size {
                            completed += 1;
                            client.sent = 0;
                            client.received = 0;
                        }
                    }
                    Err(error) if error.kind() == ErrorKind::WouldBlock => {}
                    Err(error) => panic!("the server failed: {error}"),
                }
                if !progressed {
                    break;
                }
            }
        }
    }
    let elapsed = start.elapsed();
    for client in &mut clients {
        client.wire.close();
    }
    Load {
        requests_per_second: completed as f64 / elapsed.as_secs_f64(),
        busy: 1.0 - waiting.as_secs_f64() / elapsed.as_secs_f64(),
    }
}

// ---------------------------------------------------------------- fairness
// under a flood

/// The probe's message: small, one in flight.
const PROBE_MESSAGE: usize = 64;
/// The pause between two of the probe's round trips: an interactive client,
/// not a second flood competing for the two cores.
const PROBE_PAUSE: Duration = Duration::from_millis(1);
/// How long the probe waits for one echo before calling the server starved.
const PROBE_GIVES_UP: Duration = Duration::from_secs(10);

struct Fairness {
    /// The probe's round trips, fastest first; empty if it got no answer.
    round_trips: Vec<Duration>,
    /// Whether the probe waited `PROBE_GIVES_UP` for an answer.
    starved: bool,
    /// The flood's echoed bytes per second, while the probe ran.
    flood_bytes_per_second: f64,
}

/// One client floods `port` (a thread writes 64 KiB pieces as fast as the
/// server takes them, another reads the echoes back); meanwhile a probe on
/// its own connection makes one small round trip every millisecond or so for
/// `duration`, each timed.
fn flood_and_probe(port: u16, duration: Duration) -> Fairness {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let stop = Arc::new(AtomicBool::new(false));
    let echoed = Arc::new(AtomicU64::new(0));
    let mut flood = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    flood.set_nodelay(true).unwrap();
    let mut echoes = flood.try_clone().unwrap();
    let counter = echoed.clone();
    std::thread::spawn(move || {
        let mut sink = vec![0u8; 256 * 1024];
        while let Ok(n @ 1..) = echoes.read(&mut sink) {
            counter.fetch_add(n as u64, Ordering::Relaxed);
        }
    });
    let stopping = stop.clone();
    let writer = std::thread::spawn(move || {
        let piece = vec![b'f'; 64 * 1024];
        while !stopping.load(Ordering::Relaxed) {
            if flood.write_all(&piece).is_err() {
                break;
            }
        }
        let _ = flood.shutdown(std::net::Shutdown::Write);
    });
    // Let the flood fill every buffer on the way first.
    std::thread::sleep(Duration::from_millis(200));

    let mut probe = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    probe.set_nodelay(true).unwrap();
    probe.set_read_timeout(Some(PROBE_GIVES_UP)).unwrap();
    let message = [b'p'; PROBE_MESSAGE];
    let mut echo = [0u8; PROBE_MESSAGE];
    let mut round_trips = Vec::new();
    let mut starved = false;
    let echoed_before = echoed.load(Ordering::Relaxed);
    let start = Instant::now();
    while start.elapsed() < duration {
        let sent = Instant::now();
        probe.write_all(&message).unwrap();
        if probe.read_exact(&mut echo).is_err() {
            starved = true;
            break;
        }
        round_trips.push(sent.elapsed());
        std::thread::sleep(PROBE_PAUSE);
    }
    let flood_bytes_per_second = (echoed.load(Ordering::Relaxed)
        - echoed_before) as f64
        / start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();
    round_trips.sort();
    Fairness { round_trips, starved, flood_bytes_per_second }
}

// ---------------------------------------------------------------- report

/// The servers of one table, each with its port or why it did not start,
/// and the Python processes among them, ended with the table.
struct Servers {
    list: Vec<(String, Result<u16, String>)>,
    children: Vec<Child>,
}

impl Servers {
    fn new(in_process: Vec<(&str, u16)>) -> Servers {
        let list = in_process
            .into_iter()
            .map(|(name, port)| (name.to_owned(), Ok(port)))
            .collect();
        Servers { list, children: Vec::new() }
    }

    /// Adds a Python server of `style` (`uvloop` installs uvloop first).
    fn python(
        &mut self,
        name: &str,
        style: &str,
        tls: Option<&CertificateFiles>,
    ) {
        let ready = if style == "uvloop" { ensure_uvloop() } else { Ok(()) };
        let started = ready.and_then(|()| python_server(style, tls));
        let port = started.map(|(child, port)| {
            self.children.push(child);
            port
        });
        self.list.push((name.to_owned(), port));
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The plain TCP servers.
fn plain_servers() -> Servers {
    let mut servers = Servers::new(vec![
        ("aio streams", aio_streams(None)),
        ("aio protocol", aio_protocol(None)),
        (bench_data::REFERENCE, tokio_server()),
        ("smol LocalExecutor", smol_server()),
        ("bare mio loop (floor)", bare_mio()),
    ]);
    servers.python("Python asyncio streams", "streams", None);
    servers.python("Python asyncio protocol", "protocol", None);
    servers.python("uvloop protocol", "uvloop", None);
    servers
}

/// The TLS servers, all with the run's certificate.
fn tls_servers(certificate: &Certificate) -> Servers {
    let config = server_config(certificate);
    let mut servers = Servers::new(vec![
        ("aio streams", aio_streams(Some(config.clone()))),
        ("aio protocol", aio_protocol(Some(config.clone()))),
        (bench_data::TLS_REFERENCE, tokio_rustls_server(config)),
    ]);
    let files = Some(&certificate.files);
    servers.python("Python asyncio streams", "streams", files);
    servers.python("Python asyncio protocol", "protocol", files);
    servers.python("uvloop protocol", "uvloop", files);
    servers
}

fn main() {
    let flag = |name: &str| std::env::args().any(|arg| arg == name);
    let (quick, flood_only, tls_only) =
        (flag("--quick"), flag("--flood-only"), flag("--tls-only"));
    let duration =
        if quick { Duration::from_secs(1) } else { Duration::from_secs(3) };
    if !tls_only {
        let servers = plain_servers();
        if !flood_only {
            throughput_report(&servers.list, None, duration, quick);
        }
        flood_report(&servers.list, duration, quick);
    }
    if !flood_only {
        let certificate = certificate();
        let servers = tls_servers(&certificate);
        let client = client_config(&certificate);
        throughput_report(&servers.list, Some(&client), duration, quick);
    }
}

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

#[path = "support/bench_args.rs"]
#[allow(dead_code)] // echo reads its own flags; it shares uvloop's install
mod bench_args;

use bench_args::ensure_uvloop;

/// Where the data files and their tables go.
fn generated_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/generated")
}

/// `" (quick mode)"` in quick mode, for a table's note.
fn mode(quick: bool) -> &'static str {
    if quick { " (quick mode)" } else { "" }
}

/// Measures every server's throughput and writes `book/generated/echo.tsv`
/// and its table, `echo.md`; over TLS, with `tls` as the generator's side,
/// `echo_tls.tsv` and `echo_tls.md`.
fn throughput_report(
    servers: &[(String, Result<u16, String>)],
    tls: Option<&Arc<ClientConfig>>,
    duration: Duration,
    quick: bool,
) {
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::ECHO_COLUMNS);
    let (name, flag, over) = match tls {
        None => ("echo", "", String::new()),
        Some(_) => (
            "echo_tls",
            " --tls-only",
            format!(" over TLS 1.3 with {SUITE:?} only"),
        ),
    };
    let command = match (quick, flag) {
        (false, "") => "cargo bench --bench echo".to_owned(),
        (quick, flag) => format!(
            "cargo bench --bench echo --{}{flag}",
            if quick { " --quick" } else { "" }
        ),
    };
    data.set_meta("command", &command);
    for (server, port) in servers {
        let port = match port {
            Ok(port) => *port,
            Err(reason) => {
                println!("{server}: skipped: {reason}");
                let skipped = [server, "", "", "", reason.as_str()];
                data.push(skipped.map(str::to_owned).to_vec());
                continue;
            }
        };
        for size in SIZES {
            let load = generate(port, size, duration, tls);
            println!(
                "{server}{over}, {size} B: {:.0} requests/s, generator {:.0}% \
                 busy",
                load.requests_per_second,
                load.busy * 100.0
            );
            data.push(vec![
                server.clone(),
                size.to_string(),
                format!("{:.1}", load.requests_per_second),
                format!("{:.3}", load.busy),
                String::new(),
            ]);
        }
    }
    data.set_meta(
        "note",
        &format!(
            "{CONNECTIONS} connections{over}, one request in flight on each, \
             {} s per measurement{}, on {}.",
            duration.as_secs(),
            mode(quick),
            bench_data::machine(started),
        ),
    );
    data.save(&generated_dir(), name).unwrap();
    print!("\n{}", bench_data::table(name, &data));
    println!(
        "\nwritten to {}/{name}.tsv and {name}.md; run `cargo run -p figures` \
         to redraw the chart",
        generated_dir().display()
    );
}

/// Measures every server's fairness under a flood and writes
/// `book/generated/echo_flood.tsv` and its table, `echo_flood.md`.
fn flood_report(
    servers: &[(String, Result<u16, String>)],
    duration: Duration,
    quick: bool,
) {
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::FLOOD_COLUMNS);
    data.set_meta(
        "command",
        if quick {
            "cargo bench --bench echo -- --quick --flood-only"
        } else {
            "cargo bench --bench echo -- --flood-only"
        },
    );
    for (name, port) in servers {
        let cells = match port {
            Ok(port) => flood_cells(name, flood_and_probe(*port, duration)),
            Err(reason) => {
                let columns = bench_data::FLOOD_COLUMNS.len();
                let mut cells = vec![String::new(); columns];
                cells[0].clone_from(name);
                cells[columns - 1].clone_from(reason);
                cells
            }
        };
        println!("{}", cells.join(" "));
        data.push(cells);
    }
    data.set_meta(
        "note",
        &format!(
            "One connection floods the server with 64 KiB pieces (and reads \
             the echoes back) while a probe on another connection makes a \
             {PROBE_MESSAGE}-byte round trip every {} ms or so, for {} s{}, \
             on {}; the last column is the flood's own throughput meanwhile.",
            PROBE_PAUSE.as_millis(),
            duration.as_secs(),
            mode(quick),
            bench_data::machine(started),
        ),
    );
    data.save(&generated_dir(), "echo_flood").unwrap();
    print!("\n{}", bench_data::flood_table(&data));
    println!(
        "\nwritten to {}/echo_flood.tsv and echo_flood.md",
        generated_dir().display()
    );
}

/// One server's line of the flood data, in `bench_data::FLOOD_COLUMNS`'
/// order.
fn flood_cells(name: &str, fairness: Fairness) -> Vec<String> {
    let trips = &fairness.round_trips;
    let nanos = |trip: Option<&Duration>| {
        trip.map_or(String::new(), |trip| trip.as_nanos().to_string())
    };
    let at = |share: f64| {
        let index = ((trips.len() as f64 * share) as usize)
            .min(trips.len().saturating_sub(1));
        nanos(trips.get(index))
    };
    vec![
        name.to_owned(),
        trips.len().to_string(),
        at(0.5),
        at(0.99),
        nanos(trips.last()),
        if fairness.starved { "yes" } else { "no" }.to_owned(),
        PROBE_GIVES_UP.as_nanos().to_string(),
        format!("{:.0}", fairness.flood_bytes_per_second),
        String::new(),
    ]
}
