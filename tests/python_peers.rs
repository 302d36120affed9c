//! aio talking to CPython's own asyncio, in both directions and both styles:
//! the strongest evidence that aio speaks TCP the way asyncio does. `python3`
//! is part of the project's machine (see the README).

mod common;

use aio::{Protocol, Transport};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs a Python program on a thread and hands its output (or failure) to the
/// loop.
fn python(
    program: &'static str,
    args: Vec<String>,
) -> aio::oneshot::Receiver<Result<String, String>> {
    let (tx, rx) = aio::oneshot::channel();
    std::thread::spawn(move || {
        let outcome =
            Command::new("python3").arg("-c").arg(program).args(args).output();
        let _ = tx.send(match outcome {
            Ok(output) if output.status.success() => {
                Ok(String::from_utf8_lossy(&output.stdout).into_owned())
            }
            Ok(output) => {
                Err(String::from_utf8_lossy(&output.stderr).into_owned())
            }
            Err(error) => Err(format!("could not run python3: {error}")),
        });
    });
    rx
}

const PYTHON_LINE_CLIENT: &str = r#"
import asyncio, sys
async def main(port):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    for line in [b'hello\n', b'from python\n', b'asyncio\n']:
        writer.write(line)
        await writer.drain()
        print((await reader.readline()).decode().strip())
    writer.write_eof()
    print('eof' if await reader.read() == b'' else 'no eof')
    writer.close()
    await writer.wait_closed()
asyncio.run(main(int(sys.argv[1])))
"#;

#[test]
fn a_python_streams_client_against_an_aio_streams_server() {
    let event_loop = common::real_loop();
    let output = event_loop
        .run_until_complete(async {
            let server =
                    aio::start_server(
                        |reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            loop {
                                match reader.readline().await {
                                    Ok(line) if !line.is_empty() => {
                                        writer
                                            .write(&line.to_ascii_uppercase())
                                            .unwrap();
                                        writer.drain().await.unwrap();
                                    }
                                    _ => break,
                                }
                            }
                            writer.close();
                        },
                        "127.0.0.1",
                        0,
                    )
                    .await
                    .unwrap();
            let output =
                python(PYTHON_LINE_CLIENT, vec![server.port().to_string()])
                    .await
                    .unwrap();
            server.close();
            output
        })
        .unwrap();
    assert_eq!(
        output.expect("the Python client succeeded"),
        "HELLO\nFROM PYTHON\nASYNCIO\neof\n"
    );
    event_loop.close().unwrap();
}

const PYTHON_PROTOCOL_CLIENT: &str = r#"
import asyncio, sys
class Client(asyncio.Protocol):
    def __init__(self, done):
        self.done, self.got = done, b''
    def connection_made(self, transport):
        transport.write(b'This is the message. ')
        transport.write(b'It will be sent in parts.')
        transport.write_eof()
    def data_received(self, data):
        self.got += data
    def eof_received(self):
        print(self.got.decode())
        print('eof')
    def connection_lost(self, exc):
        print('lost', exc)
        self.done.set_result(True)
async def main(port):
    done = asyncio.get_running_loop().create_future()
    await asyncio.get_running_loop().create_connection(lambda: Client(done), '127.0.0.1', port)
    await done
asyncio.run(main(int(sys.argv[1])))
"#;

/// The chapter 7 echo protocol, in short.
struct Echo(Option<Transport>);

impl Protocol for Echo {
    fn connection_made(&mut self, transport: Transport) {
        self.0 = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        self.0.as_ref().unwrap().write(data).unwrap();
    }
    fn eof_received(&mut self) -> bool {
        self.0.as_ref().unwrap().write_eof().unwrap();
        false
    }
}

#[test]
fn a_python_protocol_client_against_an_aio_protocol_server() {
    let event_loop = common::real_loop();
    let output = event_loop
        .run_until_complete(async {
            let server = aio::create_server(|| Echo(None), "127.0.0.1", 0)
                .await
                .unwrap();
            let output =
                python(PYTHON_PROTOCOL_CLIENT, vec![server.port().to_string()])
                    .await
                    .unwrap();
            server.close();
            output
        })
        .unwrap();
    assert_eq!(
        output.expect("the Python client succeeded"),
        "This is the message. It will be sent in parts.\neof\nlost None\n"
    );
    event_loop.close().unwrap();
}

const PYTHON_SERVER: &str = r#"
import asyncio, sys
async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(b'python says: ' + line)
        await writer.drain()
    writer.close()
class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        self.transport.write(data.upper())
    def eof_received(self):
        return False
async def main(style):
    loop = asyncio.get_running_loop()
    if style == 'streams':
        server = await asyncio.start_server(handle, '127.0.0.1', 0)
    else:
        server = await loop.create_server(Echo, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(30)
asyncio.run(main(sys.argv[1]))
"#;

/// Starts a Python server of the given style and returns it with its port.
fn python_server(style: &str) -> (std::process::Child, u16) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(PYTHON_SERVER)
        .arg(style)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("the server prints its port");
    let port = line.trim().parse().expect("a port number");
    (child, port)
}

#[test]
fn an_aio_streams_client_against_a_python_streams_server() {
    let (mut child, port) = python_server("streams");
    let event_loop = common::real_loop();
    let lines = event_loop
        .run_until_complete(async move {
            let (reader, writer) =
                aio::open_connection("127.0.0.1", port).await.unwrap();
            let mut lines = Vec::new();
            for line in ["one\n", "two\n"] {
                writer.write(line.as_bytes()).unwrap();
                writer.drain().await.unwrap();
                lines.push(
                    String::from_utf8(reader.readline().await.unwrap())
                        .unwrap(),
                );
            }
            writer.write_eof().unwrap();
            assert!(
                reader.read_to_end().await.unwrap().is_empty(),
                "the server closed after our EOF"
            );
            writer.close();
            lines
        })
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(lines, ["python says: one\n", "python says: two\n"]);
    event_loop.close().unwrap();
}

#[test]
fn an_aio_protocol_client_against_a_python_protocol_server() {
    struct Client {
        got: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
        done: aio::Promise<()>,
    }
    impl Protocol for Client {
        fn connection_made(&mut self, transport: Transport) {
            transport.writelines([b"quiet ".as_slice(), b"words"]).unwrap();
            transport.write_eof().unwrap();
        }
        fn data_received(&mut self, data: &[u8]) {
            self.got.borrow_mut().extend_from_slice(data);
        }
        fn connection_lost(&mut self, _error: Option<std::io::Error>) {
            let _ = self.done.set_result(());
        }
    }
    let (mut child, port) = python_server("protocol");
    let event_loop = common::real_loop();
    let got = event_loop
        .run_until_complete(async move {
            let done = aio::Promise::new().unwrap();
            let got = std::rc::Rc::default();
            aio::create_connection(
                Client { got: std::rc::Rc::clone(&got), done: done.clone() },
                "127.0.0.1",
                port,
            )
            .await
            .unwrap();
            done.await.unwrap();
            got.take()
        })
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(got, b"QUIET WORDS");
    event_loop.close().unwrap();
}
