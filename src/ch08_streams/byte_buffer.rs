//! Chapter 8 (streams): the reader's byte buffer, filled at the back and read
//! from the front.

use crate::ch07_protocols::io_steps::KEPT_CAPACITY;

// ANCHOR: byte_buffer
/// A byte buffer that is filled at the back and read from the front: one
/// contiguous `Vec` and a read offset, so reads and searches are plain slice
/// operations (no byte-by-byte copying, as a `VecDeque<u8>` would need). The
/// read part is dropped when it is more than half the buffer.
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
        self.bytes.extend_from_slice(data);
    }

    /// Removes and returns the first `n` bytes, copying the smaller side.
    /// Taking at least half (a `read` of everything that came) hands over the
    /// buffer's own `Vec`, and only the bytes left are copied, into a new
    /// one; taking less copies the bytes taken out.
    pub(crate) fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        // With bytes already read at the front, the `Vec` would first need
        // them moved off: a copy too, so the plain way is as good.
        if self.start == 0 && n >= self.len() - n {
            let left = self.bytes[n..].to_vec();
            let mut taken = std::mem::replace(&mut self.bytes, left);
            taken.truncate(n);
            taken.shrink_to_fit(); // the caller keeps no spare room of ours
            return taken;
        }
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

    /// Empties the buffer; past [`KEPT_CAPACITY`], its memory goes too, so an
    /// idle reader that once took a burst does not keep the burst's room.
    fn clear(&mut self) {
        self.bytes.clear();
        self.start = 0;
        if self.bytes.capacity() > KEPT_CAPACITY {
            self.bytes.shrink_to_fit();
        }
    }
    // ANCHOR_END: byte_buffer

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
    fn taking_everything_hands_the_bytes_over_and_keeps_nothing() {
        let mut buffer = holding(100 * 1024);
        let taken = buffer.take(usize::MAX);
        assert_eq!(taken, vec![7u8; 100 * 1024]);
        assert_eq!((buffer.len(), buffer.capacity()), (0, 0));
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
