//! The first cut's level-triggered echo server, against real clients on
//! loopback: bytes left unread are reported again on the next turn, and two
//! clients talking at once are both served.

use ch07_protocols::first_cut::{EchoServer, Step};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

/// Long enough never to fire on a loaded machine: only a hang guard.
const HANG_GUARD_MS: i32 = 10_000;

fn listen() -> (EchoServer, std::net::SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("bound address");
    (EchoServer::new(listener), address)
}

fn connect(address: std::net::SocketAddr) -> TcpStream {
    let client = TcpStream::connect(address).expect("connect");
    let guard = Some(Duration::from_millis(HANG_GUARD_MS as u64));
    client.set_read_timeout(guard).expect("read timeout");
    client
}

/// One turn that must find something to do.
fn turn(server: &mut EchoServer) -> Vec<Step> {
    let steps = server.turn(HANG_GUARD_MS).expect("poll");
    assert!(!steps.is_empty(), "no socket became readable within the guard");
    steps
}

#[test]
fn bytes_left_unread_are_reported_again_next_turn() {
    let (mut server, address) = listen();
    let mut client = connect(address);
    // 10,000 bytes, sent before the server reads any: one read of 4 KiB
    // per turn leaves some in the kernel, and poll(2) says so again.
    let message = vec![b'x'; 10_000];
    client.write_all(&message).expect("send");
    let mut log = Vec::new();
    let mut echoed = 0;
    while echoed < message.len() {
        let steps = turn(&mut server);
        for step in &steps {
            if let Step::Echoed { bytes, .. } = step {
                echoed += bytes;
            }
        }
        log.push(format!("turn {}: {steps:?}", log.len() + 1));
    }
    let mut echo = vec![0; message.len()];
    client.read_exact(&mut echo).expect("the whole echo");
    assert_eq!(echo, message);
    client.shutdown(Shutdown::Write).expect("close our side");
    let steps = turn(&mut server);
    log.push(format!("turn {}: {steps:?}", log.len() + 1));
    assert_eq!(steps, [Step::Closed(1)]);
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("first_cut_turns", log.join("\n"));
    });
}

#[test]
fn two_clients_talking_at_once_are_both_served() {
    let (mut server, address) = listen();
    let talk = move |name: &'static str| {
        std::thread::spawn(move || {
            let mut client = connect(address);
            for round in 0..5 {
                let line = format!("{name} says {round}\n");
                client.write_all(line.as_bytes()).expect("send");
                let mut echo = vec![0; line.len()];
                client.read_exact(&mut echo).expect("echo");
                assert_eq!(echo, line.as_bytes());
            }
        })
    };
    let clients = [talk("alice"), talk("bob")];
    let mut closed = 0;
    while closed < clients.len() {
        let steps = turn(&mut server);
        closed += steps.iter().filter(|s| matches!(s, Step::Closed(_))).count();
    }
    for client in clients {
        client.join().expect("each client got every echo");
    }
}
