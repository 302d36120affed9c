//! Exercise 4 (project): a STARTTLS server.
//!
//! Write `start_starttls_server`: a line-based server, in the manner of
//! SMTP, that starts in plain text and upgrades a connection to TLS when
//! the client says `STARTTLS`, with `StreamWriter::start_tls`. The book's
//! chapter 9 page (`book/ch09-tls.md`, "Exercises") gives the commands and
//! the replies.

use aio::{Server, SslContext};
use std::io;

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
    // Your code here: `aio::start_server` with a coroutine per connection
    // that reads commands with `readline` and upgrades with
    // `writer.start_tls(...)`.
    Err(io::Error::other("start_starttls_server is not written yet"))
}
