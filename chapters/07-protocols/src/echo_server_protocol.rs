//! `asyncio_echo_server_protocol.py`: an echo server built from a protocol.

use crate::bytes_repr;
use aio::{ExtraInfo, Protocol, Server, Transport};
use std::io;

// ANCHOR: protocol
/// One connection's protocol: it logs what happens and sends data straight
/// back, and it stops reading while its echoes can't be sent.
#[derive(Default)]
pub struct EchoServer {
    transport: Option<Transport>,
    log: String,
}

impl Protocol for EchoServer {
    fn connection_made(&mut self, transport: Transport) {
        // Python names the logger after the peer: EchoServer_<host>_<port>.
        if let Some(ExtraInfo::Address(peer)) =
            transport.get_extra_info("peername")
        {
            self.log = format!("EchoServer_{}_{}", peer.ip(), peer.port());
        }
        println!("{}: connection accepted", self.log);
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        println!("{}: received {}", self.log, bytes_repr(data));
        if let Some(transport) = &self.transport
            && transport.write(data).is_ok()
        {
            println!("{}: sent {}", self.log, bytes_repr(data));
        }
    }

    fn eof_received(&mut self) -> bool {
        println!("{}: received EOF", self.log);
        if let Some(transport) = &self.transport
            && transport.can_write_eof()
            && transport.write_eof().is_err()
        {
            println!("{}: could not send EOF", self.log);
        }
        false // then the transport closes
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        match error {
            Some(error) => println!("{}: ERROR: {error}", self.log),
            None => println!("{}: closing", self.log),
        }
    }
    // ANCHOR_END: protocol

    // ANCHOR: flow_control
    // Not in the Python original. Every byte read is echoed, so while the
    // peer doesn't read its echoes, reading more only grows the write
    // buffer: stop reading until the buffer drains.
    fn pause_writing(&mut self) {
        if let Some(transport) = &self.transport {
            transport.pause_reading();
        }
    }

    fn resume_writing(&mut self) {
        if let Some(transport) = &self.transport {
            transport.resume_reading();
        }
    }
}
// ANCHOR_END: flow_control

// ANCHOR: start
/// Starts the server and prints where it listens.
pub async fn start(host: &str, port: u16) -> io::Result<Server> {
    let server = aio::create_server(EchoServer::default, host, port).await?;
    println!("main: starting up on {host} port {}", server.port());
    Ok(server)
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (host, port) = crate::address_from_args()?;
    let event_loop = aio::EventLoop::new()?;
    let server = event_loop
        .run_until_complete(async move { start(&host, port).await })??;
    // Serve until Ctrl-C or SIGTERM stops the loop (Python: run_forever
    // until KeyboardInterrupt), then close the server and the loop.
    let signals = crate::stop_on_signals(&event_loop)?;
    event_loop.run_forever()?;
    println!("main: closing server");
    server.close();
    server.close_clients(); // the connections still open, too (Python 3.13)
    event_loop.run_until_complete(async move { server.wait_closed().await })?;
    println!("main: closing event loop");
    event_loop.close()?;
    match signals.received() {
        // End as the signal would have, as Python's KeyboardInterrupt does.
        Some(signal) => signal.exit_process(),
        None => Ok(()),
    }
}
// ANCHOR_END: start
