//! `asyncio_echo_server_ssl.py`: chapter 8's echo server, over TLS.

use crate::certificate;
use crate::{CommandLine, bytes_repr};
use aio::{ExtraInfo, Server, SslContext, StreamReader, StreamWriter};
use std::error::Error;
use std::io;
use std::path::PathBuf;

/// The end of a message: TLS can't half-close, so the client sends this.
pub const END: u8 = b'\0';

// ANCHOR: echo
/// One connection: read up to 128 bytes at a time and send them back, until
/// the message ends with a NUL byte, or EOF.
async fn echo(reader: StreamReader, writer: StreamWriter) {
    let log = match writer.get_extra_info("peername") {
        Some(ExtraInfo::Address(peer)) => {
            format!("echo_{}_{}", peer.ip(), peer.port())
        }
        _ => "echo".to_owned(),
    };
    println!("{log}: connection accepted");
    loop {
        let data = match reader.read(128).await {
            Ok(data) => data,
            Err(error) => {
                println!("{log}: ERROR: {error}");
                writer.close();
                return;
            }
        };
        let (data, terminated) = without_end_marker(&data);
        if !data.is_empty() {
            println!("{log}: received {}", bytes_repr(data));
            if writer.write(data).is_err() || writer.drain().await.is_err() {
                println!("{log}: the client went away");
                return;
            }
            println!("{log}: sent {}", bytes_repr(data));
        }
        if terminated || data.is_empty() {
            if terminated {
                println!("{log}: message terminated, closing connection");
            } else {
                println!("{log}: closing");
            }
            writer.close();
            return;
        }
    }
}

/// The data without the NUL bytes that end it (Python's
/// `data.rstrip(b'\x00')`), and whether there were any.
fn without_end_marker(data: &[u8]) -> (&[u8], bool) {
    let ends = data.iter().rev().take_while(|&&byte| byte == END).count();
    (&data[..data.len() - ends], ends > 0)
}
// ANCHOR_END: echo

// ANCHOR: start
/// Starts the server and prints where it listens.
pub async fn start(
    host: &str,
    port: u16,
    context: SslContext,
) -> io::Result<Server> {
    let server = aio::start_server_ssl(echo, host, port, context).await?;
    println!("main: starting up on {host} port {}", server.port());
    Ok(server)
}
// ANCHOR_END: start

// ANCHOR: context
/// The server's TLS context: the certificate and key in the files the
/// command line names, or a new certificate, written to `--write-cert` (or
/// the default path) for clients to trust. Gives where it wrote it.
fn server_context(
    line: &CommandLine,
) -> Result<(SslContext, Option<PathBuf>), Box<dyn Error>> {
    match (line.option("--certfile"), line.option("--keyfile")) {
        (Some(certfile), Some(keyfile)) => {
            let context = SslContext::server_from_files(certfile, keyfile)
                .map_err(|error| {
                    format!(
                        "{error}; give --certfile and --keyfile PEM files, \
                         or neither to make a certificate"
                    )
                })?;
            Ok((context, None))
        }
        (None, None) => {
            let issued = certificate::self_signed()?;
            let path = match line.option("--write-cert") {
                Some(path) => PathBuf::from(path),
                None => certificate::default_path(),
            };
            std::fs::write(&path, &issued.cert_pem).map_err(|error| {
                format!(
                    "could not write the certificate to {}: {error}; pass \
                     --write-cert with a path that can be written",
                    path.display()
                )
            })?;
            Ok((issued.server_context()?, Some(path)))
        }
        _ => Err("--certfile and --keyfile go together: give both, or \
                  neither to make a certificate"
            .into()),
    }
}
// ANCHOR_END: context

/// The options `echo_server_ssl` takes.
const OPTIONS: [&str; 3] = ["--certfile", "--keyfile", "--write-cert"];

pub fn main() -> Result<(), Box<dyn Error>> {
    let line = CommandLine::from_args(&OPTIONS)?;
    let (host, port) = line.address()?;
    let (context, written) = server_context(&line)?;
    let event_loop = aio::EventLoop::new()?;
    let server = event_loop.run_until_complete(async move {
        start(&host, port, context).await
    })??;
    if let Some(path) = written {
        println!("main: certificate for clients in {}", path.display());
    }
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
