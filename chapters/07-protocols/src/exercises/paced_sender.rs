//! Exercise 2: a sender that listens to flow control (medium).
//!
//! Write [`PacedSender`], a protocol that sends `total` bytes (the pattern
//! of [`byte_at`]) in pieces of [`CHUNK`] bytes, then closes, and that never
//! lets its transport's write buffer grow past the high water mark by more
//! than one piece, however slowly the peer reads. The chapter page
//! (`book/ch07-protocols.md`, "Exercises") says what the grader checks.

use aio::{Protocol, Transport};

/// How many bytes [`PacedSender`] writes at a time.
pub const CHUNK: usize = 16 * 1024;

/// The byte at `offset` of what a [`PacedSender`] sends.
pub fn byte_at(offset: usize) -> u8 {
    (offset % 251) as u8
}

/// Sends `total` bytes to the peer, no faster than it reads them, then
/// closes the connection.
#[derive(Debug)]
pub struct PacedSender {
    total: usize,
    // Your code here: what else the protocol must remember.
}

impl PacedSender {
    /// A protocol that will send `total` bytes.
    pub fn new(total: usize) -> PacedSender {
        PacedSender { total }
    }
}

impl Protocol for PacedSender {
    fn connection_made(&mut self, transport: Transport) {
        // Your code here: start sending.
    }

    fn pause_writing(&mut self) {
        // Your code here.
    }

    fn resume_writing(&mut self) {
        // Your code here: carry on sending.
    }
}
