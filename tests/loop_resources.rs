//! A loop releases what it owns: dropped unclosed or closed, it leaves no
//! descriptor open, and says what it had to close.
//!
//! One test function, so that no other test in this binary opens or closes
//! descriptors while the counts are taken.

mod common;

use common::{CapturedLog, real_loop};
use std::io;
use std::net::TcpStream;
use std::time::Duration;

/// A protocol that does nothing: the tests are about the sockets.
struct Quiet;

impl aio::Protocol for Quiet {}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").expect("/proc is mounted").count()
}

fn refuses_connections(port: u16) -> bool {
    matches!(
        TcpStream::connect(("127.0.0.1", port)),
        Err(error) if error.kind() == io::ErrorKind::ConnectionRefused
    )
}

/// A loop with a server, which has accepted one connection; the server's
/// handle is kept only if `keep_server`.
fn loop_with_a_server_and_a_client(
    keep_server: bool,
) -> (aio::EventLoop, u16, Option<aio::Server>, TcpStream) {
    let event_loop = real_loop();
    let server = event_loop
        .run_until_complete(async {
            aio::create_server(|| Quiet, "127.0.0.1", 0).await.unwrap()
        })
        .unwrap();
    let port = server.port();
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // Give the server's task the time to accept the connection.
    event_loop
        .run_until_complete(aio::sleep(Duration::from_millis(20)))
        .unwrap();
    (event_loop, port, keep_server.then_some(server), client)
}

#[test]
fn a_dropped_or_closed_loop_closes_every_source_it_owns() {
    let log = CapturedLog::start();
    let before = open_descriptors();

    // Dropped without close(), many times over: the loop, its poller, the
    // listener and the accepted connection all go.
    for round in 0..50 {
        let (event_loop, port, _, client) =
            loop_with_a_server_and_a_client(false);
        drop(event_loop);
        assert!(
            refuses_connections(port),
            "round {round}: the dropped loop's port still accepts"
        );
        drop(client);
    }
    let after_drops = open_descriptors();
    assert!(
        after_drops <= before,
        "50 dropped loops left {} descriptors open",
        after_drops - before
    );
    let unclosed = log
        .records()
        .iter()
        .filter(|(_, message)| message.contains("unclosed event loop"))
        .count();
    assert_eq!(unclosed, 50, "each dropped loop says it was not closed");

    // Closed while a handle to the server is still held outside the loop:
    // the loop closes the listener anyway, and names it.
    let (event_loop, port, server, client) =
        loop_with_a_server_and_a_client(true);
    event_loop.close().unwrap();
    assert!(refuses_connections(port), "the closed loop's port still accepts");
    let named = log.records().iter().any(|(level, message)| {
        *level == aio::Level::Warn
            && message.contains("left open")
            && message.contains("TcpListener")
    });
    assert!(named, "the warning names the listener: {:?}", log.records());
    let server = server.expect("kept");
    server.close(); // closing it again afterwards is harmless
    drop(server);
    drop(client);
    drop(event_loop);
    assert!(open_descriptors() <= before, "nothing is left open at the end");
}
