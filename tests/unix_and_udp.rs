//! Unix-domain sockets (protocols and streams) and UDP datagram endpoints.

mod common;

use aio::{DatagramProtocol, DatagramTransport, Protocol, Transport};
use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::rc::Rc;

fn socket_path(name: &str) -> PathBuf {
    std::env::temp_dir()
        .join(format!("aio-test-{}-{name}.sock", std::process::id()))
}

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

struct Collect {
    got: Rc<RefCell<Vec<u8>>>,
    done: aio::Promise<()>,
}

impl Protocol for Collect {
    fn connection_made(&mut self, transport: Transport) {
        transport.write(b"over a unix socket").unwrap();
        transport.write_eof().unwrap();
    }
    fn data_received(&mut self, data: &[u8]) {
        self.got.borrow_mut().extend_from_slice(data);
    }
    fn connection_lost(&mut self, _error: Option<io::Error>) {
        let _ = self.done.set_result(());
    }
}

#[test]
fn a_unix_socket_server_and_connection_with_protocols() {
    let path = socket_path("protocols");
    let event_loop = common::real_loop();
    let p = path.clone();
    let got = event_loop
        .run_until_complete(async move {
            let server =
                aio::create_unix_server(|| Echo(None), &p).await.unwrap();
            assert!(
                p.exists(),
                "the socket file is there while the server runs"
            );
            let done = aio::Promise::new().unwrap();
            let got = Rc::default();
            let (transport, _) = aio::create_unix_connection(
                Collect { got: Rc::clone(&got), done: done.clone() },
                &p,
            )
            .await
            .unwrap();
            assert_eq!(
                transport.peername(),
                None,
                "Unix sockets have no IP address"
            );
            done.await.unwrap();
            server.close();
            got.take()
        })
        .unwrap();
    assert_eq!(got, b"over a unix socket");
    assert!(!path.exists(), "closing the server removed its socket file");
    event_loop.close().unwrap();
}

#[test]
fn unix_socket_streams_and_a_clear_error_for_a_missing_socket() {
    let path = socket_path("streams");
    let event_loop = common::real_loop();
    let p = path.clone();
    let (lines, missing) = event_loop
        .run_until_complete(async move {
            let server =
                    aio::start_unix_server(
                        |reader: aio::StreamReader,
                         writer: aio::StreamWriter| async move {
                            while let Ok(line) = reader.readline().await {
                                if line.is_empty() {
                                    break;
                                }
                                writer
                                    .write(&line.to_ascii_uppercase())
                                    .unwrap();
                            }
                            writer.close();
                        },
                        &p,
                    )
                    .await
                    .unwrap();
            let (reader, writer) = aio::open_unix_connection(&p).await.unwrap();
            writer.write(b"first\nsecond\n").unwrap();
            writer.write_eof().unwrap();
            let lines = reader.read_to_end().await.unwrap();
            server.close();
            let missing = aio::open_unix_connection(&p)
                .await
                .err()
                .map(|error| error.to_string());
            (lines, missing)
        })
        .unwrap();
    assert_eq!(lines, b"FIRST\nSECOND\n");
    let missing = missing.expect("nothing listens there any more");
    assert!(
        missing.contains(&path.display().to_string()),
        "the error names the path: {missing}"
    );
    event_loop.close().unwrap();
}

/// Sends every datagram back where it came from.
struct UdpEcho(Option<DatagramTransport>);

impl DatagramProtocol for UdpEcho {
    fn connection_made(&mut self, transport: DatagramTransport) {
        self.0 = Some(transport);
    }
    fn datagram_received(&mut self, data: &[u8], address: SocketAddr) {
        self.0.as_ref().unwrap().sendto(data, Some(address)).unwrap();
    }
}

/// Sends three datagrams to its connected peer and collects the answers.
struct UdpClient {
    got: Rc<RefCell<Vec<Vec<u8>>>>,
    done: aio::Promise<()>,
}

impl DatagramProtocol for UdpClient {
    fn connection_made(&mut self, transport: DatagramTransport) {
        for datagram in [b"one".as_slice(), b"two", b"three"] {
            transport.sendto(datagram, None).unwrap();
        }
    }
    fn datagram_received(&mut self, data: &[u8], _address: SocketAddr) {
        self.got.borrow_mut().push(data.to_vec());
        if self.got.borrow().len() == 3 {
            let _ = self.done.set_result(());
        }
    }
}

#[test]
fn udp_datagrams_arrive_whole_and_echo_back() {
    let event_loop = common::real_loop();
    let mut got = event_loop
        .run_until_complete(async {
            let (server, _) = aio::create_datagram_endpoint(
                UdpEcho(None),
                Some(("127.0.0.1", 0)),
                None,
            )
            .await
            .unwrap();
            let port = server.get_extra_info("sockname").unwrap().port();
            let done = aio::Promise::new().unwrap();
            let got = Rc::default();
            let (client, _) = aio::create_datagram_endpoint(
                UdpClient { got: Rc::clone(&got), done: done.clone() },
                None,
                Some(("127.0.0.1", port)),
            )
            .await
            .unwrap();
            aio::wait_for(done, std::time::Duration::from_secs(10))
                .await
                .unwrap()
                .unwrap();
            client.close();
            server.close();
            got.take()
        })
        .unwrap();
    got.sort();
    assert_eq!(got, [b"one".to_vec(), b"three".to_vec(), b"two".to_vec()]);
    event_loop.close().unwrap();
}

#[test]
fn sendto_without_an_address_on_an_unconnected_endpoint_is_an_error() {
    let event_loop = common::real_loop();
    let error = event_loop
        .run_until_complete(async {
            let (endpoint, _) = aio::create_datagram_endpoint(
                UdpEcho(None),
                Some(("127.0.0.1", 0)),
                None,
            )
            .await
            .unwrap();
            let error = endpoint.sendto(b"where to?", None).unwrap_err();
            endpoint.close();
            error
        })
        .unwrap();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    event_loop.close().unwrap();
}

#[test]
fn an_aio_udp_echo_answers_a_python_asyncio_client() {
    const CLIENT: &str = r#"
import asyncio, sys
class Client(asyncio.DatagramProtocol):
    def __init__(self, done):
        self.done = done
    def connection_made(self, transport):
        transport.sendto(b'ping from python')
    def datagram_received(self, data, addr):
        print(data.decode())
        self.done.set_result(True)
async def main(port):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, _ = await loop.create_datagram_endpoint(lambda: Client(done), remote_addr=('127.0.0.1', port))
    await asyncio.wait_for(done, 10)
    transport.close()
asyncio.run(main(int(sys.argv[1])))
"#;
    let event_loop = common::real_loop();
    let output = event_loop
        .run_until_complete(async {
            let (server, _) = aio::create_datagram_endpoint(
                UdpEcho(None),
                Some(("127.0.0.1", 0)),
                None,
            )
            .await
            .unwrap();
            let port = server.get_extra_info("sockname").unwrap().port();
            let (tx, rx) = aio::oneshot::channel();
            std::thread::spawn(move || {
                let output = std::process::Command::new("python3")
                    .args(["-c", CLIENT, &port.to_string()])
                    .output();
                let _ = tx.send(output.map(|output| {
                    String::from_utf8_lossy(&output.stdout).into_owned()
                }));
            });
            let output = rx.await.unwrap().unwrap();
            server.close();
            output
        })
        .unwrap();
    assert_eq!(output, "ping from python\n");
    event_loop.close().unwrap();
}

#[test]
fn closing_a_unix_server_leaves_a_newer_servers_socket_file_alone() {
    let path = socket_path("two-servers");
    let event_loop = common::real_loop();
    let p = path.clone();
    let (still_there, got) = event_loop
        .run_until_complete(async move {
            let first =
                aio::create_unix_server(|| Echo(None), &p).await.unwrap();
            // The second server replaces the first one's file with its own.
            let second =
                aio::create_unix_server(|| Echo(None), &p).await.unwrap();
            first.close();
            let still_there = p.exists();
            let done = aio::Promise::new().unwrap();
            let got = Rc::default();
            let connected = aio::create_unix_connection(
                Collect { got: Rc::clone(&got), done: done.clone() },
                &p,
            )
            .await;
            if connected.is_ok() {
                aio::wait_for(done, std::time::Duration::from_secs(30))
                    .await
                    .unwrap()
                    .unwrap();
            }
            second.close();
            (still_there, got.take())
        })
        .unwrap();
    assert!(still_there, "the first server left the second one's file");
    assert_eq!(got, b"over a unix socket", "the second server still serves");
    assert!(!path.exists(), "the second server removed its own file");
    event_loop.close().unwrap();
}
