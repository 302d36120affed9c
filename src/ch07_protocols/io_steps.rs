//! Chapter 7 (protocols): the I/O steps every transport shares: its socket,
//! its task's waker, the read step and the flush step.
//!
//! A transport's task does the same two things whatever it carries: it reads
//! until the socket says `WouldBlock` (or its budget for the turn is spent),
//! handing each piece to the protocol, and it flushes its queue until the
//! socket is full or the queue is empty. What differs is what one read and
//! one write *are*: `read` and `write` for a TCP or Unix stream, `recv_from`
//! and `send_to` for UDP, and later a TLS record or a pipe. So the steps are
//! written once here, and a transport describes its reads with [`Receive`]
//! and its writes with [`Flush`].

use crate::ch01_coroutines::event_loop::with_running;
use crate::ch07_protocols::reactor::{Direction, IoSource};
use std::cell::RefCell;
use std::io;
use std::ops::ControlFlow;
use std::task::{Context, Poll, Waker};

// ANCHOR: socket
/// A transport's registered socket (or pipe): there while the transport lives,
/// gone once it has ended.
pub(crate) struct Socket<S: mio::event::Source> {
    io: RefCell<Option<IoSource<S>>>,
}

impl<S: mio::event::Source> Socket<S> {
    /// Keeps `io` until [`Socket::close`].
    pub(crate) fn new(io: IoSource<S>) -> Socket<S> {
        Socket { io: RefCell::new(Some(io)) }
    }

    /// Calls `operation` on the socket, unless it is closed.
    pub(crate) fn with<R>(&self, operation: impl FnOnce(&S) -> R) -> Option<R> {
        self.io.borrow().as_ref().and_then(|io| io.with(operation))
    }

    /// The reactor's `poll_io` on the socket; `None` once it is closed. The
    /// socket is borrowed only for the system call, never while the protocol
    /// runs.
    fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        operation: impl FnMut(&S) -> io::Result<R>,
    ) -> Option<Poll<io::Result<R>>> {
        let io = self.io.borrow();
        Some(io.as_ref()?.poll_io(direction, cx, operation))
    }

    /// Deregisters and closes the socket.
    pub(crate) fn close(&self) {
        let io = self.io.borrow_mut().take();
        drop(io); // outside the borrow: deregistering frees the reactor's slot
    }
}

/// The waker of a transport's task, kept so that `write`, `close` and the
/// others can wake the task from anywhere.
#[derive(Default)]
pub(crate) struct TaskWaker {
    waker: RefCell<Option<Waker>>,
}

impl TaskWaker {
    /// Keeps the polling task's waker. It changes only if the task is moved,
    /// so the clone (an atomic increment) is skipped on every other poll.
    pub(crate) fn remember(&self, cx: &Context<'_>) {
        let mut waker = self.waker.borrow_mut();
        if !waker.as_ref().is_some_and(|waker| waker.will_wake(cx.waker())) {
            *waker = Some(cx.waker().clone());
        }
    }

    /// Wakes the task, if it has been polled yet.
    pub(crate) fn wake(&self) {
        if let Some(waker) = self.waker.borrow().as_ref() {
            waker.wake_by_ref();
        }
    }
}

// ANCHOR_END: socket

// ANCHOR: io_steps
/// What reading means for one kind of transport, reading from sources of type
/// `S`.
pub(crate) trait Receive<S> {
    /// What one read gives: a byte count, or a datagram's size and sender.
    type Received;
    /// What ends the transport.
    type End;
    /// Whether to read now (not paused, not at EOF, not closing).
    fn wants_to_read(&self) -> bool;
    /// One read into `buffer`: a system call that may say `WouldBlock`.
    fn receive(
        &self,
        source: &S,
        buffer: &mut [u8],
    ) -> io::Result<Self::Received>;
    /// Hands what one read gave to the protocol. `Break` ends the transport.
    fn deliver(
        &self,
        buffer: &[u8],
        received: io::Result<Self::Received>,
    ) -> ControlFlow<Self::End>;
}

/// What writing means for one kind of transport, writing to sources of type
/// `S`: a queue, and how to send its front.
pub(crate) trait Flush<S> {
    /// What one write gives: a byte count, or a datagram's size.
    type Sent;
    /// What ends the transport.
    type End;
    /// Whether anything waits in the queue.
    fn has_queued(&self) -> bool;
    /// Sends (some of) the front of the queue: a system call that may say
    /// `WouldBlock`.
    fn send_front(&self, source: &S) -> io::Result<Self::Sent>;
    /// Takes what was sent off the queue, or handles the error. `Break` ends
    /// the transport.
    fn sent(&self, sent: io::Result<Self::Sent>) -> ControlFlow<Self::End>;
}

/// Reads while the transport wants to, the socket has data and the budget
/// lasts, delivering every read. `Break` ends the transport.
pub(crate) fn read_step<S, R>(
    socket: &Socket<S>,
    cx: &mut Context<'_>,
    buffer: &mut [u8],
    reader: &R,
    budget: &mut ReadBudget,
) -> ControlFlow<R::End>
where
    S: mio::event::Source,
    R: Receive<S>,
{
    while reader.wants_to_read() && !budget.is_spent() {
        let read = socket.poll_io(Direction::Read, cx, |source| {
            reader.receive(source, buffer)
        });
        match read {
            None | Some(Poll::Pending) => break, // closed, or drained
            Some(Poll::Ready(received)) => {
                budget.spend_one();
                reader.deliver(buffer, received)?;
            }
        }
    }
    ControlFlow::Continue(())
}

/// Sends from the queue until it is empty or the socket is full. Gives
/// whether anything was sent; `Break` ends the transport.
pub(crate) fn flush_step<S, F>(
    socket: &Socket<S>,
    cx: &mut Context<'_>,
    flusher: &F,
) -> ControlFlow<F::End, bool>
where
    S: mio::event::Source,
    F: Flush<S>,
{
    let mut progressed = false;
    while flusher.has_queued() {
        let sent = socket
            .poll_io(Direction::Write, cx, |source| flusher.send_front(source));
        match sent {
            None | Some(Poll::Pending) => break, // closed, or full
            Some(Poll::Ready(sent)) => {
                flusher.sent(sent)?;
                progressed = true;
            }
        }
    }
    ControlFlow::Continue(progressed)
}
// ANCHOR_END: io_steps

// ANCHOR: read_buffer
/// How much one read asks for: 64 KiB, as a transport's read did when each
/// had a buffer of its own (asyncio reads up to 256 KiB at a time).
pub(crate) const READ_SIZE: usize = 64 * 1024;

thread_local! {
    /// The buffer every transport of this thread's loop reads into. What one
    /// read brings is handed to the protocol before the next read, so one
    /// buffer is enough, and a connection that is idle holds none (uvloop
    /// reads into one buffer per loop too). Made at the first read.
    static READ_BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; READ_SIZE]);
}

/// Runs `read` with the thread's read buffer, borrowed for as long as `read`
/// runs. Should it be borrowed already (a protocol's callback, run from a
/// read, led to another read on this thread), `read` gets a buffer of its
/// own for once: slower, never a panic.
pub(crate) fn with_read_buffer<T>(read: impl FnOnce(&mut [u8]) -> T) -> T {
    let mut read = Some(read);
    let shared = READ_BUFFER.try_with(|buffer| {
        let mut buffer = buffer.try_borrow_mut().ok()?;
        read.take().map(|read| read(&mut buffer))
    });
    match (shared, read) {
        (Ok(Some(answer)), _) => answer,
        (_, Some(read)) => read(&mut vec![0; READ_SIZE]),
        (_, None) => unreachable!("`read` ran, so it answered"),
    }
}

/// The most room a buffer that has emptied keeps. A write buffer or a
/// stream's buffer that once held a burst would otherwise keep the burst's
/// room for the rest of the connection's life; an empty one with more than
/// this gives it all back (and grows again if it must).
pub(crate) const KEPT_CAPACITY: usize = 4 * 1024;
// ANCHOR_END: read_buffer

// ANCHOR: spares
/// The buffers that this thread's connections emptied (a write buffer, a
/// stream reader's, a TLS layer's ciphertext), kept for the next one that
/// must hold data. A
/// buffer that went back to the allocator each time it emptied, and was
/// asked for again at the next message, would make the C library shrink and
/// grow its heap around every message (measured: two `brk` calls and nine
/// page faults per 100 KiB round trip); with spares, a busy connection
/// reuses memory and an idle one holds none. They are bounded, as the read
/// buffer is: at most `MOST` buffers of at most `LARGEST` bytes per thread.
pub(crate) mod spares {
    use std::cell::RefCell;

    /// How many spare buffers a thread keeps, at most.
    const MOST: usize = 8;
    /// The largest spare a thread keeps; a larger buffer is freed.
    const LARGEST: usize = 256 * 1024;

    thread_local! {
        static SPARES: RefCell<Vec<Vec<u8>>> =
            const { RefCell::new(Vec::new()) };
    }

    /// A spare buffer, empty, or a new one with no room yet.
    pub(crate) fn take() -> Vec<u8> {
        SPARES
            .try_with(|spares| spares.borrow_mut().pop())
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Keeps `buffer`'s memory for another connection, if there is room.
    pub(crate) fn give(mut buffer: Vec<u8>) {
        if buffer.capacity() > LARGEST {
            return;
        }
        buffer.clear();
        let _ = SPARES.try_with(|spares| {
            let mut spares = spares.borrow_mut();
            if spares.len() < MOST {
                spares.push(buffer);
            }
        });
    }

    /// How many spares this thread holds, for the tests.
    #[cfg(test)]
    pub(crate) fn count() -> usize {
        SPARES.with(|spares| spares.borrow().len())
    }
}
// ANCHOR_END: spares

// ANCHOR: budget
/// How many reads a transport's task makes in one poll, at most. Draining
/// until `WouldBlock` is the edge-triggered rule, but a peer that sends
/// faster than its protocol consumes never lets `WouldBlock` come, and while
/// one task reads, no other task runs and the poller is never asked. So a
/// task that has read this much lets the rest of the loop go first. 16 reads
/// of [`READ_SIZE`] are at most 1 MiB per turn: another
/// connection waits for one such turn, and a busy one pays for a turn of the
/// loop once every 16 reads. (tokio's budget is 128 operations, reads and
/// writes alike; asyncio reads once, at most 256 KiB, per socket and turn.)
pub(crate) const READS_PER_TURN: u32 = 16;

/// The reads a transport's task has left in this poll: made anew at the
/// start of each poll, and shared by every `read_step` in it.
#[derive(Debug)]
pub(crate) struct ReadBudget {
    left: u32,
}

impl ReadBudget {
    /// A full budget, for one poll.
    pub(crate) fn new() -> ReadBudget {
        ReadBudget { left: READS_PER_TURN }
    }

    /// Whether the poll has made all its reads.
    pub(crate) fn is_spent(&self) -> bool {
        self.left == 0
    }

    fn spend_one(&mut self) {
        self.left = self.left.saturating_sub(1);
    }

    /// How a poll that has nothing more to do ends: `Pending`. If the budget
    /// was spent, the socket may still have data, and no `WouldBlock` has
    /// cleared its readiness, so no event will come for it: the task wakes
    /// itself, after the loop has looked for I/O.
    pub(crate) fn end_poll<T>(&self, cx: &mut Context<'_>) -> Poll<T> {
        if self.is_spent() {
            wake_after_io(cx.waker());
        }
        Poll::Pending
    }
}

/// Wakes `waker` once the loop has looked for I/O (chapter 1's `defer`), so
/// the task runs again behind every connection whose data arrived meanwhile.
/// `wake_by_ref` would put it straight back in the ready queue, and while work
/// is ready the loop looks for I/O only once every 61 ticks: 61 turns of the
/// flood between two looks. (tokio defers a task that spent its budget until
/// its driver has polled, for the same reason.)
fn wake_after_io(waker: &Waker) {
    if with_running(|event_loop| event_loop.defer(waker)).is_none() {
        waker.wake_by_ref(); // polled outside a loop: nothing to wait for
    }
}
// ANCHOR_END: budget

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::event_loop::EventLoop;
    use crate::ch01_coroutines::spawn::spawn;
    use crate::ch02_scheduling::sleep::sleep;
    use std::cell::Cell;
    use std::future::poll_fn;
    use std::io::{Read, Write};
    use std::rc::Rc;
    use std::time::Duration;

    #[test]
    fn a_read_inside_a_read_gets_a_buffer_of_its_own() {
        let (outer, inner) = with_read_buffer(|outer| {
            outer[0] = 1;
            let inner = with_read_buffer(|inner| {
                inner[0] = 2;
                inner.len()
            });
            (outer[0], inner)
        });
        assert_eq!((outer, inner), (1, READ_SIZE));
    }

    #[test]
    fn a_task_that_gives_way_makes_the_next_tick_look_for_io() {
        let event_loop = EventLoop::builder().virtual_clock().build().unwrap();
        let resumed_at = event_loop
            .run_until_complete(async {
                let ticks = Rc::new(Cell::new(0u32));
                let counter = ticks.clone();
                // Busy work: the ready queue never empties, so the loop looks
                // for I/O only every POLL_INTERVAL ticks...
                let busy = spawn(async move {
                    loop {
                        counter.set(counter.get() + 1);
                        sleep(Duration::ZERO).await;
                    }
                })
                .unwrap();
                // ...unless a task gives way for fairness, as a transport
                // whose read budget is spent does.
                let giving_way = spawn(poll_fn(|cx| {
                    wake_after_io(cx.waker());
                    Poll::<()>::Pending
                }))
                .unwrap();
                let (ours, mut theirs) = mio::net::UnixStream::pair().unwrap();
                let ours = IoSource::new(ours).unwrap();
                theirs.write_all(b"ping").unwrap();
                let mut buffer = [0u8; 4];
                poll_fn(|cx| {
                    ours.poll_io(Direction::Read, cx, |mut stream| {
                        stream.read(&mut buffer)
                    })
                })
                .await
                .unwrap();
                busy.cancel();
                giving_way.cancel();
                ticks.get()
            })
            .unwrap();
        assert!(
            resumed_at <= 3,
            "the reader waited {resumed_at} ticks for the poller's next look"
        );
        event_loop.close().unwrap();
    }
}
