//! `asyncio_echo_server_coroutine.py`: an echo server built from streams.

use crate::bytes_repr;
use aio::{ExtraInfo, Server, StreamReader, StreamWriter};
use std::io;

// ANCHOR: echo
/// One connection: read up to 128 bytes at a time and send them back, until
/// EOF.
async fn echo(reader: StreamReader, writer: StreamWriter) {
    let log = match writer.get_extra_info("peername") {
        Some(ExtraInfo::Address(peer)) => {
            format!("echo_{}_{}", peer.ip(), peer.port())
        }
        _ => "echo".to_owned(),
    };
    println!("{log}: connection accepted");
    loop {
        match reader.read(128).await {
            Ok(data) if !data.is_empty() => {
                println!("{log}: received {}", bytes_repr(&data));
                if writer.write(&data).is_err() || writer.drain().await.is_err()
                {
                    println!("{log}: the client went away");
                    return;
                }
                println!("{log}: sent {}", bytes_repr(&data));
            }
            Ok(_) => {
                println!("{log}: closing");
                writer.close();
                return;
            }
            Err(error) => {
                println!("{log}: ERROR: {error}");
                writer.close();
                return;
            }
        }
    }
}
// ANCHOR_END: echo

// ANCHOR: start
/// Starts the server and prints where it listens.
pub async fn start(host: &str, port: u16) -> io::Result<Server> {
    let server = aio::start_server(echo, host, port).await?;
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
