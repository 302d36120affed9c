//! `asyncio_echo_client_protocol.py`: an echo client built from a protocol.

use crate::bytes_repr;
use aio::{ExtraInfo, Promise, Protocol, Transport};
use std::io;

/// The message, in three parts.
pub const MESSAGES: [&[u8]; 3] =
    [b"This is the message. ", b"It will be sent ", b"in parts."];

// ANCHOR: protocol
/// Sends the message, logs the echo, and settles `done` when the server hangs
/// up.
pub struct EchoClient {
    transport: Option<Transport>,
    done: Promise<bool>,
}

impl Protocol for EchoClient {
    fn connection_made(&mut self, transport: Transport) {
        if let Some(ExtraInfo::Address(peer)) =
            transport.get_extra_info("peername")
        {
            println!(
                "EchoClient: connecting to {} port {}",
                peer.ip(),
                peer.port()
            );
        }
        for message in MESSAGES {
            println!("EchoClient: sending {}", bytes_repr(message));
        }
        // One writelines call: the parts leave in one system call, so the
        // server reads them in one piece on every run (Python writes them one
        // by one).
        if transport.writelines(MESSAGES).is_err() {
            println!("EchoClient: could not send");
        }
        if transport.can_write_eof() && transport.write_eof().is_ok() {
            println!("EchoClient: sending EOF");
        }
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        println!("EchoClient: received {}", bytes_repr(data));
    }

    fn eof_received(&mut self) -> bool {
        println!("EchoClient: received EOF");
        if let Some(transport) = &self.transport {
            transport.close();
        }
        let _ = self.done.set_result(true);
        false
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        match error {
            Some(error) => println!("EchoClient: connection lost: {error}"),
            None => println!("EchoClient: server closed connection"),
        }
        let _ = self.done.set_result(true);
    }
}
// ANCHOR_END: protocol

// ANCHOR: run
/// Connects, and waits until the conversation is over.
pub async fn run(
    host: &str,
    port: u16,
) -> Result<(), Box<dyn std::error::Error>> {
    let client_completed: Promise<bool> = Promise::new()?;
    let client = EchoClient { transport: None, done: client_completed.clone() };
    println!("main: waiting for client to complete");
    aio::create_connection(client, host, port).await?;
    client_completed.await?;
    Ok(())
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (host, port) = crate::address_from_args()?;
    let patience = crate::patience_from_args()?;
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(async move {
        crate::give_up_after(patience, &host, port, run(&host, port)).await
    });
    println!("main: closing event loop");
    event_loop.close()?;
    outcome?
}
// ANCHOR_END: run
