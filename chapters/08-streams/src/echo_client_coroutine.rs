//! `asyncio_echo_client_coroutine.py`: an echo client built from streams.

use crate::bytes_repr;

/// The message, in three parts.
pub const MESSAGES: [&[u8]; 3] =
    [b"This is the message. ", b"It will be sent ", b"in parts."];

// ANCHOR: client
/// Connects, sends the message and EOF, and prints the echo until the server
/// closes.
pub async fn echo_client(
    host: &str,
    port: u16,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("echo_client: connecting to {host} port {port}");
    let (reader, writer) = aio::open_connection(host, port).await?;
    for message in MESSAGES {
        println!("echo_client: sending {}", bytes_repr(message));
    }
    // One writelines call, so the server reads the parts in one piece on every
    // run.
    writer.writelines(MESSAGES)?;
    if writer.can_write_eof() {
        writer.write_eof()?;
    }
    writer.drain().await?;

    println!("echo_client: waiting for response");
    loop {
        let data = reader.read(128).await?;
        if data.is_empty() {
            println!("echo_client: closing");
            writer.close();
            return Ok(());
        }
        println!("echo_client: received {}", bytes_repr(&data));
    }
}
// ANCHOR_END: client

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (host, port) = crate::address_from_args()?;
    let patience = crate::patience_from_args()?;
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(async move {
        let conversation = echo_client(&host, port);
        crate::give_up_after(patience, &host, port, conversation).await
    });
    println!("main: closing event loop");
    event_loop.close()?;
    outcome?
}
