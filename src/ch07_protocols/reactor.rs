//! Chapter 7 (protocols): the reactor, readiness of sockets registered with the
//! poller.
//!
//! The loop's poller reports *readiness*: "this socket can probably be read
//! now". It is edge-triggered: it reports a change once, not a state again and
//! again. So each source keeps its own readiness, set when an event arrives and
//! cleared only when a system call says `WouldBlock`; until then, the source is
//! drained. Every event bumps the source's tick, and clearing names the tick it
//! saw: an edge that arrives between a `WouldBlock` and the clearing of
//! readiness is never erased. The reactor is the poller's listener: chapter
//! 1's poller hands it each event of a registered source, and knows nothing
//! else of sockets, except how to close one its loop leaves open.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::event_loop::WeakLoop;
use crate::ch01_coroutines::poller::{ReadinessListener, SourceKey};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The two directions a task can wait in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Waiting to read (or accept).
    Read,
    /// Waiting to write (or for a connection to complete).
    Write,
}

const READABLE: u8 = 0b01;
const WRITABLE: u8 = 0b10;

impl Direction {
    fn bit(self) -> u8 {
        match self {
            Direction::Read => READABLE,
            Direction::Write => WRITABLE,
        }
    }

    /// What a task waiting this way waits for, for chapter 14's task tree.
    fn waiting_for(self) -> &'static str {
        match self {
            Direction::Read => "a socket to be readable",
            Direction::Write => "a socket to be writable",
        }
    }
}

// ANCHOR: io_state
/// What the reactor knows about one source.
#[derive(Default)]
pub(crate) struct IoState {
    /// Readable and writable bits, set by events, cleared by `WouldBlock`.
    readiness: Cell<u8>,
    /// Bumped by every event for this source.
    tick: Cell<u64>,
    reader: RefCell<Option<Waker>>,
    writer: RefCell<Option<Waker>>,
}

/// Proof of readiness, to hand back when a system call says `WouldBlock`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadyTick(u64);

impl IoState {
    /// Ready if the source is ready in `direction`; otherwise remembers the
    /// waker.
    pub(crate) fn poll_ready(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<ReadyTick> {
        if self.readiness.get() & direction.bit() != 0 {
            return Poll::Ready(ReadyTick(self.tick.get()));
        }
        let slot = match direction {
            Direction::Read => &self.reader,
            Direction::Write => &self.writer,
        };
        slot.replace(Some(cx.waker().clone()));
        awaiting::note(|| WaitingOn::Io(direction.waiting_for()));
        Poll::Pending
    }

    /// The system call said `WouldBlock`: clear readiness, unless an event
    /// arrived since `seen` was handed out (then the source may be ready again,
    /// and must be tried).
    pub(crate) fn clear_ready(&self, direction: Direction, seen: ReadyTick) {
        if self.tick.get() == seen.0 {
            self.readiness.set(self.readiness.get() & !direction.bit());
        }
    }

    /// Records an event and collects the wakers to wake.
    fn on_ready(&self, ready: u8, to_wake: &mut Vec<Waker>) {
        self.tick.set(self.tick.get() + 1);
        if ready & READABLE != 0 {
            to_wake.extend(self.reader.take());
        }
        if ready & WRITABLE != 0 {
            to_wake.extend(self.writer.take());
        }
        self.readiness.set(self.readiness.get() | ready);
    }
}

/// The readiness bits an event reports. Closed and error count as ready: the
/// next system call will say what happened, instead of the task waiting
/// forever.
fn readiness_of(event: &mio::event::Event) -> u8 {
    let mut ready = 0;
    if event.is_readable() || event.is_read_closed() || event.is_error() {
        ready |= READABLE;
    }
    if event.is_writable() || event.is_write_closed() || event.is_error() {
        ready |= WRITABLE;
    }
    ready
}
// ANCHOR_END: io_state

/// What the poller holds for each registered source: its readiness, and the
/// source itself, so that a loop that closes with the source still open can
/// close it (and say what it was).
struct SourceEntry<S> {
    state: IoState,
    source: RefCell<Option<S>>,
}

// ANCHOR: dispatch
impl<S: fmt::Debug> ReadinessListener for SourceEntry<S> {
    fn on_event(&self, event: &mio::event::Event, to_wake: &mut Vec<Waker>) {
        self.state.on_ready(readiness_of(event), to_wake);
    }

    fn close_for_loop(&self) -> Option<String> {
        let source = self.source.try_borrow_mut().ok()?.take()?;
        let what = format!("{source:?}");
        drop(source); // closes the descriptor: a listener stops listening
        Some(what)
    }
}
// ANCHOR_END: dispatch

// ANCHOR: io_source
/// A mio source registered with a loop: the reactor's unit of I/O. Dropping
/// it deregisters and closes the source.
///
/// It points at its loop weakly. The loop owns the tasks that own the sources,
/// so a strong pointer back would be a cycle, and an unclosed loop that owned
/// any I/O would never be dropped.
pub(crate) struct IoSource<S: mio::event::Source> {
    entry: Rc<SourceEntry<S>>,
    key: SourceKey,
    event_loop: WeakLoop,
}

impl<S: mio::event::Source> IoSource<S> {
    /// Registers `source` with the running loop, for reading and writing.
    pub(crate) fn new(mut source: S) -> io::Result<IoSource<S>>
    where
        S: fmt::Debug + 'static,
    {
        let event_loop = crate::ch01_coroutines::event_loop::get_running_loop()
            .map_err(io::Error::other)?;
        let entry = Rc::new(SourceEntry {
            state: IoState::default(),
            source: RefCell::new(None),
        });
        let listener: Rc<dyn ReadinessListener> = entry.clone();
        let key = event_loop.register_source(&mut source, listener)?;
        entry.source.replace(Some(source));
        Ok(IoSource { entry, key, event_loop: event_loop.downgrade() })
    }

    /// Runs `operation` until it does not say `WouldBlock`, waiting for
    /// readiness in `direction` between tries: edge-triggered I/O drains until
    /// `WouldBlock`.
    pub(crate) fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        mut operation: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let state = &self.entry.state;
        loop {
            let tick = std::task::ready!(state.poll_ready(direction, cx));
            let source = self.entry.source.borrow();
            let Some(source) = source.as_ref() else {
                return Poll::Ready(Err(closed_with_its_loop()));
            };
            match operation(source) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    state.clear_ready(direction, tick);
                }
                result => return Poll::Ready(result),
            }
        }
    }

    /// Calls `operation` on the source, unless its loop has closed it.
    pub(crate) fn with<R>(&self, operation: impl FnOnce(&S) -> R) -> Option<R> {
        self.entry.source.borrow().as_ref().map(operation)
    }
}

impl<S: mio::event::Source> Drop for IoSource<S> {
    fn drop(&mut self) {
        let source = self.entry.source.borrow_mut().take();
        if let (Some(mut source), Some(event_loop)) =
            (source, self.event_loop.upgrade())
        {
            event_loop.deregister_source(&mut source, self.key);
        }
        // Otherwise the loop is gone, or closed the source itself.
    }
}
// ANCHOR_END: io_source

/// The error of an operation on a source its loop closed.
fn closed_with_its_loop() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the event loop that owned this socket was closed, and closed it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    struct CountWakes(std::sync::atomic::AtomicUsize);

    impl Wake for CountWakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn counting_waker() -> (Waker, Arc<CountWakes>) {
        let count =
            Arc::new(CountWakes(std::sync::atomic::AtomicUsize::new(0)));
        (Waker::from(count.clone()), count)
    }

    #[test]
    fn an_edge_between_would_block_and_clearing_is_not_lost() {
        let state = IoState::default();
        let (waker, _) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        state.on_ready(READABLE, &mut Vec::new());
        let Poll::Ready(seen) = state.poll_ready(Direction::Read, &mut cx)
        else {
            panic!("ready")
        };
        // The system call says WouldBlock, but before readiness is cleared a
        // new edge arrives: clearing with the old tick must leave the source
        // ready.
        state.on_ready(READABLE, &mut Vec::new());
        state.clear_ready(Direction::Read, seen);
        assert!(
            state.poll_ready(Direction::Read, &mut cx).is_ready(),
            "the new edge survived"
        );
        // With no new edge, clearing works and the next poll waits.
        let Poll::Ready(seen) = state.poll_ready(Direction::Read, &mut cx)
        else {
            panic!("ready")
        };
        state.clear_ready(Direction::Read, seen);
        assert!(state.poll_ready(Direction::Read, &mut cx).is_pending());
    }

    #[test]
    fn events_wake_the_waiting_direction_only() {
        let state = IoState::default();
        let (reader, reads) = counting_waker();
        let (writer, writes) = counting_waker();
        assert!(
            state
                .poll_ready(Direction::Read, &mut Context::from_waker(&reader))
                .is_pending()
        );
        assert!(
            state
                .poll_ready(Direction::Write, &mut Context::from_waker(&writer))
                .is_pending()
        );
        let mut to_wake = Vec::new();
        state.on_ready(WRITABLE, &mut to_wake);
        to_wake.into_iter().for_each(Waker::wake);
        assert_eq!(reads.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(writes.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
