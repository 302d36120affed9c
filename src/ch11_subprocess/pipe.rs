//! Chapter 11 (subprocesses): the child's pipes, our ends of which are byte
//! streams for chapter 7's transport.
//!
//! A pipe has two ends: the child gets one as its standard stream, an
//! ordinary blocking descriptor, and we keep the other, non-blocking and
//! registered with the reactor. Our end of the child's stdout or stderr is a
//! [`PipeReader`]; our end of its stdin is a [`PipeWriter`]. Each is a
//! [`ByteStream`], so the transport that carries sockets carries pipes too:
//! the same buffer, water marks, read budget and protocol calls.
//!
//! A writer has nothing to read, but it must still learn when the child
//! closes its end (it exited, or closed its stdin): then the next write
//! would fail with `EPIPE`. The kernel reports that as an error on our end,
//! which the reactor counts as readable; so a writer's "read" asks `poll`
//! whether the other end is gone, and says EOF if it is (asyncio's write
//! pipe transport watches for reading for the same reason).

use crate::ch07_protocols::socket::ByteStream;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};

/// Our end of a pipe the child writes to (its stdout or stderr).
#[derive(Debug)]
pub(crate) struct PipeReader(mio::unix::pipe::Receiver);

/// Our end of a pipe the child reads from (its stdin).
#[derive(Debug)]
pub(crate) struct PipeWriter(mio::unix::pipe::Sender);

// ANCHOR: new_pipes
/// A pipe the child writes to: our non-blocking end, and the child's.
pub(crate) fn pipe_from_child() -> io::Result<(PipeReader, OwnedFd)> {
    let (ours, childs) = std::io::pipe()?; // both close on exec
    let ours = mio::unix::pipe::Receiver::from(OwnedFd::from(ours));
    ours.set_nonblocking(true)?;
    Ok((PipeReader(ours), OwnedFd::from(childs)))
}

/// A pipe the child reads from: our non-blocking end, and the child's.
pub(crate) fn pipe_to_child() -> io::Result<(PipeWriter, OwnedFd)> {
    let (childs, ours) = std::io::pipe()?;
    let ours = mio::unix::pipe::Sender::from(OwnedFd::from(ours));
    ours.set_nonblocking(true)?;
    Ok((PipeWriter(ours), OwnedFd::from(childs)))
}
// ANCHOR_END: new_pipes

// ANCHOR: pipe_streams
impl ByteStream for PipeReader {
    const WRITE_REFUSAL: Option<&'static str> = Some(
        "this is the child's stdout or stderr pipe, which is only read; \
         write to the stdin pipe (get_pipe_transport(0)) instead",
    );

    fn read(&self, buffer: &mut [u8]) -> io::Result<usize> {
        (&self.0).read(buffer)
    }

    fn write(&self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::Unsupported.into()) // never called: see above
    }

    fn shutdown_write(&self) -> io::Result<()> {
        Ok(())
    }
}

impl ByteStream for PipeWriter {
    /// Once our end is shut, the pipe is done: there is no reading side.
    const HALF_CLOSES: bool = false;
    /// Its "reads" only watch for the child closing its end (see `read`):
    /// pausing them would leave the pipe open after the child has gone, and
    /// `wait` waiting for it forever.
    const PAUSES_READING: bool = false;

    /// Not a read: says EOF once the child has closed its end.
    fn read(&self, _: &mut [u8]) -> io::Result<usize> {
        if reader_is_gone(&self.0)? {
            Ok(0)
        } else {
            Err(io::ErrorKind::WouldBlock.into())
        }
    }

    fn write(&self, data: &[u8]) -> io::Result<usize> {
        (&self.0).write(data)
    }

    /// Nothing to do here: the transport ends, and closes the pipe.
    fn shutdown_write(&self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether the reading end of the pipe `ours` writes to has been closed.
fn reader_is_gone(ours: &impl AsRawFd) -> io::Result<bool> {
    let mut poll = libc::pollfd {
        fd: ours.as_raw_fd(),
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: `poll` is one valid pollfd, and the count says one; a zero
    // timeout never blocks.
    if unsafe { libc::poll(&mut poll, 1, 0) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(poll.revents & (libc::POLLERR | libc::POLLHUP) != 0)
}
// ANCHOR_END: pipe_streams

macro_rules! delegate_pipe_source {
    ($type:ident) => {
        impl mio::event::Source for $type {
            fn register(
                &mut self,
                registry: &mio::Registry,
                token: mio::Token,
                interests: mio::Interest,
            ) -> io::Result<()> {
                self.0.register(registry, token, interests)
            }
            fn reregister(
                &mut self,
                registry: &mio::Registry,
                token: mio::Token,
                interests: mio::Interest,
            ) -> io::Result<()> {
                self.0.reregister(registry, token, interests)
            }
            fn deregister(
                &mut self,
                registry: &mio::Registry,
            ) -> io::Result<()> {
                self.0.deregister(registry)
            }
        }
    };
}

delegate_pipe_source!(PipeReader);
delegate_pipe_source!(PipeWriter);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_sees_eof_once_the_reading_end_is_closed() {
        let (writer, childs) = pipe_to_child().unwrap();
        let mut buffer = [0u8; 1];
        let probe = writer.read(&mut buffer).unwrap_err();
        assert_eq!(probe.kind(), io::ErrorKind::WouldBlock);
        drop(childs);
        assert_eq!(writer.read(&mut buffer).unwrap(), 0);
    }

    #[test]
    fn our_ends_never_block_and_the_childs_do() {
        let (reader, childs) = pipe_from_child().unwrap();
        let mut buffer = [0u8; 8];
        let empty = reader.read(&mut buffer).unwrap_err();
        assert_eq!(empty.kind(), io::ErrorKind::WouldBlock);
        // SAFETY: F_GETFL on a descriptor we own only reads its flags.
        let flags = unsafe { libc::fcntl(childs.as_raw_fd(), libc::F_GETFL) };
        assert_eq!(flags & libc::O_NONBLOCK, 0, "the child's end blocks");
    }
}
