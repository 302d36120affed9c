//! Chapter 8 (streams): why a stream read failed, with what asyncio's
//! exceptions carry (the partial data of an incomplete read, included).

use std::fmt;
use std::io;

/// Why a stream read failed.
#[derive(Debug)]
pub enum StreamError {
    /// EOF came before `expected` bytes (or the separator); `partial` holds
    /// what came.
    IncompleteRead {
        /// The bytes read before EOF.
        partial: Vec<u8>,
        /// How many bytes were wanted (`None`: up to a separator).
        expected: Option<usize>,
    },
    /// The separator was not found within the limit (asyncio's
    /// `LimitOverrunError`). After `readuntil` the data stays in the buffer;
    /// `readline` drops the line (where asyncio raises `ValueError`), so the
    /// stream can go on.
    LimitOverrun {
        /// Where the separator starts, or how far it was searched for without
        /// one (asyncio's `consumed`).
        consumed: usize,
    },
    /// The connection failed.
    Io(io::Error),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::IncompleteRead {
                partial,
                expected: Some(expected),
            } => {
                write!(
                    f,
                    "{} bytes read on a total of {expected} expected bytes",
                    partial.len()
                )
            }
            StreamError::IncompleteRead { partial, expected: None } => {
                write!(
                    f,
                    "EOF after {} bytes, before the separator",
                    partial.len()
                )
            }
            StreamError::LimitOverrun { consumed } => write!(
                f,
                "no separator within the reader's limit ({consumed} bytes came without one); raise the limit if lines that long are expected"
            ),
            StreamError::Io(error) => {
                write!(f, "the connection failed: {error}")
            }
        }
    }
}

impl std::error::Error for StreamError {}

impl From<io::Error> for StreamError {
    fn from(error: io::Error) -> Self {
        StreamError::Io(error)
    }
}

/// For `?` in functions that return `io::Result`: an I/O failure is itself,
/// an early EOF is `UnexpectedEof`, and a line past the limit `InvalidData`.
impl From<StreamError> for io::Error {
    fn from(error: StreamError) -> io::Error {
        match error {
            StreamError::Io(error) => error,
            StreamError::IncompleteRead { .. } => {
                io::Error::new(io::ErrorKind::UnexpectedEof, error)
            }
            StreamError::LimitOverrun { .. } => {
                io::Error::new(io::ErrorKind::InvalidData, error)
            }
        }
    }
}
