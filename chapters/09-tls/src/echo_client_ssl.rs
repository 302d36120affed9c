//! `asyncio_echo_client_ssl.py`: chapter 8's echo client, over TLS.

use crate::echo_server_ssl::END;
use crate::{CommandLine, bytes_repr, certificate};
use aio::{ExtraInfo, PeerCertificate, SslContext, StreamWriter};
use ch08_streams::echo_client_coroutine::MESSAGES;
use std::error::Error;

// ANCHOR: client
/// Connects over TLS, checking the server's certificate against `host`,
/// sends the message and a NUL byte, and prints the echo until the server
/// closes.
pub async fn echo_client(
    host: &str,
    port: u16,
    context: SslContext,
) -> Result<(), Box<dyn Error>> {
    println!("echo_client: connecting to {host} port {port}");
    // The name to check is the host by default, as in asyncio; said here
    // to show where it goes.
    let ssl = aio::Ssl::new(context).server_hostname(host);
    let (reader, writer) = aio::open_connection_ssl(host, port, ssl).await?;
    print_session(&writer)?;
    for message in MESSAGES {
        println!("echo_client: sending {}", bytes_repr(message));
    }
    // TLS has no half-close: a NUL byte marks the end of the message. One
    // writelines call is one TLS record, read in one piece.
    writer.writelines(MESSAGES.into_iter().chain([&[END][..]]))?;
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

// ANCHOR: session
/// Prints what the handshake settled: the TLS version, the cipher suite,
/// and the names on the server's certificate.
fn print_session(writer: &StreamWriter) -> Result<(), Box<dyn Error>> {
    if let Some(ExtraInfo::Cipher { name, version, .. }) =
        writer.get_extra_info("cipher")
    {
        println!("echo_client: {version} with {name}");
    }
    if let Some(ExtraInfo::PeerCertificate(der)) =
        writer.get_extra_info("peercert")
    {
        let names = PeerCertificate::parse(&der)?.dns_names.join(", ");
        println!("echo_client: the server's certificate is for {names}");
    }
    Ok(())
}
// ANCHOR_END: session

/// The CA file to trust: `--cafile`, or where the server writes its own
/// certificate by default.
fn client_context(line: &CommandLine) -> Result<SslContext, String> {
    let default = certificate::default_path();
    let cafile = line.option("--cafile").map_or(default.clone(), Into::into);
    SslContext::client_with_ca_file(&cafile).map_err(|error| {
        format!(
            "{error}; pass the server's certificate with --cafile PATH \
             (echo_server_ssl writes it to {} unless told otherwise)",
            default.display()
        )
    })
}

pub fn main() -> Result<(), Box<dyn Error>> {
    let line = CommandLine::from_args(&["--cafile"])?;
    let (host, port) = line.address()?;
    let patience = line.patience()?;
    let context = client_context(&line)?;
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(async move {
        let conversation = echo_client(&host, port, context);
        crate::give_up_after(patience, &host, port, conversation).await
    });
    println!("main: closing event loop");
    event_loop.close()?;
    outcome?
}
