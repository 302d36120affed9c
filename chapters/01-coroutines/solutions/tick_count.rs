//! Exercise 3: count the ticks. A callback that queues itself again with
//! `call_soon` runs once per tick, because a callback queued during a tick
//! waits for the next one: the rule that makes the loop fair.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

// ANCHOR: counter
/// The count, and the handle of the callback queued for the next tick.
#[derive(Default)]
struct Counter {
    ticks: Cell<u64>,
    next: RefCell<Option<aio::Handle>>,
}

/// Queues the counting callback for the next tick. When it runs, it counts
/// that tick and queues itself for the one after.
fn count_next_tick(
    event_loop: &aio::EventLoop,
    counter: &Rc<Counter>,
) -> Result<(), aio::Error> {
    let (again, count) = (event_loop.clone(), Rc::clone(counter));
    let handle = event_loop.call_soon(move || {
        count.ticks.set(count.ticks.get() + 1);
        // The loop is running this callback, so it is open and this works.
        let _ = count_next_tick(&again, &count);
    })?;
    counter.next.replace(Some(handle));
    Ok(())
}
// ANCHOR_END: counter

// ANCHOR: count_ticks
/// Runs `future` to completion on `event_loop`, as
/// [`run_until_complete`](aio::EventLoop::run_until_complete) does, and
/// returns its output with the number of ticks the loop ran meanwhile.
///
/// The count comes from a callback queued with `call_soon` before the run
/// that adds one and queues itself again: a callback queued during a tick
/// runs in the next one, so it runs exactly once per tick. Once the run is
/// over, the callback must not stay queued: a later run of the same loop
/// would count for nobody.
pub fn count_ticks<F: Future + 'static>(
    event_loop: &aio::EventLoop,
    future: F,
) -> Result<(F::Output, u64), aio::Error> {
    let counter = Rc::new(Counter::default());
    count_next_tick(event_loop, &counter)?;
    let output = event_loop.run_until_complete(future);
    // Cancelling drops the queued callback, and with it its `Rc` of the
    // counter: nothing is left behind for the loop's next run.
    if let Some(next) = counter.next.take() {
        next.cancel();
    }
    Ok((output?, counter.ticks.get()))
}
// ANCHOR_END: count_ticks
