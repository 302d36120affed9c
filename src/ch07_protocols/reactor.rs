//! Chapter 7 (protocols): the reactor, readiness of sockets registered with the
//! poller.
//!
//! The loop's poller reports *readiness*: "this socket can probably be read
//! now". It is edge-triggered: it reports a change once, not a state again and
//! again. So each source keeps its own readiness, set when an event arrives and
//! cleared only when a system call says `WouldBlock`; until then, the source is
//! drained. Every event bumps the source's tick, and clearing names the tick it
//! saw: an edge that arrives between a `WouldBlock` and the clearing of
//! readiness is never erased. Tokens carry a generation, so an event for a
//! source that is gone (its slot reused) is recognised and dropped.

use crate::ch01_coroutines::event_loop::{EventLoop, IoDriver};
use std::cell::{Cell, RefCell};
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
    fn on_event(&self, ready: u8, to_wake: &mut Vec<Waker>) {
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

/// The loop's table of registered sources, indexed by token.
#[derive(Default)]
pub(crate) struct Reactor {
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<usize>>,
}

#[derive(Default)]
struct Slot {
    generation: u32,
    state: Option<Rc<IoState>>,
}

// ANCHOR: dispatch
impl IoDriver for Reactor {
    fn dispatch(&self, event: &mio::event::Event, to_wake: &mut Vec<Waker>) {
        self.dispatch_ready(event.token(), readiness_of(event), to_wake);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
// ANCHOR_END: dispatch

impl Reactor {
    /// Records readiness for the source behind `token`, unless the token is
    /// stale.
    fn dispatch_ready(
        &self,
        token: mio::Token,
        ready: u8,
        to_wake: &mut Vec<Waker>,
    ) {
        let (index, generation) = split_token(token);
        let slots = self.slots.borrow();
        match slots.get(index) {
            Some(Slot { generation: current, state: Some(state) })
                if *current == generation =>
            {
                state.on_event(ready, to_wake);
            }
            _ => {} // a stale event, for a source that has been deregistered
        }
    }
}

fn make_token(index: usize, generation: u32) -> mio::Token {
    mio::Token((index << 24) | (generation as usize & 0xFF_FFFF))
}

fn split_token(token: mio::Token) -> (usize, u32) {
    (token.0 >> 24, (token.0 & 0xFF_FFFF) as u32)
}

/// A source registered with a loop's poller. Deregister it before closing the
/// source.
pub(crate) struct Registration {
    event_loop: EventLoop,
    index: usize,
    pub(crate) state: Rc<IoState>,
}

impl Registration {
    /// Registers `source` with the running loop's poller, for reading and
    /// writing.
    pub(crate) fn new(
        event_loop: &EventLoop,
        source: &mut impl mio::event::Source,
    ) -> io::Result<Registration> {
        if event_loop.is_closed() {
            return Err(io::Error::other(
                crate::ch01_coroutines::error::Error::LoopClosed,
            ));
        }
        let inner = event_loop.inner();
        let driver =
            inner.io_driver.get_or_init(|| Rc::new(Reactor::default()));
        let Some(reactor) = driver.as_any().downcast_ref::<Reactor>() else {
            return Err(io::Error::other(
                "the loop's I/O driver is not aio's reactor",
            ));
        };
        let state = Rc::new(IoState::default());
        let index = reactor.free.borrow_mut().pop().unwrap_or_else(|| {
            let mut slots = reactor.slots.borrow_mut();
            slots.push(Slot::default());
            slots.len() - 1
        });
        let generation = {
            let mut slots = reactor.slots.borrow_mut();
            let slot = &mut slots[index];
            slot.generation = slot.generation.wrapping_add(1) & 0xFF_FFFF;
            slot.state = Some(Rc::clone(&state));
            slot.generation
        };
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        if let Err(error) = inner.registry.register(
            source,
            make_token(index, generation),
            interest,
        ) {
            reactor.release(index);
            return Err(error);
        }
        Ok(Registration { event_loop: event_loop.clone(), index, state })
    }

    /// Removes `source` from the poller and frees its slot.
    pub(crate) fn deregister(&self, source: &mut impl mio::event::Source) {
        let inner = self.event_loop.inner();
        let _ = inner.registry.deregister(source);
        if let Some(driver) = inner.io_driver.get()
            && let Some(reactor) = driver.as_any().downcast_ref::<Reactor>()
        {
            reactor.release(self.index);
        }
    }
}

impl Reactor {
    fn release(&self, index: usize) {
        let state = self
            .slots
            .borrow_mut()
            .get_mut(index)
            .and_then(|slot| slot.state.take());
        drop(state); // drops its wakers, outside the borrow
        self.free.borrow_mut().push(index);
    }
}

// ANCHOR: io_source
/// A mio source owned together with its registration: the reactor's unit of
/// I/O.
pub(crate) struct IoSource<S: mio::event::Source> {
    source: S,
    registration: Registration,
}

impl<S: mio::event::Source> IoSource<S> {
    /// Registers `source` with the running loop.
    pub(crate) fn new(mut source: S) -> io::Result<IoSource<S>> {
        let event_loop = crate::ch01_coroutines::event_loop::get_running_loop()
            .map_err(io::Error::other)?;
        let registration = Registration::new(&event_loop, &mut source)?;
        Ok(IoSource { source, registration })
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
        loop {
            let tick = std::task::ready!(
                self.registration.state.poll_ready(direction, cx)
            );
            match operation(&self.source) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.state.clear_ready(direction, tick);
                }
                result => return Poll::Ready(result),
            }
        }
    }

    /// The source itself.
    pub(crate) fn get_ref(&self) -> &S {
        &self.source
    }
}

impl<S: mio::event::Source> Drop for IoSource<S> {
    fn drop(&mut self) {
        self.registration.deregister(&mut self.source);
    }
}
// ANCHOR_END: io_source

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
        state.on_event(READABLE, &mut Vec::new());
        let Poll::Ready(seen) = state.poll_ready(Direction::Read, &mut cx)
        else {
            panic!("ready")
        };
        // The system call says WouldBlock, but before readiness is cleared a
        // new edge arrives: clearing with the old tick must leave the source
        // ready.
        state.on_event(READABLE, &mut Vec::new());
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
        state.on_event(WRITABLE, &mut to_wake);
        to_wake.into_iter().for_each(Waker::wake);
        assert_eq!(reads.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(writes.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn an_event_for_a_reused_slot_with_an_old_generation_is_dropped() {
        let reactor = Reactor::default();
        let state = Rc::new(IoState::default());
        reactor
            .slots
            .borrow_mut()
            .push(Slot { generation: 2, state: Some(Rc::clone(&state)) });
        let mut to_wake = Vec::new();
        reactor.dispatch_ready(make_token(0, 1), READABLE, &mut to_wake); // stale
        assert_eq!(
            state.readiness.get(),
            0,
            "the old source's event did not touch the new one"
        );
        reactor.dispatch_ready(make_token(0, 2), READABLE, &mut to_wake);
        assert_eq!(state.readiness.get(), READABLE);
        reactor.dispatch_ready(make_token(7, 2), READABLE, &mut to_wake); // no such slot
    }
}
