//! Chapter 1 (coroutines): what the task being polled is waiting on.
//!
//! A future that returns `Pending` says nothing of why. Chapter 14's task
//! tree wants to show it, as Python's `asyncio ps` does: this task waits on
//! that task, a timer, a lock, a socket. So the futures that wait on
//! something (a sleep, a task handle, a promise, a primitive's queue, I/O,
//! another thread) [`note`] it as they return `Pending`, and the futures
//! that wait on many at once (`gather`, `wait`, `as_completed`) gather
//! their members' notes into a [`group`].
//!
//! Nobody listens unless a loop in debug mode is running a step: then the
//! loop runs the step inside [`collect`], and keeps what was noted. Outside
//! it, `note` looks at an empty stack and returns: a thread-local read, and
//! the closure that would describe the wait is never called.

use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::task::Poll;
use std::time::Duration;

// ANCHOR: waiting_on
/// One thing a task waits on, as the future that waits noted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WaitingOn {
    /// Another task, by id: awaiting its handle.
    Task(u64),
    /// Several at once (`gather`, `wait`, `as_completed`), made where
    /// `created_at` says.
    Group {
        kind: &'static str,
        created_at: &'static Location<'static>,
        members: Vec<WaitingOn>,
    },
    /// A timer, due at this loop time (a sleep, a timeout).
    Timer(Duration),
    /// A promise, made where this says.
    Promise(&'static Location<'static>),
    /// A synchronisation primitive's queue: `"Lock"`, `"Queue"`...
    Primitive(&'static str),
    /// A socket or a pipe: what the wait is for (`"data to read"`).
    Io(&'static str),
    /// Another thread's answer (`"run_in_executor"`, a lookup).
    Thread(&'static str),
}
// ANCHOR_END: waiting_on

thread_local! {
    /// The notes of the step being collected, innermost group last. Empty
    /// when nobody collects.
    static NOTES: RefCell<Vec<Vec<WaitingOn>>> =
        const { RefCell::new(Vec::new()) };
    /// How many collections are open: the one thing `note` reads when
    /// nobody collects.
    static OPEN: Cell<usize> = const { Cell::new(0) };
}

// ANCHOR: note
/// Notes that the task being polled now waits on `what`, if anyone is
/// collecting. Call it where a future returns `Pending`.
#[inline]
pub(crate) fn note(what: impl FnOnce() -> WaitingOn) {
    if collecting() {
        note_now(what);
    }
}
// ANCHOR_END: note

/// Adds `what` to the innermost open collection.
#[cold]
fn note_now(what: impl FnOnce() -> WaitingOn) {
    let _ = NOTES.try_with(|notes| {
        if let Ok(mut notes) = notes.try_borrow_mut()
            && let Some(open) = notes.last_mut()
        {
            open.push(what());
        }
    });
}

// ANCHOR: group

/// Polls the members of a group through `poll`. If the group is still
/// pending, what its members noted is kept as one [`WaitingOn::Group`];
/// once it is ready, they are dropped: the task no longer waits on them.
pub(crate) fn group<T>(
    kind: &'static str,
    created_at: &'static Location<'static>,
    poll: impl FnOnce() -> Poll<T>,
) -> Poll<T> {
    if !collecting() {
        return poll();
    }
    let (polled, members) = collect_while(poll);
    if polled.is_pending() && !members.is_empty() {
        note(|| WaitingOn::Group { kind, created_at, members });
    }
    polled
}
// ANCHOR_END: group

/// Runs one step and returns what it noted: how a loop in debug mode learns
/// what each task waits on.
pub(crate) fn collect(step: impl FnOnce()) -> Vec<WaitingOn> {
    collect_while(step).1
}

#[inline]
fn collecting() -> bool {
    OPEN.try_with(|open| open.get() > 0).unwrap_or(false)
}

/// Runs `work` with a new, innermost set of notes open, and closes it after,
/// even if `work` panics.
fn collect_while<T>(work: impl FnOnce() -> T) -> (T, Vec<WaitingOn>) {
    struct Close;
    impl Drop for Close {
        fn drop(&mut self) {
            let _ = NOTES.try_with(|notes| notes.borrow_mut().pop());
            let _ = OPEN.try_with(|open| open.set(open.get() - 1));
        }
    }
    NOTES.with(|notes| notes.borrow_mut().push(Vec::new()));
    OPEN.with(|open| open.set(open.get() + 1));
    let close = Close;
    let output = work();
    let noted = NOTES.with(|notes| {
        notes.borrow_mut().last_mut().map(std::mem::take).unwrap_or_default()
    });
    drop(close);
    (output, noted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_noted_unless_someone_collects() {
        let mut described = false;
        note(|| {
            described = true;
            WaitingOn::Primitive("Lock")
        });
        assert!(!described, "the wait is not even described");
    }

    #[test]
    fn a_pending_group_keeps_its_members_and_a_ready_one_drops_them() {
        let here = Location::caller();
        let noted = collect(|| {
            let _ = group("gather", here, || {
                note(|| WaitingOn::Task(2));
                note(|| WaitingOn::Task(3));
                Poll::<()>::Pending
            });
            let _ = group("wait", here, || {
                note(|| WaitingOn::Task(4));
                Poll::Ready(())
            });
            note(|| WaitingOn::Timer(Duration::from_secs(1)));
        });
        let members = vec![WaitingOn::Task(2), WaitingOn::Task(3)];
        assert_eq!(
            noted,
            vec![
                WaitingOn::Group { kind: "gather", created_at: here, members },
                WaitingOn::Timer(Duration::from_secs(1)),
            ]
        );
        assert!(!collecting(), "the collection is closed after the step");
    }
}
