//! Exercise 1 (small): a shouting echo server.
//!
//! Write `shout`, the coroutine that `aio::start_server` runs for every
//! connection: it reads the client's lines one at a time and writes each one
//! back in upper case, until the client's EOF, and then closes its writer.
//! The book's chapter 8 page (`book/ch08-streams.md`, "Exercises") says more.

use aio::{StreamReader, StreamWriter};

/// Serves one connection: every line the client sends comes back in ASCII
/// upper case, as soon as it has arrived, newline included. A last line
/// without a newline is answered too. At the client's EOF, or if the
/// connection fails, the writer is closed.
pub async fn shout(reader: StreamReader, writer: StreamWriter) {
    // Your code here: read lines until EOF, write each one back with
    // `to_ascii_uppercase`, wait in `drain`, then close the writer.
    writer.close();
}
