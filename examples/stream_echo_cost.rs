//! What one 100 KiB echo round trip costs an aio server, on streams
//! (chapter 8) and on a plain protocol (chapter 7), counted in instructions
//! so that the number repeats on a busy machine. The server runs on the main
//! thread; a plain blocking client on a thread of its own sends 100 KiB,
//! reads the echo back, and does it `ROUNDS` times. The client's share is the
//! same for both servers, so the difference between the two runs is what
//! streams cost on top of a protocol:
//!
//! ```sh
//! cargo build --release --example stream_echo_cost
//! valgrind --tool=callgrind --separate-threads=yes \
//!     target/release/examples/stream_echo_cost streams
//! valgrind --tool=callgrind --separate-threads=yes \
//!     target/release/examples/stream_echo_cost protocol
//! ```
//!
//! Divide the main thread's instructions (its `callgrind.out.*-01` file) by
//! the rounds, 200 unless a second argument says how many; the setup is a
//! few hundred thousand instructions, noise next to the rounds. For CPU time
//! instead, run it with many rounds under `/usr/bin/time`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;

const ROUNDS: usize = 200;
const MESSAGE: usize = 100 * 1024;

/// The streams echo of `benches/echo.rs`: read what came, write it back,
/// wait for the drain. Sets `done` when the client has gone.
async fn echo_streams(
    reader: aio::StreamReader,
    writer: aio::StreamWriter,
    done: aio::Event,
) {
    while let Ok(data) = reader.read(64 * 1024).await {
        if data.is_empty()
            || writer.write(&data).is_err()
            || writer.drain().await.is_err()
        {
            break;
        }
    }
    writer.close();
    done.set();
}

/// The protocol echo of `benches/echo.rs`, flow control included. Sets its
/// event when the client has gone.
struct Echo(Option<aio::Transport>, aio::Event);

impl aio::Protocol for Echo {
    fn connection_made(&mut self, transport: aio::Transport) {
        self.0 = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        if let Some(transport) = &self.0 {
            let _ = transport.write(data);
        }
    }
    fn pause_writing(&mut self) {
        self.0.as_ref().map(aio::Transport::pause_reading);
    }
    fn resume_writing(&mut self) {
        self.0.as_ref().map(aio::Transport::resume_reading);
    }
    fn connection_lost(&mut self, _error: Option<std::io::Error>) {
        self.1.set();
    }
}

/// Sends `rounds` messages to the server at `port`, each after the echo of
/// the one before has come back whole, then hangs up.
fn client(port: u16, rounds: usize) {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).unwrap();
    socket.set_nodelay(true).unwrap();
    let message = vec![7u8; MESSAGE];
    let mut echo = vec![0u8; MESSAGE];
    for _ in 0..rounds {
        socket.write_all(&message).unwrap();
        socket.read_exact(&mut echo).unwrap();
    }
}

fn main() {
    let streams = match std::env::args().nth(1).as_deref() {
        Some("streams") => true,
        Some("protocol") => false,
        _ => panic!("say which server to count: `streams` or `protocol`"),
    };
    let rounds = std::env::args().nth(2).map_or(ROUNDS, |rounds| {
        rounds.parse().expect("the number of round trips")
    });
    let (port_tx, port_rx) = mpsc::channel();
    let client =
        std::thread::spawn(move || client(port_rx.recv().unwrap(), rounds));
    aio::run(async move {
        let done = aio::Event::new();
        let ended = done.clone();
        let server = if streams {
            let echo = move |reader, writer| {
                echo_streams(reader, writer, ended.clone())
            };
            aio::start_server(echo, "127.0.0.1", 0).await
        } else {
            let echo = move || Echo(None, ended.clone());
            aio::create_server(echo, "127.0.0.1", 0).await
        };
        let server = server.unwrap();
        port_tx.send(server.port()).unwrap();
        done.wait().await; // the client has hung up
        server.close();
    })
    .unwrap();
    client.join().unwrap();
}
