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
//! On two cores the generator is often the bottleneck, so requests per
//! second say little about the server. What ranks the servers is the
//! **server's CPU time per request**: the in-process servers each run on a
//! thread of their own, whose CPU time is read from
//! `/proc/self/task/TID/schedstat` before and after each measurement window;
//! a Python server's is the sum over its process's threads
//! (`benches/support/cpu_accounting.rs`). Each (server, size) is measured in
//! several rounds, taken in turns, and the table gives medians; a row whose
//! generator was busy most of the window is marked generator-bound. Where the
//! machine has hardware counters, the server thread's instructions per
//! request are counted too (`perf_event_open`); where not, the table says so.
//!
//! Then the same over TLS 1.3: aio streams and protocols, tokio with
//! tokio-rustls, Python asyncio streams and protocols and uvloop with `ssl`,
//! all with one certificate made for the run and one cipher suite,
//! `TLS13_AES_128_GCM_SHA256` (the generator does TLS with rustls, and
//! offers only that suite). Its table is `book/generated/echo_tls.md`.
//!
//! ```sh
//! cargo bench --bench echo            # 5 rounds of 1 s per measurement
//! cargo bench --bench echo -- --quick # 1 round of 0.5 s
//! cargo bench --bench echo -- --flood-only # only the fairness table
//! cargo bench --bench echo -- --tls-only   # only the TLS table
//! cargo bench --bench echo -- --idle-only  # only the idle memory table
//! ```
//!
//! It writes its measurements to `book/generated/echo.tsv`, with the table
//! rendered from them in `book/generated/echo.md`; `cargo run -p figures`
//! draws the chart.
//!
//! Then it measures fairness: one connection floods each server while a probe
//! on another times its small round trips. A server that drains a socket
//! until `WouldBlock` without a budget makes the probe wait for the flood. The
//! probe's latencies go to `book/generated/echo_flood.tsv` and its table to
//! `book/generated/echo_flood.md`.
//!
//! Last, the memory of idle connections: each server in a process of its
//! own (the Rust ones are this program run again with `--serve-idle NAME`),
//! 2,000 connections that have each echoed one message, and the growth of
//! the server's resident memory (`book/generated/idle.tsv` and `idle.md`).

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

/// A server under test: where it listens, and whose CPU time it spends.
#[derive(Clone, Copy, Debug)]
struct Target {
    port: u16,
    cpu: CpuClock,
}

/// Starts `serve` on a thread of its own; it must report its port through the
/// sender. The thread's kernel id is taken as it starts, so that its CPU time
/// can be read while it serves, and it runs on the servers' core.
fn on_thread(serve: impl FnOnce(mpsc::Sender<u16>) + Send + 'static) -> Target {
    let (tid_tx, tid_rx) = mpsc::channel();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        run_on(current_thread_id(), [SERVER_CPU]);
        tid_tx.send(current_thread_id()).unwrap();
        serve(tx);
    });
    let tid = tid_rx.recv().expect("the server's thread starts");
    let port =
        rx.recv_timeout(Duration::from_secs(30)).expect("the server starts");
    Target { port, cpu: CpuClock::Thread(tid) }
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
fn aio_streams(tls: Option<Arc<ServerConfig>>) -> Target {
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
fn aio_protocol(tls: Option<Arc<ServerConfig>>) -> Target {
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
fn tokio_on_thread<F, Fut>(serve: F) -> Target
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

fn tokio_server() -> Target {
    tokio_on_thread(tokio_echo)
}

/// tokio with tokio-rustls: the handshake, then the same echo.
fn tokio_rustls_server(config: Arc<ServerConfig>) -> Target {
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

fn smol_server() -> Target {
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
fn bare_mio() -> Target {
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
                // Flush what is pending, then read and echo until
                // WouldBlock: each read's bytes go straight back from the
                // read buffer, and only what the socket will not take now
                // waits in `pending`.
                loop {
                    match write_until_blocked(stream, pending) {
                        Some(sent) => drop(pending.drain(..sent)),
                        None => closed = true,
                    }
                    if !pending.is_empty() || closed {
                        break;
                    }
                    match stream.read(&mut buffer) {
                        Ok(0) => closed = true,
                        Ok(n) => {
                            match write_until_blocked(stream, &buffer[..n]) {
                                Some(sent) => {
                                    pending.extend_from_slice(&buffer[sent..n]);
                                }
                                None => closed = true,
                            }
                        }
                        Err(error) if error.kind() == ErrorKind::WouldBlock => {
                            break;
                        }
                        Err(_) => closed = true,
                    }
                }
                if closed {
                    *slot = None;
                }
            }
        }
    })
}

/// Writes as much of `data` as the socket takes now: how much it took, or
/// `None` if the connection failed.
fn write_until_blocked(stream: &mut TcpStream, data: &[u8]) -> Option<usize> {
    let mut sent = 0;
    while sent < data.len() {
        match stream.write(&data[sent..]) {
            Ok(n) => sent += n,
            Err(error) if error.kind() == ErrorKind::WouldBlock => break,
            Err(_) => return None,
        }
    }
    Some(sent)
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

/// Starts a Python server (with TLS if given the certificate's files), on
/// the servers' core; returns it with its port and CPU clock (its whole
/// process's), or why it could not start.
fn python_server(
    style: &str,
    tls: Option<&CertificateFiles>,
) -> Result<(Child, Target), String> {
    let mut command = Command::new("python3");
    command.args(["-c", PYTHON_SERVER, style]);
    if let Some(files) = tls {
        command.arg(&files.cert).arg(&files.key);
    }
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("python3 could not start: {error}"))?;
    let (child, port) = read_port(child)?;
    run_on(child.id() as i32, [SERVER_CPU]);
    let cpu = CpuClock::Process(child.id());
    Ok((child, Target { port, cpu }))
}

/// Reads the port a server child prints as its first line; if it prints
/// something else, ends it and gives the last line of its error output.
fn read_port(mut child: Child) -> Result<(Child, u16), String> {
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
            if let Some(output) = child.stderr.as_mut() {
                let _ = output.read_to_string(&mut stderr);
            }
            let _ = child.wait();
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

/// What one measurement window saw.
struct Load {
    /// Round trips completed in the window.
    requests: u64,
    /// The window's length.
    wall: Duration,
    /// CPU time the server spent in the window.
    server_cpu: Duration,
    /// CPU time the generator's thread spent in the window.
    generator_cpu: Duration,
    /// Instructions the server's (main) thread ran in user space in the
    /// window, if the machine can count them.
    server_instructions: Option<u64>,
}

impl Load {
    fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64()
    }

    /// The server's CPU time per request, in microseconds.
    fn server_cpu_us_per_request(&self) -> f64 {
        self.server_cpu.as_secs_f64() * 1e6 / self.requests.max(1) as f64
    }

    /// The share of the window the server was on a CPU: 1 is a whole core.
    fn server_share(&self) -> f64 {
        self.server_cpu.as_secs_f64() / self.wall.as_secs_f64()
    }

    /// The share of the window the generator was on a CPU: near 1, the
    /// generator, not the server, set the pace.
    fn generator_busy(&self) -> f64 {
        self.generator_cpu.as_secs_f64() / self.wall.as_secs_f64()
    }

    fn instructions_per_request(&self) -> Option<f64> {
        let count = self.server_instructions?;
        Some(count as f64 / self.requests.max(1) as f64)
    }
}

/// CPU clocks and the instruction counter, read together at both ends of a
/// measurement window.
struct Meters {
    server: CpuClock,
    generator: CpuClock,
    instructions: Option<InstructionCounter>,
}

/// One reading of [`Meters`].
struct Reading {
    at: Instant,
    server: Duration,
    generator: Duration,
    instructions: Option<u64>,
}

impl Meters {
    /// The meters of `server`, read from the calling thread (the
    /// generator's).
    fn new(server: CpuClock) -> Meters {
        Meters {
            server,
            generator: CpuClock::Thread(current_thread_id()),
            instructions: InstructionCounter::open(server.main_thread()).ok(),
        }
    }

    fn read(&self) -> Reading {
        let cpu = |clock: CpuClock| clock.read().unwrap_or_default();
        Reading {
            server: cpu(self.server),
            generator: cpu(self.generator),
            instructions: self.instructions.as_ref().and_then(|c| c.read()),
            at: Instant::now(),
        }
    }
}

impl Reading {
    /// What happened between `start` and this reading, for `requests`
    /// round trips.
    fn since(&self, start: &Reading, requests: u64) -> Load {
        let instructions = match (start.instructions, self.instructions) {
            (Some(before), Some(after)) => Some(after - before),
            _ => None,
        };
        Load {
            requests,
            wall: self.at - start.at,
            server_cpu: self.server.saturating_sub(start.server),
            generator_cpu: self.generator.saturating_sub(start.generator),
            server_instructions: instructions,
        }
    }
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

/// Drives `CONNECTIONS` connections to `target` for `duration`, each with
/// one message of `size` bytes in flight, and counts the round trips and the
/// CPU time both sides spent on them; over TLS if given a client config.
fn generate(
    target: Target,
    size: usize,
    duration: Duration,
    tls: Option<&Arc<ClientConfig>>,
) -> Load {
    let address: SocketAddr = ([127, 0, 0, 1], target.port).into();
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
    let meters = Meters::new(target.cpu);
    let start = meters.read();
    while start.at.elapsed() < duration {
        poll.poll(&mut events, Some(Duration::from_millis(100))).unwrap();
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
    let load = meters.read().since(&start, completed);
    for client in &mut clients {
        client.wire.close();
    }
    load
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
    /// The server's CPU time per MiB the flood got back, in milliseconds.
    server_cpu_ms_per_mib: f64,
}

/// One client floods `target` (a thread writes 64 KiB pieces as fast as the
/// server takes them, another reads the echoes back); meanwhile a probe on
/// its own connection makes one small round trip every millisecond or so for
/// `duration`, each timed.
fn flood_and_probe(target: Target, duration: Duration) -> Fairness {
    let port = target.port;
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
    // A server that stops reading for good (one Python run did, at the end
    // of its window) must not hang the writer, and the benchmark with it.
    flood.set_write_timeout(Some(PROBE_GIVES_UP)).unwrap();
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
    let meters = Meters::new(target.cpu);
    let echoed_before = echoed.load(Ordering::Relaxed);
    let start = meters.read();
    while start.at.elapsed() < duration {
        let sent = Instant::now();
        probe.write_all(&message).unwrap();
        if probe.read_exact(&mut echo).is_err() {
            starved = true;
            break;
        }
        round_trips.push(sent.elapsed());
        std::thread::sleep(PROBE_PAUSE);
    }
    let window = meters.read().since(&start, 0);
    let mib = (echoed.load(Ordering::Relaxed) - echoed_before) as f64
        / (1024.0 * 1024.0);
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();
    round_trips.sort();
    Fairness {
        round_trips,
        starved,
        flood_bytes_per_second: mib * 1024.0 * 1024.0
            / window.wall.as_secs_f64(),
        server_cpu_ms_per_mib: window.server_cpu.as_secs_f64() * 1e3
            / mib.max(f64::MIN_POSITIVE),
    }
}

// ---------------------------------------------------------------- report

/// A list of servers, each with its target or why it did not start.
type ServerList = [(String, Result<Target, String>)];

/// The servers of one table, each with its target or why it did not start,
/// and the Python processes among them, ended with the table.
struct Servers {
    list: Vec<(String, Result<Target, String>)>,
    children: Vec<Child>,
}

impl Servers {
    fn new(in_process: Vec<(&str, Target)>) -> Servers {
        let list = in_process
            .into_iter()
            .map(|(name, target)| (name.to_owned(), Ok(target)))
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
        let target = start_python(style, tls).map(|(child, target)| {
            self.children.push(child);
            target
        });
        self.list.push((name.to_owned(), target));
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

/// The plain servers that run in this process, each on its thread, in the
/// tables' order.
const IN_PROCESS: [&str; 5] = [
    "aio streams",
    "aio protocol",
    bench_data::REFERENCE,
    "smol LocalExecutor",
    "bare mio loop (floor)",
];

/// The Python servers, each a process of its own: name and style.
const PYTHON: [(&str, &str); 3] = [
    ("Python asyncio streams", "streams"),
    ("Python asyncio protocol", "protocol"),
    ("uvloop protocol", "uvloop"),
];

/// Starts the plain in-process server `name`, one of [`IN_PROCESS`].
fn start_in_process(name: &str) -> Target {
    match name {
        "aio streams" => aio_streams(None),
        "aio protocol" => aio_protocol(None),
        bench_data::REFERENCE => tokio_server(),
        "smol LocalExecutor" => smol_server(),
        "bare mio loop (floor)" => bare_mio(),
        _ => panic!("no in-process server is named {name:?}"),
    }
}

/// Starts a Python server of `style` (`uvloop` installs uvloop first).
fn start_python(
    style: &str,
    tls: Option<&CertificateFiles>,
) -> Result<(Child, Target), String> {
    if style == "uvloop" {
        ensure_uvloop()?;
    }
    python_server(style, tls)
}

/// The plain TCP servers.
fn plain_servers() -> Servers {
    let mut servers = Servers::new(
        IN_PROCESS.iter().map(|&name| (name, start_in_process(name))).collect(),
    );
    for (name, style) in PYTHON {
        servers.python(name, style, None);
    }
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
    for (name, style) in PYTHON {
        servers.python(name, style, Some(&certificate.files));
    }
    servers
}

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
struct Settings {
    quick: bool,
    /// Rounds of every (server, size) measurement; the tables give the
    /// median round.
    rounds: usize,
    /// One throughput measurement's window.
    window: Duration,
    /// The probe's time behind a flood (one round: the flood table gives
    /// percentiles of many round trips instead).
    flood_window: Duration,
}

impl Settings {
    fn new(quick: bool) -> Settings {
        let seconds = Duration::from_secs_f64;
        match quick {
            false => Settings {
                quick,
                rounds: 5,
                window: seconds(1.0),
                flood_window: seconds(3.0),
            },
            true => Settings {
                quick,
                rounds: 1,
                window: seconds(0.5),
                flood_window: seconds(1.0),
            },
        }
    }

    /// `" (quick mode)"` in quick mode, for a table's note.
    fn mode(self) -> &'static str {
        if self.quick { " (quick mode)" } else { "" }
    }

    /// The command that makes a table: `cargo bench --bench echo`, with
    /// `--quick` and `only` (`--tls-only`, ...) after `--` when given.
    fn command(self, only: &str) -> String {
        let quick = if self.quick { " --quick" } else { "" };
        match format!("{quick}{only}") {
            flags if flags.is_empty() => "cargo bench --bench echo".to_owned(),
            flags => format!("cargo bench --bench echo --{flags}"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--serve-idle") {
        serve_idle(args.get(at + 1).expect("--serve-idle NAME"));
        return;
    }
    let flag = |name: &str| args.iter().any(|arg| arg == name);
    let settings = Settings::new(flag("--quick"));
    let (flood_only, tls_only, idle_only) =
        (flag("--flood-only"), flag("--tls-only"), flag("--idle-only"));
    let everything = !(flood_only || tls_only || idle_only);
    if everything || flood_only {
        let servers = plain_servers();
        if everything {
            throughput_report(&servers.list, None, settings);
        }
        flood_report(&servers.list, settings);
    }
    if everything || tls_only {
        let certificate = certificate();
        let servers = tls_servers(&certificate);
        let client = client_config(&certificate);
        throughput_report(&servers.list, Some(&client), settings);
    }
    if everything || idle_only {
        idle_report(settings);
    }
}

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

#[path = "support/bench_args.rs"]
#[allow(dead_code)] // echo reads its own flags; it shares uvloop's install
mod bench_args;

#[path = "support/cpu_accounting.rs"]
mod cpu_accounting;

#[path = "support/process_memory.rs"]
mod process_memory;

use bench_args::ensure_uvloop;
use cpu_accounting::{
    CpuClock, GENERATOR_CPU, InstructionCounter, SERVER_CPU, all_cpus,
    current_thread_id, run_on,
};
use process_memory::{raise_open_files_limit, resident_kib};

/// Where the data files and their tables go.
fn generated_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/generated")
}

/// The median of `values` (the upper one of the two middle values, for an
/// even count, as `benches/support/in_turns.rs` takes it).
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A pause after each measurement, so that the connections just closed are
/// gone before the next server is measured.
const SETTLE: Duration = Duration::from_millis(20);

/// Measures every server's throughput and CPU per request at every size,
/// `settings.rounds` times, and writes `book/generated/echo.tsv` and its
/// table, `echo.md`; over TLS, with `tls` as the generator's side,
/// `echo_tls.tsv` and `echo_tls.md`.
///
/// The measurements are taken in turns, as `benches/support/in_turns.rs`
/// takes them: in each round every (server, size) once, each round starting
/// two measurements later than the last, so that a burst of other work on
/// the machine slows every server alike.
fn throughput_report(
    servers: &ServerList,
    tls: Option<&Arc<ClientConfig>>,
    settings: Settings,
) {
    let started = bench_data::load_average();
    let (name, only, over) = match tls {
        None => ("echo", "", String::new()),
        Some(_) => (
            "echo_tls",
            " --tls-only",
            format!(" over TLS 1.3 with {SUITE:?} only"),
        ),
    };
    let mut measurements: Vec<Measurement> = servers
        .iter()
        .filter_map(|(server, target)| Some((server, *target.as_ref().ok()?)))
        .flat_map(|(server, target)| {
            SIZES.map(|size| Measurement {
                server: server.as_str(),
                target,
                size,
                loads: Vec::new(),
            })
        })
        .collect();
    let count = measurements.len();
    run_on(current_thread_id(), [GENERATOR_CPU]);
    for round in 0..settings.rounds {
        for turn in 0..count {
            let Measurement { server, target, size, loads } =
                &mut measurements[(turn + round * 2) % count];
            let load = generate(*target, *size, settings.window, tls);
            println!(
                "{server}{over}, {size} B, round {}: {:.0} requests/s, \
                 server {:.1} µs/request ({:.0}% of a core), generator {:.0}% \
                 busy",
                round + 1,
                load.requests_per_second(),
                load.server_cpu_us_per_request(),
                load.server_share() * 100.0,
                load.generator_busy() * 100.0,
            );
            loads.push(load);
            std::thread::sleep(SETTLE);
        }
    }
    run_on(current_thread_id(), all_cpus());
    let mut data = bench_data::Data::new(&bench_data::ECHO_COLUMNS);
    data.set_meta("command", &settings.command(only));
    for (server, target) in servers {
        if let Err(reason) = target {
            println!("{server}: skipped: {reason}");
            let mut cells = vec![String::new(); bench_data::ECHO_COLUMNS.len()];
            cells[0].clone_from(server);
            *cells.last_mut().unwrap() = reason.clone();
            data.push(cells);
        }
        for measurement in measurements.iter().filter(|m| m.server == server) {
            data.push(echo_cells(measurement));
        }
    }
    let instructions = match InstructionCounter::open(current_thread_id()) {
        Ok(_) => "user-space instructions of the server's (main) thread, \
                  from a hardware counter (perf_event_open)"
            .to_owned(),
        Err(reason) => reason,
    };
    data.set_meta(
        "note",
        &format!(
            "{CONNECTIONS} connections{over}, one request in flight on each; \
             each number is the median of {} of {} s per measurement, taken \
             in turns{}, with the server on core {SERVER_CPU} and the \
             generator on core {GENERATOR_CPU}, on {}. Instructions per \
             request: {instructions}.",
            match settings.rounds {
                1 => "1 round".to_owned(),
                rounds => format!("{rounds} rounds"),
            },
            settings.window.as_secs_f64(),
            settings.mode(),
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

/// One (server, size) of a throughput table, with the loads of its rounds.
struct Measurement<'a> {
    server: &'a str,
    target: Target,
    size: usize,
    loads: Vec<Load>,
}

/// One (server, size)'s line of the echo data, in
/// `bench_data::ECHO_COLUMNS`' order: the medians of its rounds, and every
/// round's requests per second and CPU per request.
fn echo_cells(measurement: &Measurement) -> Vec<String> {
    let Measurement { server, size, loads, .. } = measurement;
    let runs = |value: fn(&Load) -> f64, decimals: usize| {
        let values: Vec<String> = loads
            .iter()
            .map(|l| format!("{:.*}", decimals, value(l)))
            .collect();
        values.join(",")
    };
    let of = |value: fn(&Load) -> f64| median(loads.iter().map(value));
    let instructions: Vec<f64> =
        loads.iter().filter_map(Load::instructions_per_request).collect();
    vec![
        (*server).to_owned(),
        size.to_string(),
        loads.len().to_string(),
        format!("{:.1}", of(Load::requests_per_second)),
        format!("{:.2}", of(Load::server_cpu_us_per_request)),
        format!("{:.3}", of(Load::server_share)),
        format!("{:.3}", of(Load::generator_busy)),
        match instructions.len() {
            0 => String::new(),
            _ => format!("{:.0}", median(instructions.into_iter())),
        },
        runs(Load::requests_per_second, 0),
        runs(Load::server_cpu_us_per_request, 2),
        String::new(),
    ]
}

/// Measures every server's fairness under a flood and writes
/// `book/generated/echo_flood.tsv` and its table, `echo_flood.md`.
fn flood_report(servers: &ServerList, settings: Settings) {
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::FLOOD_COLUMNS);
    data.set_meta("command", &settings.command(" --flood-only"));
    for (name, target) in servers {
        let cells = match target {
            Ok(target) => flood_cells(
                name,
                flood_and_probe(*target, settings.flood_window),
            ),
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
             on {}; the last two columns are the flood's own throughput \
             meanwhile, and the server's CPU time per MiB it echoed.",
            PROBE_PAUSE.as_millis(),
            settings.flood_window.as_secs_f64(),
            settings.mode(),
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
        format!("{:.2}", fairness.server_cpu_ms_per_mib),
        String::new(),
    ]
}

// ---------------------------------------------------------------- idle
// connections

/// How many idle connections each server holds while its memory is read.
const IDLE_CONNECTIONS: usize = 2000;
/// The message each idle connection echoes once, so that the server has
/// read from every one of them (and allocated what a read allocates).
const IDLE_MESSAGE: usize = 100;
/// The pause before each memory reading, so that the server is done with
/// what it was doing (starting, or answering the last connection).
const IDLE_SETTLE: Duration = Duration::from_millis(200);

/// `--serve-idle NAME`: this program run again as a child of
/// [`idle_report`], to start the in-process server `NAME` alone in its own
/// process, print its port, and serve until its standard input closes (so
/// that it ends with the parent, even if the parent panics).
fn serve_idle(name: &str) {
    raise_open_files_limit();
    let target = start_in_process(name);
    println!("{}", target.port);
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

/// Starts the server `name` in a process of its own: this program with
/// `--serve-idle NAME` for a Rust server, `python3` for a Python one.
fn start_alone(name: &str) -> Result<(Child, u16), String> {
    if let Some((_, style)) = PYTHON.iter().find(|(python, _)| *python == name)
    {
        let (child, target) = start_python(style, None)?;
        return Ok((child, target.port));
    }
    let program = std::env::current_exe().map_err(|error| error.to_string())?;
    let child = Command::new(program)
        .args(["--serve-idle", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| {
            format!("could not run this benchmark again: {error}")
        })?;
    read_port(child)
}

/// The resident memory of the server process `pid`, in KiB, before and
/// after `IDLE_CONNECTIONS` connections to `port` have each echoed one
/// message; the connections stay open until both are read.
fn idle_memory(pid: u32, port: u16) -> Result<(u64, u64), String> {
    std::thread::sleep(IDLE_SETTLE);
    let before = resident_kib(pid)?;
    let message = [b'i'; IDLE_MESSAGE];
    let mut echo = [0u8; IDLE_MESSAGE];
    let mut connections = Vec::with_capacity(IDLE_CONNECTIONS);
    for n in 0..IDLE_CONNECTIONS {
        let failed = |error: std::io::Error| format!("connection {n}: {error}");
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))
            .map_err(failed)?;
        stream.set_nodelay(true).map_err(failed)?;
        stream.set_read_timeout(Some(PROBE_GIVES_UP)).map_err(failed)?;
        stream.write_all(&message).map_err(failed)?;
        stream.read_exact(&mut echo).map_err(failed)?;
        connections.push(stream);
    }
    std::thread::sleep(IDLE_SETTLE);
    let after = resident_kib(pid)?;
    drop(connections);
    Ok((before, after))
}

/// Measures each server's memory with `IDLE_CONNECTIONS` idle connections,
/// one server process at a time, and writes `book/generated/idle.tsv` and
/// its table, `idle.md`.
fn idle_report(settings: Settings) {
    raise_open_files_limit();
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::IDLE_COLUMNS);
    data.set_meta("command", &settings.command(" --idle-only"));
    let names = IN_PROCESS.iter().chain(PYTHON.iter().map(|(name, _)| name));
    for &name in names {
        let measured = start_alone(name).and_then(|(mut child, port)| {
            let memory = idle_memory(child.id(), port);
            drop(child.stdin.take());
            let _ = child.kill();
            let _ = child.wait();
            memory
        });
        let kib = |value: u64| value.to_string();
        let cells = match &measured {
            Ok((before, after)) => [kib(*before), kib(*after), String::new()],
            Err(reason) => [String::new(), String::new(), reason.clone()],
        };
        let [before, after, skipped] = cells;
        let line = vec![
            name.to_owned(),
            IDLE_CONNECTIONS.to_string(),
            IDLE_MESSAGE.to_string(),
            before,
            after,
            skipped,
        ];
        println!("{}", line.join(" "));
        data.push(line);
    }
    data.set_meta(
        "note",
        &format!(
            "Each server alone in a process of its own; its resident memory \
             (VmRSS) {} ms after it started, then with {IDLE_CONNECTIONS} \
             connections open, each of which has echoed one \
             {IDLE_MESSAGE}-byte message, {} ms after the last echo{}, on \
             {}.",
            IDLE_SETTLE.as_millis(),
            IDLE_SETTLE.as_millis(),
            settings.mode(),
            bench_data::machine(started),
        ),
    );
    data.save(&generated_dir(), "idle").unwrap();
    print!("\n{}", bench_data::idle_table(&data));
    println!(
        "\nwritten to {}/idle.tsv and idle.md; run `cargo run -p figures` to \
         redraw the chart",
        generated_dir().display()
    );
}
