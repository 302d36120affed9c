//! Exercise 4 (project): a STARTTLS server. The commands are decided by a
//! plain function, `step`; the connection's coroutine carries them out,
//! upgrading itself to TLS in the middle of the conversation.

use aio::{Server, Ssl, SslContext, StreamReader, StreamWriter};
use std::io;

// ANCHOR: start
/// Starts the server on `host`:`port` (port 0 picks a free one); `context`
/// is the server's TLS context, used for every upgrade.
///
/// Each connection starts with `220 ready`. Commands are lines; every reply
/// is one line, ending with `\n`. `QUIT` is answered `221 bye` and closes
/// the connection, at any time. In plain text, `STARTTLS` is answered
/// `220 go ahead`, and the connection is upgraded (the server's side of the
/// handshake); any other command is answered `530 send STARTTLS first`.
/// Over TLS, `ECHO TEXT` is answered `250 TEXT`, `STARTTLS` is answered
/// `503 already using TLS`, and anything else `500 unknown command`. A
/// failed handshake, the client's EOF or a failure closes the connection;
/// the server goes on serving others. A client context is refused with
/// `InvalidInput`.
pub async fn start_starttls_server(
    host: &str,
    port: u16,
    context: SslContext,
) -> io::Result<Server> {
    if !context.is_server() {
        // Found now, not at the first client's STARTTLS.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a STARTTLS server needs a server context \
             (SslContext::server_from_pem or server_from_files)",
        ));
    }
    let serve = move |reader, writer| session(context.clone(), reader, writer);
    aio::start_server(serve, host, port).await
}
// ANCHOR_END: start

// ANCHOR: step
/// What one command asks of the connection.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Send this reply, and read the next command.
    Reply(String),
    /// Reply `220 go ahead`, and upgrade to TLS.
    Upgrade,
    /// Reply `221 bye`, and close.
    Quit,
}

/// The answer to `command`, in plain text or (`encrypted`) over TLS.
fn step(command: &str, encrypted: bool) -> Step {
    let (verb, text) = command.split_once(' ').unwrap_or((command, ""));
    let reply = |line: &str| Step::Reply(line.to_owned());
    match (verb, encrypted) {
        ("QUIT", _) => Step::Quit,
        ("STARTTLS", false) => Step::Upgrade,
        ("STARTTLS", true) => reply("503 already using TLS"),
        (_, false) => reply("530 send STARTTLS first"),
        ("ECHO", true) => Step::Reply(format!("250 {text}")),
        (_, true) => reply("500 unknown command"),
    }
}
// ANCHOR_END: step

// ANCHOR: session
/// One connection, from the greeting to the goodbye.
async fn session(
    context: SslContext,
    reader: StreamReader,
    writer: StreamWriter,
) {
    let mut encrypted = false;
    let mut reply = writer.write(b"220 ready\n");
    while reply.is_ok() {
        let command = match reader.readline().await {
            Ok(line) if !line.is_empty() => line,
            _ => break, // EOF, a line over the limit, or a failure
        };
        let command = String::from_utf8_lossy(&command);
        reply = match step(command.trim_end(), encrypted) {
            Step::Reply(line) => writer.write(format!("{line}\n").as_bytes()),
            Step::Quit => {
                let _ = writer.write(b"221 bye\n");
                break;
            }
            Step::Upgrade => {
                // The reply goes out in plain text, ahead of the
                // handshake's records: `start_tls` swaps the protocol
                // under the same socket before it awaits anything.
                let _ = writer.write(b"220 go ahead\n");
                encrypted = true;
                writer.start_tls(Ssl::new(context.clone())).await
            }
        };
    }
    writer.close();
}
// ANCHOR_END: session
