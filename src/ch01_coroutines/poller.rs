//! Chapter 1 (coroutines): the poller, where the loop sleeps.
//!
//! A tick that has nothing to run sleeps in `mio::Poll::poll` until an I/O
//! source is ready, another thread wakes the loop, or the next timer is due.
//! The poller owns the `mio::Poll`, its waker token, and the table of
//! registered sources. A source is registered with a [`ReadinessListener`]:
//! the poller hands each event to the listener of its token and knows nothing
//! else about sockets (chapter 7's reactor is the listener). Tokens carry a
//! generation, so an event for a source that is gone (its slot reused) is
//! recognised and dropped.

use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::trace::Recorder;
use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::task::Waker;
use std::time::Duration;

/// The token of the poller's waker; I/O sources get other tokens.
const WAKER_TOKEN: mio::Token = mio::Token(usize::MAX);

// ANCHOR: readiness_listener
/// What hears about a registered source's readiness. The poller calls it with
/// each event for that source, and it collects the wakers to wake; they are
/// woken after the poller has released every borrow.
pub(crate) trait ReadinessListener {
    /// Records one readiness event.
    fn on_event(&self, event: &mio::event::Event, to_wake: &mut Vec<Waker>);
    /// The loop is closing and the source is still open: close it, and say
    /// what it was. `None` if it was already closed.
    fn close_for_loop(&self) -> Option<String>;
}
// ANCHOR_END: readiness_listener

// ANCHOR: source_key
/// Names one registered source: its slot in the table, and the slot's
/// generation when it was registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceKey {
    index: usize,
    generation: u32,
}

impl SourceKey {
    fn token(self) -> mio::Token {
        mio::Token((self.index << 24) | (self.generation as usize & 0xFF_FFFF))
    }

    fn from_token(token: mio::Token) -> SourceKey {
        SourceKey {
            index: token.0 >> 24,
            generation: (token.0 & 0xFF_FFFF) as u32,
        }
    }
}
// ANCHOR_END: source_key

#[derive(Default)]
struct Slot {
    generation: u32,
    listener: Option<Rc<dyn ReadinessListener>>,
    /// Who opened the source, if the loop was in debug mode then.
    opened_by: Option<String>,
}

/// The table of registered sources, indexed by token.
#[derive(Default)]
struct Sources {
    slots: Vec<Slot>,
    free: Vec<usize>,
}

impl Sources {
    // ANCHOR: generation_check
    /// Puts `listener` in a free slot (or a new one) and bumps the slot's
    /// generation, so that the keys of its earlier sources no longer match.
    fn insert(
        &mut self,
        listener: Rc<dyn ReadinessListener>,
        opened_by: Option<String>,
    ) -> SourceKey {
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        });
        let slot = &mut self.slots[index];
        slot.generation = slot.generation.wrapping_add(1) & 0xFF_FFFF;
        slot.listener = Some(listener);
        slot.opened_by = opened_by;
        SourceKey { index, generation: slot.generation }
    }

    /// The listener behind `key`, unless the key is stale.
    fn get(&self, key: SourceKey) -> Option<Rc<dyn ReadinessListener>> {
        match self.slots.get(key.index) {
            Some(Slot { generation, listener: Some(listener), .. })
                if *generation == key.generation =>
            {
                Some(Rc::clone(listener))
            }
            _ => None, // a stale event, for a source that has gone
        }
    }
    // ANCHOR_END: generation_check

    /// Frees the slot of `key`, handing back its listener to drop.
    fn remove(&mut self, key: SourceKey) -> Option<Rc<dyn ReadinessListener>> {
        let slot = self.slots.get_mut(key.index)?;
        if slot.generation != key.generation {
            return None;
        }
        let listener = slot.listener.take();
        slot.opened_by = None;
        self.free.push(key.index);
        listener
    }
}

/// The loop's poller.
pub(crate) struct Poller {
    poll: RefCell<mio::Poll>,
    registry: mio::Registry,
    events: RefCell<mio::Events>,
    sources: RefCell<Sources>,
    /// Wakers collected while dispatching events, woken after every borrow is
    /// released.
    woken_by_io: RefCell<Vec<Waker>>,
}

impl Poller {
    /// A poller that returns at most `event_capacity` events per wait, and the
    /// waker that interrupts its wait from any thread.
    pub(crate) fn new(
        event_capacity: usize,
    ) -> io::Result<(Poller, mio::Waker)> {
        let poll = mio::Poll::new()?;
        let waker = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        let registry = poll.registry().try_clone()?;
        let poller = Poller {
            poll: RefCell::new(poll),
            registry,
            events: RefCell::new(mio::Events::with_capacity(event_capacity)),
            sources: RefCell::default(),
            woken_by_io: RefCell::default(),
        };
        Ok((poller, waker))
    }

    // ANCHOR: register
    /// Registers `source` for reading and writing; its events go to
    /// `listener`. `opened_by` says who opened it, for a report if it is
    /// left open.
    pub(crate) fn register(
        &self,
        source: &mut impl mio::event::Source,
        listener: Rc<dyn ReadinessListener>,
        opened_by: Option<String>,
    ) -> io::Result<SourceKey> {
        let key = self.sources.borrow_mut().insert(listener, opened_by);
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        if let Err(error) =
            self.registry.register(source, key.token(), interest)
        {
            drop(self.sources.borrow_mut().remove(key));
            return Err(error);
        }
        Ok(key)
    }

    /// Removes `source` from the poller and frees its slot.
    pub(crate) fn deregister(
        &self,
        source: &mut impl mio::event::Source,
        key: SourceKey,
    ) {
        let _ = self.registry.deregister(source);
        let listener = self.sources.borrow_mut().remove(key);
        drop(listener); // drops its wakers, outside the borrow
    }
    // ANCHOR_END: register

    /// Closes every source still registered (the loop is closing), and says
    /// what each one was, and who opened it if that is known.
    pub(crate) fn close_all(&self) -> Vec<String> {
        let listeners: Vec<_> = {
            let mut sources = self.sources.borrow_mut();
            let sources = &mut *sources;
            sources.free.clear();
            sources
                .slots
                .iter_mut()
                .filter_map(|slot| {
                    let listener = slot.listener.take()?;
                    Some((listener, slot.opened_by.take()))
                })
                .collect()
        };
        listeners
            .iter()
            .filter_map(|(listener, opened_by)| {
                let what = listener.close_for_loop()?;
                Some(match opened_by {
                    Some(opened_by) => format!("{what} ({opened_by})"),
                    None => what,
                })
            })
            .collect()
    }

    // ANCHOR: poll
    /// Waits for at most `timeout` (`None`: until woken), hands every I/O
    /// event to its listener and wakes the tasks they name. The waker's own
    /// event only ends the wait: the tick finds remote work by its flag.
    pub(crate) fn poll(
        &self,
        timeout: Option<Duration>,
        trace: Option<&Recorder>,
    ) {
        let mut events = self.events.borrow_mut();
        if let Err(error) = self.poll.borrow_mut().poll(&mut events, timeout) {
            if error.kind() != io::ErrorKind::Interrupted {
                logging::error!(
                    "aio.poller",
                    "polling for events failed: {error}"
                );
            }
            return;
        }
        {
            let mut to_wake = self.woken_by_io.borrow_mut();
            for event in events.iter() {
                if event.token() == WAKER_TOKEN {
                    continue; // it has done its job: the wait is over
                }
                let key = SourceKey::from_token(event.token());
                if let Some(trace) = trace {
                    trace.io_ready(key.index, event);
                }
                let listener = self.sources.borrow().get(key);
                if let Some(listener) = listener {
                    listener.on_event(event, &mut to_wake);
                }
            }
        }
        drop(events);
        // Wake I/O tasks outside every borrow: a waker may run arbitrary code.
        let mut to_wake = std::mem::take(&mut *self.woken_by_io.borrow_mut());
        let mut wake_all = || to_wake.drain(..).for_each(Waker::wake);
        match trace {
            Some(trace) => trace.waking_from_io(wake_all),
            None => wake_all(),
        }
        // Keep the capacity for the next tick.
        *self.woken_by_io.borrow_mut() = to_wake;
    }
    // ANCHOR_END: poll
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[derive(Default)]
    struct CountEvents(Cell<usize>);

    impl ReadinessListener for CountEvents {
        fn on_event(&self, _: &mio::event::Event, _: &mut Vec<Waker>) {
            self.0.set(self.0.get() + 1);
        }

        fn close_for_loop(&self) -> Option<String> {
            None
        }
    }

    #[test]
    fn a_reused_slot_does_not_answer_to_its_old_key() {
        let mut sources = Sources::default();
        let old: Rc<dyn ReadinessListener> = Rc::new(CountEvents::default());
        let old_key = sources.insert(old, None);
        assert!(sources.remove(old_key).is_some());
        let new: Rc<dyn ReadinessListener> = Rc::new(CountEvents::default());
        let new_key = sources.insert(Rc::clone(&new), None);
        assert_eq!(new_key.index, old_key.index, "the slot is reused");
        assert!(sources.get(old_key).is_none(), "a stale event finds nothing");
        assert!(sources.remove(old_key).is_none(), "nor can it free the slot");
        let found = sources.get(new_key).expect("the new source answers");
        assert!(Rc::ptr_eq(&found, &new));
        let no_such_slot = SourceKey { index: 7, generation: 1 };
        assert!(sources.get(no_such_slot).is_none());
    }

    #[test]
    fn keys_survive_the_round_trip_through_a_token() {
        let key = SourceKey { index: 3, generation: 0x00AB_CDEF };
        assert_eq!(SourceKey::from_token(key.token()), key);
        assert_ne!(key.token(), WAKER_TOKEN);
    }
}
