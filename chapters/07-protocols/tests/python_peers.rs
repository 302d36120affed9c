//! The chapter's binaries against CPython's asyncio: our client with a Python echo
//! server, and a Python echo client with our server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_protocol");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_protocol");

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

/// An asyncio echo client built from a protocol: sends three parts and EOF, prints
/// what comes back.
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

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn first_line(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped")).read_line(&mut line).expect("a first line");
    line.trim().to_owned()
}

#[test]
fn our_client_against_a_python_server() {
    let mut server = Running(
        Command::new("python3").args(["-c", PYTHON_SERVER]).stdout(Stdio::piped()).spawn().expect("python3"),
    );
    let port = first_line(&mut server.0);
    let output = Command::new(CLIENT).args(["127.0.0.1", &port]).output().expect("client runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        text.contains("EchoClient: received b'This is the message. It will be sent in parts.'"),
        "{text}"
    );
    assert!(text.contains("EchoClient: received EOF"), "{text}");
}

#[test]
fn a_python_client_against_our_server() {
    let mut server = Running(
        Command::new(SERVER).args(["127.0.0.1", "0"]).stdout(Stdio::piped()).spawn().expect("server"),
    );
    let port = first_line(&mut server.0).rsplit(' ').next().expect("a port").to_owned();
    let output = Command::new("python3").args(["-c", PYTHON_CLIENT, &port]).output().expect("python3");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "This is the message. It will be sent in parts.\n");
}

#[test]
fn bytes_are_shown_exactly_as_python_shows_them() {
    let samples: [&[u8]; 5] =
        [b"This is the message. ", b"it's", b"both ' and \"", b"tab\tnew\nline\\", b"\x00\xff~"];
    for sample in samples {
        let hex: String = sample.iter().map(|byte| format!("{byte:02x}")).collect();
        let python = Command::new("python3")
            .args(["-c", "import sys; print(repr(bytes.fromhex(sys.argv[1])))", &hex])
            .output()
            .expect("python3");
        let expected = String::from_utf8(python.stdout).expect("UTF-8");
        assert_eq!(ch07_protocols::bytes_repr(sample), expected.trim_end(), "for {sample:?}");
    }
}
