//! What chapters 7 to 9 test the same way (each includes this file with
//! `#[path]`): an echo server and client run as separate processes on a free
//! port, against each other and against CPython's asyncio, and the server
//! stopped by a signal, as Ctrl-C stops it.

#![allow(dead_code)] // each test binary uses a different part

use aio::Signal;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, ToSocketAddrs};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long a test waits for what comes long before: a hang guard only.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// The lines a server prints once a signal has stopped it, before it ends.
pub const CLOSING: [&str; 2] =
    ["main: closing server", "main: closing event loop"];

/// Kills a child process when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Replaces IP addresses and port numbers, the only values that change between
/// runs.
pub fn redact(output: &str) -> String {
    let mut out = String::new();
    for line in output.lines() {
        let words: Vec<String> = line.split(' ').map(redact_word).collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out.replace("port [number]", "port [port]")
}

fn redact_word(word: &str) -> String {
    // `EchoServer_127.0.0.1_54321:` style names: redact the address and the
    // port as one `[peer]`, short enough that a logged message still fits the
    // book's 80 columns.
    if let Some((name, rest)) = word.split_once('_')
        && let Some((address, port)) = rest.rsplit_once('_')
        && address.parse::<std::net::IpAddr>().is_ok()
    {
        let suffix = port.trim_start_matches(|c: char| c.is_ascii_digit());
        return format!("{name}_[peer]{suffix}");
    }
    if word.parse::<std::net::IpAddr>().is_ok() {
        return "[address]".to_owned();
    }
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
        return "[number]".to_owned();
    }
    word.to_owned()
}

/// Runs the server binary on a free port and the client binary against it,
/// then stops the server with Ctrl-C's SIGINT ([`stop_cleanly`]); returns
/// their redacted outputs (server, client), the server's whole run.
pub fn converse(server: &str, client: &str) -> (String, String) {
    converse_with(server, &[], client, &[], ": closing")
}

/// [`converse`], with more arguments for each side (chapter 9's certificate
/// files, after the host and port), and the end of the server's last line
/// for the connection.
pub fn converse_with(
    server: &str,
    server_args: &[&str],
    client: &str,
    client_args: &[&str],
    server_ends_with: &str,
) -> (String, String) {
    converse_stopped_by(
        Signal::INT,
        server,
        server_args,
        client,
        client_args,
        server_ends_with,
    )
}

/// [`converse_with`], stopping the server with `signal`. Checks that the
/// server's closing lines end its output.
pub fn converse_stopped_by(
    signal: Signal,
    server: &str,
    server_args: &[&str],
    client: &str,
    client_args: &[&str],
    server_ends_with: &str,
) -> (String, String) {
    let (server, first) = start_server(server, server_args);
    let port = port_of(&first);
    let client = Command::new(client)
        .args(["localhost", &port])
        .args(client_args)
        .output()
        .expect("client runs");
    assert!(
        client.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&client.stderr)
    );
    let mut server_lines = vec![first];
    server_lines.extend(server.until(server_ends_with));
    server_lines.extend(stop_cleanly(server, &port, signal));
    let end = server_lines.len().saturating_sub(CLOSING.len());
    assert!(server_lines[end..] == CLOSING, "closing: {server_lines:#?}");
    (
        redact(&(server_lines.join("\n") + "\n")),
        redact(&String::from_utf8(client.stdout).expect("UTF-8")),
    )
}

/// Starts the server binary on a free port of localhost, with `args` after
/// the host and port; gives it and its first line, which names the port.
fn start_server(binary: &str, args: &[&str]) -> (Lines, String) {
    let mut all = vec!["localhost", "0"];
    all.extend_from_slice(args);
    let server = Lines::start(binary, &all);
    let first = server.next();
    (server, first)
}

/// Sends `signal` to a server listening on localhost `port`, and checks that
/// it stopped cleanly: it printed its closing lines, reported nothing on
/// stderr (no warning of sources left open), ended killed by that signal (as
/// a shell sees it: 130 for SIGINT), and left the port free. Gives the lines
/// it printed after the signal.
pub fn stop_cleanly(server: Lines, port: &str, signal: Signal) -> Vec<String> {
    let ended = server.stop_with(signal);
    let said = format!("{:#?}\nstderr: {}", ended.rest, ended.stderr);
    // The server's line, each open connection's goodbye, the loop's line.
    let [server_line, loop_line] = CLOSING;
    let closing_server = ended.rest.iter().position(|line| line == server_line);
    assert!(
        closing_server.is_some_and(|at| ended.rest[at + 1..]
            .iter()
            .all(|line| line == loop_line || line.ends_with(": closing")))
            && ended.rest.last().is_some_and(|line| line == loop_line),
        "the closing lines: {said}"
    );
    assert_eq!(ended.stderr, "", "nothing on stderr: {said}");
    assert_eq!(
        ended.status.signal(),
        Some(signal.as_raw()),
        "ended by {signal}: {:?}; {said}",
        ended.status
    );
    let port: u16 = port.parse().expect("a port");
    for address in ("localhost", port).to_socket_addrs().expect("localhost") {
        let bound = TcpListener::bind(address);
        assert!(bound.is_ok(), "{address} is free again: {bound:?}");
    }
    ended.rest
}

/// A client's connection: a socket, or TLS over one.
pub trait Peer: Read + Write + Send {}

impl<T: Read + Write + Send> Peer for T {}

/// How many clients [`stop_with_clients_connected`] holds: more than one,
/// since the loop closes their connections in no set order.
const STILL_CONNECTED: usize = 2;

/// Starts the server binary on a free port (with `args` after the host and
/// port), connects clients with `connect(port)`, has one word echoed to each,
/// and stops the server with `signal` while they are still connected. Checks
/// that the server still stops cleanly ([`stop_cleanly`]) and each client
/// sees its connection end. Gives the server's redacted output, its whole
/// run.
pub fn stop_with_clients_connected<P: Peer + 'static>(
    binary: &str,
    args: &[&str],
    signal: Signal,
    connect: impl Fn(u16) -> P,
) -> String {
    let (server, first) = start_server(binary, args);
    let port = port_of(&first);
    let mut lines = vec![first];
    let (ended_tx, ended_rx) = mpsc::channel();
    for _ in 0..STILL_CONNECTED {
        let mut peer = connect(port.parse().expect("a port"));
        peer.write_all(b"still here").expect("sent");
        let mut echo = [0; 10];
        peer.read_exact(&mut echo).expect("the echo");
        assert_eq!(&echo, b"still here");
        lines.extend(server.until("sent b'still here'"));
        // The client waits for more, until its connection ends.
        let ended_tx = ended_tx.clone();
        thread::spawn(move || {
            let mut more = Vec::new();
            let _ = ended_tx.send((peer.read_to_end(&mut more), more));
        });
    }
    lines.extend(stop_cleanly(server, &port, signal));
    for _ in 0..STILL_CONNECTED {
        let (read, more) = ended_rx
            .recv_timeout(HANG_GUARD)
            .expect("the client sees its connection end");
        assert!(more.is_empty(), "no more bytes ({read:?}): {more:?}");
    }
    redact(&(lines.join("\n") + "\n"))
}

/// A process whose standard output arrives line by line, and whose standard
/// error is kept until it ends.
pub struct Lines {
    pub process: Running,
    lines: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

/// How a process ended after a signal.
pub struct Ended {
    /// Its exit status.
    pub status: ExitStatus,
    /// The lines of its standard output not read before the signal.
    pub rest: Vec<String>,
    /// All it wrote to standard error.
    pub stderr: String,
}

impl Lines {
    /// Starts `binary` with `args` (with the runtime's default logging).
    pub fn start(binary: &str, args: &[&str]) -> Lines {
        let mut child = Command::new(binary)
            .args(args)
            .env_remove("AIO_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().expect("piped");
        let (sender, said) = mpsc::channel();
        thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            let _ = sender.send(text);
        });
        Lines { process: Running(child), lines, stderr: said }
    }

    /// The next line (a hang guard only: it comes long before the limit).
    pub fn next(&self) -> String {
        self.lines.recv_timeout(HANG_GUARD).expect("another line of output")
    }

    /// Sends `signal` to the process and reads its output until it ends.
    pub fn stop_with(mut self, signal: Signal) -> Ended {
        signal.send(self.process.0.id()).expect("the signal is sent");
        let mut rest = Vec::new();
        loop {
            match self.lines.recv_timeout(HANG_GUARD) {
                Ok(line) => rest.push(line),
                Err(RecvTimeoutError::Disconnected) => break, // it has ended
                Err(RecvTimeoutError::Timeout) => {
                    panic!("still running after {signal}: {rest:#?}")
                }
            }
        }
        let status = self.process.0.wait().expect("it ends");
        let stderr = self.stderr.recv_timeout(HANG_GUARD).expect("stderr");
        Ended { status, rest, stderr }
    }

    /// The lines up to the first that ends with `last`, that one included.
    pub fn until(&self, last: &str) -> Vec<String> {
        let mut lines = vec![self.next()];
        while !lines.last().is_some_and(|line| line.ends_with(last)) {
            lines.push(self.next());
        }
        lines
    }
}

/// The port at the end of a server's first line.
pub fn port_of(first_line: &str) -> String {
    first_line.rsplit(' ').next().expect("a port").to_owned()
}

/// Runs a chapter's default binary (both sides in one process) and checks its
/// output holds each of `expected`.
pub fn default_binary_says(any_binary: &str, expected: &[&str]) {
    let binary =
        std::path::Path::new(any_binary).with_file_name(env!("CARGO_PKG_NAME"));
    let output = Command::new(binary).output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for expected in expected {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

/// A bad port argument gives a clear error.
pub fn bad_port_is_a_clear_error(client: &str) {
    let output = Command::new(client)
        .args(["localhost", "not-a-port"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("the port must be a number")
    );
}

/// A client against a server that accepts and never answers gives up, after
/// the time given as its third argument, with an error that says what
/// happened and what to do.
pub fn a_silent_server_is_a_clear_timeout(client: &str) {
    a_silent_server_is_a_clear_timeout_with(client, &[]);
}

/// [`a_silent_server_is_a_clear_timeout`], with more arguments for the
/// client after its patience (chapter 9's `--cafile`).
pub fn a_silent_server_is_a_clear_timeout_with(client: &str, args: &[&str]) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("an address").port().to_string();
    // Accepts, then holds the connection without a word until the test ends.
    let (hold_tx, hold_rx) = mpsc::channel::<()>();
    thread::spawn(move || {
        let accepted = listener.accept();
        let _ = hold_rx.recv();
        drop(accepted);
    });
    let mut running = Running(
        Command::new(client)
            .args(["127.0.0.1", &port, "0.5"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("client runs"),
    );
    let stderr = running.0.stderr.take().expect("piped");
    let (said_tx, said_rx) = mpsc::channel();
    thread::spawn(move || {
        let mut said = String::new();
        let _ = std::io::Read::read_to_string(
            &mut BufReader::new(stderr),
            &mut said,
        );
        let _ = said_tx.send(said);
    });
    // A hang guard only: the client gives up after half a second.
    let said = said_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the client gives up instead of waiting forever");
    let status = running.0.wait().expect("the client exits");
    drop(hold_tx);
    assert!(!status.success(), "{said}");
    for expected in [
        &format!("127.0.0.1 port {port}"),
        "no echo within 0.5s",
        "is an echo server running there?",
        "seconds to wait",
    ] {
        assert!(said.contains(expected), "missing {expected:?} in: {said}");
    }
}

/// An asyncio echo server built from a protocol; it prints its port first.
const PYTHON_SERVER: &str = r#"
import asyncio
class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        self.transport.write(data)
    def eof_received(self):
        self.transport.write_eof()
async def main():
    server = await asyncio.get_running_loop().create_server(Echo, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(30)
asyncio.run(main())
"#;

/// An asyncio echo client built from a protocol: sends three parts and EOF,
/// prints what comes back.
const PYTHON_CLIENT: &str = r#"
import asyncio, sys
class Client(asyncio.Protocol):
    def __init__(self, done):
        self.done, self.got = done, b''
    def connection_made(self, transport):
        for part in [b'This is the message. ', b'It will be sent ', b'in parts.']:
            transport.write(part)
        transport.write_eof()
    def data_received(self, data):
        self.got += data
    def connection_lost(self, exc):
        print(self.got.decode())
        self.done.set_result(True)
async def main(port):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    await loop.create_connection(lambda: Client(done), '127.0.0.1', port)
    await done
asyncio.run(main(int(sys.argv[1])))
"#;

fn first_line(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("a first line");
    line.trim().to_owned()
}

/// Runs the client binary against a Python echo server; returns its output.
pub fn client_against_python(client: &str) -> String {
    let mut server = Running(
        Command::new("python3")
            .args(["-c", PYTHON_SERVER])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3"),
    );
    let port = first_line(&mut server.0);
    let output = Command::new(client)
        .args(["127.0.0.1", &port])
        .output()
        .expect("client runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Runs a Python echo client against the server binary, and checks the echo.
pub fn python_client_against(server: &str) {
    let mut server = Running(
        Command::new(server)
            .args(["127.0.0.1", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("server"),
    );
    let port = port_of(&first_line(&mut server.0));
    let output = Command::new("python3")
        .args(["-c", PYTHON_CLIENT, &port])
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "This is the message. It will be sent in parts.\n"
    );
}
