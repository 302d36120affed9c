//! Chapter 12 (signals): a loop's self-pipe, through which a signal handler
//! wakes the loop (asyncio's `signal.set_wakeup_fd`).
//!
//! The handler writes a byte to the write end; the read end is registered
//! with the loop's poller like a socket, so the byte ends the loop's wait
//! in `epoll_wait`. Both ends are non-blocking: a handler must never block,
//! and the loop reads until the pipe is empty.

use crate::ch01_coroutines::event_loop::{EventLoop, WeakLoop};
use crate::ch01_coroutines::poller::{ReadinessListener, SourceKey};
use std::cell::RefCell;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;
use std::task::Waker;

/// A loop's self-pipe. Dropping it deregisters and closes both ends.
pub(crate) struct WakeupPipe {
    sender: mio::unix::pipe::Sender,
    reader: Rc<PipeReader>,
    key: SourceKey,
    event_loop: WeakLoop,
}

/// The read end, as the poller's listener: readiness calls `on_readable`.
struct PipeReader {
    receiver: RefCell<Option<mio::unix::pipe::Receiver>>,
    on_readable: Box<dyn Fn()>,
}

impl ReadinessListener for PipeReader {
    fn on_event(&self, _: &mio::event::Event, _: &mut Vec<Waker>) {
        (self.on_readable)();
    }

    fn close_for_loop(&self) -> Option<String> {
        let receiver = self.receiver.borrow_mut().take()?;
        Some(format!("signal wake-up pipe {receiver:?}"))
    }
}

impl WakeupPipe {
    /// A new pipe, its read end registered with `event_loop`;
    /// `on_readable` runs (during the poll) when bytes arrive.
    pub(crate) fn new(
        event_loop: &EventLoop,
        on_readable: impl Fn() + 'static,
    ) -> io::Result<WakeupPipe> {
        let (sender, mut receiver) = mio::unix::pipe::new()?;
        let reader = Rc::new(PipeReader {
            receiver: RefCell::new(None),
            on_readable: Box::new(on_readable),
        });
        let listener: Rc<dyn ReadinessListener> = reader.clone();
        let key = event_loop.register_source(&mut receiver, listener)?;
        reader.receiver.replace(Some(receiver));
        Ok(WakeupPipe {
            sender,
            reader,
            key,
            event_loop: event_loop.downgrade(),
        })
    }

    /// The write end's descriptor, for the signal handler.
    pub(crate) fn write_fd(&self) -> RawFd {
        self.sender.as_raw_fd()
    }

    /// Reads until the pipe is empty, handing over each byte in the order
    /// it was written.
    pub(crate) fn read_bytes(&self, mut each: impl FnMut(u8)) {
        let receiver = self.reader.receiver.borrow();
        let Some(mut receiver) = receiver.as_ref() else { return };
        let mut buffer = [0; 256];
        loop {
            match receiver.read(&mut buffer) {
                Ok(0) => return,
                Ok(read) => buffer[..read].iter().copied().for_each(&mut each),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return, // WouldBlock: empty
            }
        }
    }
}

impl Drop for WakeupPipe {
    fn drop(&mut self) {
        let receiver = self.reader.receiver.borrow_mut().take();
        if let (Some(mut receiver), Some(event_loop)) =
            (receiver, self.event_loop.upgrade())
        {
            event_loop.deregister_source(&mut receiver, self.key);
        }
    }
}
