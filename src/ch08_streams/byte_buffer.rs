//! Chapter 8 (streams): the reader's byte buffer, filled at the back and read
//! from the front.

use crate::ch07_protocols::io_steps::{KEPT_CAPACITY, spares};

// ANCHOR: byte_buffer
/// A byte buffer that is filled at the back and read from the front: one
/// contiguous `Vec` and a read offset, so reads and searches are plain slice
/// operations (no byte-by-byte copying, as a `VecDeque<u8>` would need). The
/// read part is dropped when it is more than half the buffer. An emptied
/// buffer gives its `Vec` to the thread's spares (chapter 7's `io_steps`),
/// so an idle reader holds nothing.
#[derive(Default)]
pub(crate) struct ByteBuffer {
    bytes: Vec<u8>,
    start: usize,
}

impl ByteBuffer {
    pub(crate) fn len(&self) -> usize {
        self.bytes.len() - self.start
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    pub(crate) fn extend(&mut self, data: &[u8]) {
        if self.bytes.capacity() == 0 {
            self.bytes = spares::take();
        }
        self.bytes.extend_from_slice(data);
    }

    /// Removes and returns the first `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        let taken = self.bytes[self.start..self.start + n].to_vec();
        self.start += n;
        if self.start == self.bytes.len() {
            self.clear();
        } else if self.start > self.bytes.len() / 2 {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        taken
    }

    /// Empties the buffer. Past [`KEPT_CAPACITY`], its memory goes to the
    /// thread's spares, so an idle reader that once took a burst does not
    /// keep the burst's room.
    fn clear(&mut self) {
        self.bytes.clear();
        self.start = 0;
        if self.bytes.capacity() > KEPT_CAPACITY {
            spares::give(std::mem::take(&mut self.bytes));
        }
    }
}

// ANCHOR_END: byte_buffer

impl ByteBuffer {
    /// The room the buffer holds, for the tests.
    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.bytes.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holding(bytes: usize) -> ByteBuffer {
        let mut buffer = ByteBuffer::default();
        buffer.extend(&vec![7u8; bytes]);
        buffer
    }

    #[test]
    fn a_buffer_emptied_a_little_at_a_time_gives_its_memory_back() {
        let mut buffer = holding(100 * 1024);
        while buffer.len() > 0 {
            let expected = buffer.len().min(1000);
            assert_eq!(buffer.take(1000).len(), expected);
        }
        assert!(buffer.capacity() <= KEPT_CAPACITY, "{}", buffer.capacity());
    }

    #[test]
    fn an_emptied_buffer_is_a_spare_for_the_next_reader() {
        let mut first = holding(100 * 1024);
        assert_eq!(first.take(usize::MAX), vec![7u8; 100 * 1024]);
        assert_eq!(first.capacity(), 0, "the emptied reader holds nothing");
        let spares = spares::count();
        assert!(spares >= 1);
        let mut second = ByteBuffer::default();
        second.extend(b"x");
        assert!(second.capacity() >= 100 * 1024, "it reuses the spare");
        assert_eq!(spares::count(), spares - 1);
    }

    #[test]
    fn the_spares_are_bounded() {
        let mut readers: Vec<ByteBuffer> =
            (0..20).map(|_| holding(8 * 1024)).collect();
        for reader in &mut readers {
            reader.take(usize::MAX);
        }
        assert!(spares::count() <= 8, "{} spares", spares::count());
        assert_eq!(spares::count(), 8, "eight are kept, the rest freed");
        while spares::count() > 0 {
            drop(spares::take());
        }
        let mut huge = holding(1024 * 1024);
        huge.take(usize::MAX);
        assert_eq!(spares::count(), 0, "a 1 MiB buffer is freed, not kept");
    }

    #[test]
    fn taking_most_keeps_the_rest_in_order() {
        let mut buffer = ByteBuffer::default();
        buffer.extend(b"hello, world");
        assert_eq!(buffer.take(7), b"hello, ");
        assert_eq!(buffer.as_slice(), b"world");
        assert_eq!(buffer.take(2), b"wo");
        buffer.extend(b"!");
        assert_eq!(buffer.as_slice(), b"rld!");
        assert_eq!(buffer.take(10), b"rld!");
        assert_eq!(buffer.len(), 0);
    }
}
