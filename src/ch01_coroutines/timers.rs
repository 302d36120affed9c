//! Chapter 1 (coroutines): the timer queue.
//!
//! asyncio keeps scheduled callbacks in a binary heap ordered by deadline. aio
//! does too, and adds a sequence number to each entry so that equal deadlines
//! come out in the order they were scheduled (FIFO). Cancelled timers stay in
//! the heap and are skipped when they reach the top: cancelling is O(1), and
//! the heap never has to search. So that a program that sets and cancels many
//! timers (every `wait_for` that finishes in time does) cannot fill memory
//! with dead entries, the queue counts its cancelled entries and, like
//! asyncio, rebuilds the heap without them once they are more than half of it.

use crate::ch01_coroutines::ready_queue::Callback;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: timer_entry
/// One scheduled callback. Entries compare by `(deadline, sequence)`, reversed,
/// so the max-heap `BinaryHeap` pops the earliest deadline first, and the
/// earliest scheduled among equal deadlines. The pair is kept as one integer,
/// the deadline's nanoseconds above the sequence number: one comparison
/// orders two entries, and an entry is 32 bytes instead of 40 (a
/// `Duration` is 16), so more of a large heap stays in the cache.
struct TimerEntry {
    key: u128,
    callback: Rc<dyn Callback>,
}

impl TimerEntry {
    fn new(
        deadline: Duration,
        sequence: u64,
        callback: Rc<dyn Callback>,
    ) -> TimerEntry {
        // 2^64 nanoseconds is 584 years of loop time: a deadline beyond that
        // is kept as that, which only a clock that old could tell apart.
        let nanos = u64::try_from(deadline.as_nanos()).unwrap_or(u64::MAX);
        let key = (u128::from(nanos) << 64) | u128::from(sequence);
        TimerEntry { key, callback }
    }

    fn deadline(&self) -> Duration {
        Duration::from_nanos((self.key >> 64) as u64)
    }
}

impl Ord for TimerEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
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

/// Below this many entries the heap is never swept: a small heap costs little,
/// and sweeping it often would cost more (asyncio's
/// `_MIN_SCHEDULED_TIMER_HANDLES`).
const MIN_ENTRIES_TO_SWEEP: usize = 100;

/// The loop's scheduled callbacks, earliest first.
#[derive(Default)]
pub(crate) struct TimerQueue {
    heap: RefCell<BinaryHeap<TimerEntry>>,
    next_sequence: Cell<u64>,
    /// How many entries in the heap were cancelled, as their owners reported.
    cancelled: CancelledTimers,
}

// ANCHOR: cancelled_timers
/// What a timer's owner (a `TimerHandle`, a `Sleep`) cancels it through, so
/// that the queue learns how many of its entries are dead (asyncio's
/// `loop._timer_handle_cancelled`). A count, shared with the queue.
///
/// Every cancellation of a queued timer goes through here, so the count is
/// never below the number of cancelled entries in the heap (it can be above:
/// a timer cancelled after it left the heap for the ready queue still counts,
/// until the next sweep). A count of zero therefore proves that no entry is
/// cancelled, and the queue relies on that.
#[derive(Clone, Default)]
pub(crate) struct CancelledTimers(Rc<Cell<usize>>);

impl CancelledTimers {
    /// Cancels `callback`, counting it if it was still waiting.
    pub(crate) fn cancel(&self, callback: &dyn Callback) {
        if callback.cancel() {
            self.0.set(self.0.get() + 1);
        }
    }

    fn count(&self) -> usize {
        self.0.get()
    }

    fn forget(&self, entries: usize) {
        self.0.set(self.0.get().saturating_sub(entries));
    }
}
// ANCHOR_END: cancelled_timers

// ANCHOR: timer_queue
impl TimerQueue {
    /// Schedules `callback` to become ready at `deadline` (loop time).
    /// Cancel it through the [`CancelledTimers`] this returns.
    pub(crate) fn insert(
        &self,
        deadline: Duration,
        callback: Rc<dyn Callback>,
    ) -> CancelledTimers {
        // Also here, not only once per tick: a single callback that sets and
        // cancels a million timers must not grow the heap a million entries.
        self.sweep_if_mostly_cancelled();
        let sequence = self.next_sequence.get();
        self.next_sequence.set(sequence + 1);
        self.heap
            .borrow_mut()
            .push(TimerEntry::new(deadline, sequence, callback));
        self.cancelled.clone()
    }

    /// The earliest deadline of a timer that is still live.
    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        let mut heap = self.heap.borrow_mut();
        while let Some(top) = heap.peek() {
            // With no cancelled entry anywhere, the top is live: asking its
            // callback would only read memory that is not in the cache.
            if self.cancelled.count() == 0 || !top.callback.cancelled() {
                return Some(top.deadline());
            }
            heap.pop();
            self.cancelled.forget(1);
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

    /// Rebuilds the heap without its cancelled entries once they are more
    /// than half of it, as asyncio's `_run_once` does: the rebuild is O(n),
    /// and it comes only after n/2 cancellations, so each costs O(1) on
    /// average, and dead entries never outnumber live ones by much.
    #[inline]
    pub(crate) fn sweep_if_mostly_cancelled(&self) {
        let entries = self.heap.borrow().len();
        if entries > MIN_ENTRIES_TO_SWEEP
            && self.cancelled.count() * 2 > entries
        {
            self.sweep();
        }
    }

    /// Rebuilds the heap from its live entries (out of line: it is rare).
    #[cold]
    fn sweep(&self) {
        let all = std::mem::take(&mut *self.heap.borrow_mut());
        let (live, dead): (Vec<_>, Vec<_>) = all
            .into_vec()
            .into_iter()
            .partition(|entry| !entry.callback.cancelled());
        *self.heap.borrow_mut() = BinaryHeap::from(live);
        self.cancelled.forget(usize::MAX);
        drop(dead); // outside the borrow: a drop may schedule more timers
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
        self.cancelled.forget(usize::MAX);
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
    fn a_deadline_beyond_the_key_range_waits_behind_every_other() {
        let queue = TimerQueue::default();
        queue.insert(Duration::MAX, noop());
        queue.insert(Duration::from_secs(u64::MAX / 2), noop());
        queue.insert(Duration::from_secs(1), noop());
        assert!(queue.pop_due(Duration::from_secs(1)).is_some());
        assert!(queue.pop_due(Duration::from_secs(3600)).is_none());
        assert_eq!(
            queue.next_deadline(),
            Some(Duration::from_nanos(u64::MAX)),
            "584 years of loop time, which no clock reaches"
        );
    }

    #[test]
    fn cancelled_entries_are_skipped_and_discarded() {
        let queue = TimerQueue::default();
        let cancelled = noop();
        queue.insert(Duration::from_millis(1), cancelled.clone());
        queue.insert(Duration::from_millis(2), noop());
        queue.cancelled.cancel(&*cancelled);
        assert_eq!(queue.next_deadline(), Some(Duration::from_millis(2)));
        assert_eq!(queue.len(), 1);
        assert_eq!(
            queue.cancelled.count(),
            0,
            "the discarded entry is forgotten"
        );
    }

    #[test]
    fn a_heap_that_is_mostly_cancelled_is_rebuilt_without_them() {
        let queue = TimerQueue::default();
        let order = Rc::new(RefCell::new(Vec::new()));
        let mut handles = Vec::new();
        // 10,000 timers, deadlines in reverse order of scheduling, in pairs
        // with equal deadlines.
        for n in 0..10_000u64 {
            let order = order.clone();
            let callback =
                CallbackCell::new_shared(move || order.borrow_mut().push(n));
            let deadline = Duration::from_millis(20_000 - n / 2);
            let cancel = queue.insert(deadline, callback.clone());
            handles.push((n, callback, cancel));
        }
        // Cancel all but every tenth: the heap is then 90% dead.
        for (n, callback, cancel) in &handles {
            if n % 10 != 0 {
                cancel.cancel(&**callback);
            }
        }
        assert_eq!(queue.len(), 10_000, "cancelling alone removes nothing");
        queue.sweep_if_mostly_cancelled();
        assert_eq!(queue.len(), 1_000, "only the live entries are left");
        assert_eq!(queue.cancelled.count(), 0);
        // The rebuilt heap keeps deadline order, FIFO among equals.
        while let Some(callback) = queue.pop_due(Duration::MAX) {
            callback.run();
        }
        let mut expected: Vec<u64> = (0..10_000).step_by(10).collect();
        expected.sort_by_key(|n| (20_000 - n / 2, *n));
        assert_eq!(*order.borrow(), expected);
    }

    #[test]
    fn setting_and_cancelling_many_timers_at_once_stays_bounded() {
        // One callback that sets and cancels timers without a tick between:
        // the insert sweeps too.
        let queue = TimerQueue::default();
        queue.insert(Duration::from_millis(1), noop()); // live, on top
        let mut peak = 0;
        for n in 0..10_000 {
            let callback = noop();
            let cancel =
                queue.insert(Duration::from_secs(3600 + n), callback.clone());
            cancel.cancel(&*callback);
            peak = peak.max(queue.len());
        }
        assert!(peak <= MIN_ENTRIES_TO_SWEEP + 2, "peaked at {peak}");
    }

    #[test]
    fn a_heap_at_most_half_cancelled_is_left_alone() {
        let queue = TimerQueue::default();
        let timers: Vec<_> = (0..1_000)
            .map(|n| {
                let callback = noop();
                let cancel =
                    queue.insert(Duration::from_millis(n), callback.clone());
                (callback, cancel)
            })
            .collect();
        for (callback, cancel) in &timers[..500] {
            cancel.cancel(&**callback);
        }
        queue.sweep_if_mostly_cancelled();
        assert_eq!(queue.len(), 1_000, "half dead is not yet worth a rebuild");
        // Cancelling twice counts once.
        timers[0].1.cancel(&*timers[0].0);
        queue.sweep_if_mostly_cancelled();
        assert_eq!(queue.len(), 1_000, "still only half dead");
        // Cancelling a callback that already ran counts nothing either.
        let ran = noop();
        ran.run();
        queue.cancelled.cancel(&*ran);
        queue.sweep_if_mostly_cancelled();
        assert_eq!(queue.len(), 1_000, "and still only half dead");
        // One more makes a majority.
        timers[500].1.cancel(&*timers[500].0);
        queue.sweep_if_mostly_cancelled();
        assert_eq!(queue.len(), 499);
    }
}
