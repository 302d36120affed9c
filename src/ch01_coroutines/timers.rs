//! Chapter 1 (coroutines): the timer queue.
//!
//! asyncio keeps scheduled callbacks in a binary heap ordered by deadline. aio
//! does too, and adds a sequence number to each entry so that equal deadlines
//! come out in the order they were scheduled (FIFO). Cancelled timers stay in
//! the heap and are skipped when they reach the top: cancelling is O(1), and
//! the heap never has to search.

use crate::ch01_coroutines::ready_queue::Callback;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: timer_entry
/// One scheduled callback. Entries compare by `(deadline, sequence)`, reversed,
/// so the max-heap `BinaryHeap` pops the earliest deadline first, and the
/// earliest scheduled among equal deadlines.
struct TimerEntry {
    deadline: Duration,
    sequence: u64,
    callback: Rc<dyn Callback>,
}

impl Ord for TimerEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.deadline, other.sequence).cmp(&(self.deadline, self.sequence))
    }
}
// ANCHOR_END: timer_entry

impl PartialOrd for TimerEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for TimerEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for TimerEntry {}

/// The loop's scheduled callbacks, earliest first.
#[derive(Default)]
pub(crate) struct TimerQueue {
    heap: RefCell<BinaryHeap<TimerEntry>>,
    next_sequence: Cell<u64>,
}

// ANCHOR: timer_queue
impl TimerQueue {
    /// Schedules `callback` to become ready at `deadline` (loop time).
    pub(crate) fn insert(
        &self,
        deadline: Duration,
        callback: Rc<dyn Callback>,
    ) {
        let sequence = self.next_sequence.get();
        self.next_sequence.set(sequence + 1);
        self.heap.borrow_mut().push(TimerEntry {
            deadline,
            sequence,
            callback,
        });
    }

    /// The earliest deadline of a timer that is still live.
    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        let mut heap = self.heap.borrow_mut();
        while let Some(top) = heap.peek() {
            if !top.callback.cancelled() {
                return Some(top.deadline);
            }
            heap.pop();
        }
        None
    }

    /// Removes and returns the earliest live timer whose deadline is at or
    /// before `now`. A timer is never returned before its deadline.
    pub(crate) fn pop_due(&self, now: Duration) -> Option<Rc<dyn Callback>> {
        let deadline = self.next_deadline()?;
        if deadline > now {
            return None;
        }
        self.heap.borrow_mut().pop().map(|entry| entry.callback)
    }
}
// ANCHOR_END: timer_queue

impl TimerQueue {
    /// How many entries the heap holds, cancelled ones included.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.heap.borrow().len()
    }

    /// Drops every timer. The entries are dropped after the heap is released,
    /// because dropping a callback can schedule more work.
    pub(crate) fn clear(&self) {
        let entries = std::mem::take(&mut *self.heap.borrow_mut());
        drop(entries);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::ready_queue::CallbackCell;

    fn noop() -> Rc<dyn Callback> {
        CallbackCell::new_shared(|| {})
    }

    #[test]
    fn equal_deadlines_pop_in_insertion_order() {
        let queue = TimerQueue::default();
        let order = Rc::new(RefCell::new(Vec::new()));
        for n in 0..5 {
            let order = order.clone();
            queue.insert(
                Duration::from_millis(10),
                CallbackCell::new_shared(move || order.borrow_mut().push(n)),
            );
        }
        while let Some(callback) = queue.pop_due(Duration::from_millis(10)) {
            callback.run();
        }
        assert_eq!(*order.borrow(), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn nothing_pops_before_its_deadline() {
        let queue = TimerQueue::default();
        queue.insert(Duration::from_millis(10), noop());
        assert!(queue.pop_due(Duration::from_millis(9)).is_none());
        assert!(queue.pop_due(Duration::from_millis(10)).is_some());
    }

    #[test]
    fn cancelled_entries_are_skipped_and_discarded() {
        let queue = TimerQueue::default();
        let cancelled = noop();
        queue.insert(Duration::from_millis(1), cancelled.clone());
        queue.insert(Duration::from_millis(2), noop());
        cancelled.cancel();
        assert_eq!(queue.next_deadline(), Some(Duration::from_millis(2)));
        assert_eq!(queue.len(), 1);
    }
}
