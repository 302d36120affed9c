//! Exercise 1: an echo that counts, and answers after EOF.
//!
//! The client's EOF closes only its write side: the connection can still
//! carry bytes the other way, so `eof_received` writes the count. Returning
//! `false` then closes the transport, once the count is flushed.

use aio::{Protocol, Transport};

// ANCHOR: counting_echo
/// One connection's protocol: an echo that reports, at the client's EOF, how
/// many bytes it received.
#[derive(Debug, Default)]
pub struct CountingEcho {
    transport: Option<Transport>,
    received: usize,
}

impl Protocol for CountingEcho {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.received += data.len();
        if let Some(transport) = &self.transport {
            // An error here means the connection is over, and
            // `connection_lost` will say why: nothing to do.
            let _ = transport.write(data);
        }
    }

    fn eof_received(&mut self) -> bool {
        if let Some(transport) = &self.transport {
            let count = format!("received {} bytes\n", self.received);
            let _ = transport.write(count.as_bytes());
        }
        // `false`: close the transport, which first flushes what we wrote.
        false
    }
}
// ANCHOR_END: counting_echo
