//! What chapters 7 to 9 test the same way (each includes this file with
//! `#[path]`): an echo server and client run as separate processes on a free
//! port, against each other and against CPython's asyncio.

#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

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

/// Runs the server binary on a free port and the client binary against it;
/// returns their redacted outputs (server, client). The server's output ends at
/// its last word for the connection, `<name>: closing`.
pub fn converse(server: &str, client: &str) -> (String, String) {
    converse_with(server, &[], client, &[], ": closing")
}

/// [`converse`], with more arguments for each side (chapter 9's certificate
/// files, after the host and port), and the end of the server's last line.
pub fn converse_with(
    server: &str,
    server_args: &[&str],
    client: &str,
    client_args: &[&str],
    server_ends_with: &str,
) -> (String, String) {
    let mut args = vec!["localhost", "0"];
    args.extend_from_slice(server_args);
    let server = Lines::start(server, &args);
    let first = server.next();
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
    drop(server);
    (
        redact(&(server_lines.join("\n") + "\n")),
        redact(&String::from_utf8(client.stdout).expect("UTF-8")),
    )
}

/// A process whose standard output arrives line by line.
pub struct Lines {
    pub process: Running,
    lines: mpsc::Receiver<String>,
}

impl Lines {
    /// Starts `binary` with `args`.
    pub fn start(binary: &str, args: &[&str]) -> Lines {
        let mut child = Command::new(binary)
            .args(args)
            .stdout(Stdio::piped())
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
        Lines { process: Running(child), lines }
    }

    /// The next line (a hang guard only: it comes long before the limit).
    pub fn next(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(60))
            .expect("another line of output")
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
