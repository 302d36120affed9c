//! Chapter 7 (protocols): the reactor, readiness of sockets registered with the poller.
//!
//! The loop's poller reports *readiness*: "this socket can probably be read now". It is
//! edge-triggered: it reports a change once, not a state again and again. So each
//! source keeps its own readiness, set when an event arrives and cleared only when a
//! system call says `WouldBlock`; until then, the source is drained. Every event bumps
//! the source's tick, and clearing names the tick it saw: an edge that arrives between a
//! `WouldBlock` and the clearing of readiness is never erased. Tokens carry a generation,
//! so an event for a source that is gone (its slot reused) is recognised and dropped.

use crate::event_loop::{EventLoop, IoDriver};
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
    /// Ready if the source is ready in `direction`; otherwise remembers the waker.
    pub(crate) fn poll_ready(&self, direction: Direction, cx: &mut Context<'_>) -> Poll<ReadyTick> {
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

    /// The system call said `WouldBlock`: clear readiness, unless an event arrived since
    /// `seen` was handed out (then the source may be ready again, and must be tried).
    pub(crate) fn clear_ready(&self, direction: Direction, seen: ReadyTick) {
        if self.tick.get() == seen.0 {
            self.readiness.set(self.readiness.get() & !direction.bit());
        }
    }

    /// Records an event and collects the wakers to wake.
    fn on_event(&self, event: &mio::event::Event, to_wake: &mut Vec<Waker>) {
        self.tick.set(self.tick.get() + 1);
        let mut ready = 0;
        if event.is_readable() || event.is_read_closed() || event.is_error() {
            ready |= READABLE;
            to_wake.extend(self.reader.take());
        }
        if event.is_writable() || event.is_write_closed() || event.is_error() {
            ready |= WRITABLE;
            to_wake.extend(self.writer.take());
        }
        self.readiness.set(self.readiness.get() | ready);
    }
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
        let (index, generation) = split_token(event.token());
        let slots = self.slots.borrow();
        match slots.get(index) {
            Some(Slot { generation: current, state: Some(state) }) if *current == generation => {
                state.on_event(event, to_wake);
            }
            _ => {} // a stale event, for a source that has been deregistered
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
// ANCHOR_END: dispatch

fn make_token(index: usize, generation: u32) -> mio::Token {
    mio::Token((index << 24) | (generation as usize & 0xFF_FFFF))
}

fn split_token(token: mio::Token) -> (usize, u32) {
    (token.0 >> 24, (token.0 & 0xFF_FFFF) as u32)
}

/// A source registered with a loop's poller. Deregister it before closing the source.
pub(crate) struct Registration {
    event_loop: EventLoop,
    index: usize,
    pub(crate) state: Rc<IoState>,
}

impl Registration {
    /// Registers `source` with the running loop's poller, for reading and writing.
    pub(crate) fn new(
        event_loop: &EventLoop,
        source: &mut impl mio::event::Source,
    ) -> io::Result<Registration> {
        if event_loop.is_closed() {
            return Err(io::Error::other(crate::error::Error::LoopClosed));
        }
        let inner = event_loop.inner();
        let driver = inner.io_driver.get_or_init(|| Rc::new(Reactor::default()));
        let Some(reactor) = driver.as_any().downcast_ref::<Reactor>() else {
            return Err(io::Error::other("the loop's I/O driver is not aio's reactor"));
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
        if let Err(error) = inner.registry.register(source, make_token(index, generation), interest) {
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
        let state = self.slots.borrow_mut().get_mut(index).and_then(|slot| slot.state.take());
        drop(state); // drops its wakers, outside the borrow
        self.free.borrow_mut().push(index);
    }
}

// ANCHOR: io_source
/// A mio source owned together with its registration: the reactor's unit of I/O.
pub(crate) struct IoSource<S: mio::event::Source> {
    source: S,
    registration: Registration,
}

impl<S: mio::event::Source> IoSource<S> {
    /// Registers `source` with the running loop.
    pub(crate) fn new(mut source: S) -> io::Result<IoSource<S>> {
        let event_loop = crate::running::get_running_loop().map_err(io::Error::other)?;
        let registration = Registration::new(&event_loop, &mut source)?;
        Ok(IoSource { source, registration })
    }

    /// Runs `operation` until it does not say `WouldBlock`, waiting for readiness in
    /// `direction` between tries: edge-triggered I/O drains until `WouldBlock`.
    pub(crate) fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        mut operation: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            let tick = std::task::ready!(self.registration.state.poll_ready(direction, cx));
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
