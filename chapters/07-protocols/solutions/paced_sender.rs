//! Exercise 2: a sender that listens to flow control.
//!
//! The sender writes while the transport's buffer is at or below the high
//! water mark, and stops at the first write that takes it above. It checks
//! the buffer itself, because aio can't call `pause_writing` from inside the
//! protocol's own method: that news comes once the method has returned.
//! `resume_writing`, once the buffer has drained to the low water mark,
//! starts it again.

use aio::{Protocol, Transport};

/// How many bytes [`PacedSender`] writes at a time.
pub const CHUNK: usize = 16 * 1024;

/// The byte at `offset` of what a [`PacedSender`] sends.
pub fn byte_at(offset: usize) -> u8 {
    (offset % 251) as u8
}

// ANCHOR: state
/// Sends `total` bytes to the peer, no faster than it reads them, then
/// closes the connection.
#[derive(Debug)]
pub struct PacedSender {
    total: usize,
    sent: usize,
    paused: bool,
    transport: Option<Transport>,
}
// ANCHOR_END: state

impl PacedSender {
    /// A protocol that will send `total` bytes.
    pub fn new(total: usize) -> PacedSender {
        PacedSender { total, sent: 0, paused: false, transport: None }
    }
}

// ANCHOR: send_more
impl PacedSender {
    /// Writes pieces until everything is sent, or the buffer is above the
    /// high water mark, or the transport said to pause.
    fn send_more(&mut self) {
        let Some(transport) = self.transport.clone() else { return };
        let (_low, high) = transport.get_write_buffer_limits();
        while !self.paused
            && self.sent < self.total
            && transport.get_write_buffer_size() <= high
        {
            let end = self.total.min(self.sent + CHUNK);
            let piece: Vec<u8> = (self.sent..end).map(byte_at).collect();
            if transport.write(&piece).is_err() {
                return; // the connection is over
            }
            self.sent = end;
        }
        if self.sent == self.total {
            transport.close(); // once the buffer is flushed
        }
    }
}

impl Protocol for PacedSender {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
        self.send_more();
    }

    fn pause_writing(&mut self) {
        self.paused = true;
    }

    fn resume_writing(&mut self) {
        self.paused = false;
        self.send_more();
    }
}
// ANCHOR_END: send_more
