//! Exercise 1: an echo that counts, and answers after EOF (small).
//!
//! Write the methods of [`CountingEcho`]: send every piece straight back, and
//! when the client has shut down its write side, send one last line,
//! `received N bytes\n`, before the connection closes. The chapter page
//! (`book/ch07-protocols.md`, "Exercises") says what the grader checks.

use aio::{Protocol, Transport};

/// One connection's protocol: an echo that reports, at the client's EOF, how
/// many bytes it received.
#[derive(Debug, Default)]
pub struct CountingEcho {
    transport: Option<Transport>,
    received: usize,
}

impl Protocol for CountingEcho {
    fn connection_made(&mut self, transport: Transport) {
        // Your code here: keep the transport.
    }

    fn data_received(&mut self, data: &[u8]) {
        // Your code here: count the bytes and send them back.
    }

    fn eof_received(&mut self) -> bool {
        // Your code here: send the count; what should this return?
        false
    }
}
