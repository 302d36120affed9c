//! Exercise 1 (small): a shouting echo server, `start_server`'s coroutine
//! for one connection.

use aio::{StreamReader, StreamWriter};

// ANCHOR: shout
/// Serves one connection: every line the client sends comes back in ASCII
/// upper case, as soon as it has arrived, newline included. A last line
/// without a newline is answered too. At the client's EOF, or if the
/// connection fails, the writer is closed.
pub async fn shout(reader: StreamReader, writer: StreamWriter) {
    loop {
        // `readline` returns the last line without its newline at EOF,
        // and an empty line only at the very end.
        let line = match reader.readline().await {
            Ok(line) if !line.is_empty() => line,
            _ => break, // EOF, a line over the limit, or a failure
        };
        let loud = line.to_ascii_uppercase();
        if writer.write(&loud).is_err() || writer.drain().await.is_err() {
            break; // the client went away
        }
    }
    writer.close();
}
// ANCHOR_END: shout
