//! Chapter 7 (protocols): a stream connection's life, as one state type.
//!
//! A connection is open, perhaps half-closed by either side; or closing (its
//! queue flushing before the end); or lost. [`Life`] holds exactly one of
//! these, so a connection can't be "closing and lost" or "at EOF while
//! aborting": those combinations have no value to be in. Its methods are the
//! transitions, named after what happened.

// ANCHOR: life
/// Where a stream connection is in its life. It ends as `Lost`, whatever it
/// was: the transport sets that state itself, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Life {
    /// Open. `peer_eof`: the peer has sent its EOF (and the protocol chose to
    /// keep the connection open); `write`: how far our own write side is.
    Open {
        /// Whether the peer's EOF has been read.
        peer_eof: bool,
        /// Our write side.
        write: WriteSide,
    },
    /// `close()` or `abort()` was called: flush what is queued, then end.
    Closing,
    /// The connection has ended, and `connection_lost` has been called.
    Lost,
}

/// Our side of an open connection's writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteSide {
    /// Writes are accepted.
    Open,
    /// `write_eof()` was called: flush, then shut the write side down.
    EofRequested,
    /// The write side is shut down.
    EofSent,
}

impl Life {
    /// A new connection, open both ways.
    pub(crate) const OPEN: Life =
        Life::Open { peer_eof: false, write: WriteSide::Open };

    /// `write_eof()` was called: writing ends once the queue is flushed.
    pub(crate) fn eof_requested(self) -> Life {
        match self {
            Life::Open { peer_eof, write: WriteSide::Open } => {
                Life::Open { peer_eof, write: WriteSide::EofRequested }
            }
            other => other,
        }
    }

    /// The write side has been shut down.
    pub(crate) fn eof_sent(self) -> Life {
        match self {
            Life::Open { peer_eof, .. } => {
                Life::Open { peer_eof, write: WriteSide::EofSent }
            }
            other => other,
        }
    }

    /// A read gave EOF: the peer is done writing.
    pub(crate) fn peer_eof(self) -> Life {
        match self {
            Life::Open { write, .. } => Life::Open { peer_eof: true, write },
            other => other,
        }
    }

    /// `close()` or `abort()` was called (or the peer's EOF closes us).
    pub(crate) fn closing(self) -> Life {
        match self {
            Life::Open { .. } => Life::Closing,
            other => other,
        }
    }

    /// Whether `write` is still allowed: not after `write_eof` or `close`.
    pub(crate) fn accepts_writes(self) -> bool {
        matches!(self, Life::Open { write: WriteSide::Open, .. })
    }

    /// Whether the socket is still to be read: open, and no EOF yet.
    pub(crate) fn reads(self) -> bool {
        matches!(self, Life::Open { peer_eof: false, .. })
    }

    /// Whether the connection is closing or closed.
    pub(crate) fn is_closing(self) -> bool {
        matches!(self, Life::Closing | Life::Lost)
    }
}
// ANCHOR_END: life

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_close_from_each_side_leaves_the_connection_open() {
        let life = Life::OPEN.peer_eof().eof_requested();
        assert_eq!(
            life,
            Life::Open { peer_eof: true, write: WriteSide::EofRequested }
        );
        assert!(!life.accepts_writes() && !life.reads() && !life.is_closing());
        let life = life.eof_sent();
        assert_eq!(
            life,
            Life::Open { peer_eof: true, write: WriteSide::EofSent }
        );
        assert_eq!(life.eof_requested(), life, "a second write_eof: no news");
    }

    #[test]
    fn closing_and_losing_leave_no_half_close_behind() {
        let closing = Life::OPEN.eof_requested().closing();
        assert_eq!(closing, Life::Closing);
        assert_eq!(closing.peer_eof(), Life::Closing);
        assert_eq!(closing.eof_requested(), Life::Closing);
        assert!(closing.is_closing() && !closing.accepts_writes());
        let lost = Life::Lost;
        assert_eq!(lost.closing(), Life::Lost, "a lost connection stays lost");
        assert!(lost.is_closing() && !lost.reads());
    }
}
