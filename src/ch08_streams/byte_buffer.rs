//! Chapter 8 (streams): the reader's byte buffer, filled at the back and read
//! from the front.

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

    /// Removes and returns the first `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        let taken = self.bytes[self.start..self.start + n].to_vec();
        self.start += n;
        if self.start == self.bytes.len() {
            self.bytes.clear();
            self.start = 0;
        } else if self.start > self.bytes.len() / 2 {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        taken
    }
}
