//! The loop's tick follows asyncio's `_run_once`: a tick runs only what was
//! ready when it started, timers fire by deadline with FIFO among equals, and
//! nothing fires early.

mod common;

use common::{DropCounter, Journal, real_loop, virtual_loop};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

#[test]
fn work_scheduled_during_a_tick_waits_for_the_next_tick() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let (lp, j) = (event_loop.clone(), journal.clone());
    event_loop
        .call_soon(move || {
            j.log("A");
            let j2 = j.clone();
            lp.call_soon(move || j2.log("B (queued by A)")).unwrap();
            lp.stop();
        })
        .unwrap();
    let j = journal.clone();
    event_loop.call_soon(move || j.log("C")).unwrap();
    event_loop.run_forever().unwrap();
    // stop() ends the loop after this tick; B was queued during it, so it has
    // not run.
    assert_eq!(journal.entries(), ["A", "C"]);
    // stop() before run_forever runs exactly one tick: the one that runs B.
    event_loop.stop();
    event_loop.run_forever().unwrap();
    assert_eq!(journal.entries(), ["A", "C", "B (queued by A)"]);
    event_loop.close().unwrap();
}

#[test]
fn a_stop_request_never_moves_the_virtual_clock_or_fires_a_timer() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let j = journal.clone();
    event_loop.call_later(10 * MS, move || j.log("timer")).unwrap();
    event_loop.stop();
    event_loop.run_forever().unwrap(); // one tick, which must not wait for the timer
    assert_eq!(event_loop.time(), Duration::ZERO);
    assert!(journal.entries().is_empty());
    event_loop.run_until_complete(aio::sleep(20 * MS)).unwrap();
    assert_eq!(journal.entries(), ["timer"]);
    event_loop.close().unwrap();
}

#[test]
fn a_task_that_keeps_waking_itself_cannot_starve_a_timer() {
    let event_loop = real_loop();
    let spins = Rc::new(Cell::new(0u64));
    let counter = spins.clone();
    event_loop
        .create_task(async move {
            loop {
                counter.set(counter.get() + 1);
                aio::sleep(Duration::ZERO).await;
            }
        })
        .unwrap();
    let lp = event_loop.clone();
    let fired_at = Rc::new(Cell::new(None));
    let fired = fired_at.clone();
    let due = event_loop.time() + 5 * MS;
    event_loop
        .call_at(due, move || {
            fired.set(Some(lp.time()));
            lp.stop();
        })
        .unwrap();
    event_loop.run_forever().unwrap();
    assert!(
        fired_at.get().is_some_and(|at| at >= due),
        "the timer fired, and not early"
    );
    assert!(spins.get() > 1, "the spinning task ran on every tick meanwhile");
    event_loop.close().unwrap();
}

#[test]
fn zero_sleeps_interleave_tasks_one_step_per_tick() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    for name in ["a", "b"] {
        let j = journal.clone();
        event_loop
            .create_task(async move {
                for step in 1..=3 {
                    j.log(format!("{name}{step}"));
                    aio::sleep(Duration::ZERO).await;
                }
            })
            .unwrap();
    }
    event_loop.run_until_complete(aio::sleep(10 * MS)).unwrap();
    assert_eq!(journal.entries(), ["a1", "b1", "a2", "b2", "a3", "b3"]);
    event_loop.close().unwrap();
}

#[test]
fn soon_callbacks_run_before_timers_and_timers_by_deadline() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    for (delay, name) in
        [(20, "timer 20ms"), (10, "timer 10ms"), (0, "timer 0ms")]
    {
        let j = journal.clone();
        event_loop.call_later(delay * MS, move || j.log(name)).unwrap();
    }
    let j = journal.clone();
    event_loop.call_soon(move || j.log("soon")).unwrap();
    event_loop.run_until_complete(aio::sleep(30 * MS)).unwrap();
    assert_eq!(
        journal.entries(),
        ["soon", "timer 0ms", "timer 10ms", "timer 20ms"]
    );
    event_loop.close().unwrap();
}

#[test]
fn timers_fire_in_deadline_order_and_fifo_among_equal_deadlines() {
    let event_loop = virtual_loop();
    let fired = Rc::new(std::cell::RefCell::new(Vec::new()));
    // A fixed pseudo-random sequence of deadlines with many repeats.
    let mut state = 0x2545_f491_u32;
    let mut scheduled = Vec::new();
    for index in 0..500 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let deadline = Duration::from_millis(u64::from(state % 40));
        scheduled.push((deadline, index));
        let (record, lp) = (fired.clone(), event_loop.clone());
        event_loop
            .call_at(deadline, move || {
                assert_eq!(
                    lp.time(),
                    deadline,
                    "a virtual-clock timer fires exactly at its deadline"
                );
                record.borrow_mut().push((deadline, index));
            })
            .unwrap();
    }
    event_loop.run_until_complete(aio::sleep(50 * MS)).unwrap();
    scheduled.sort(); // by deadline, then by scheduling order
    assert_eq!(*fired.borrow(), scheduled);
    event_loop.close().unwrap();
}

#[test]
fn nothing_fires_early_on_the_real_clock() {
    let event_loop = real_loop();
    let late_by = Rc::new(std::cell::RefCell::new(Vec::new()));
    for delay_ms in [0, 1, 2, 3, 5, 8, 13] {
        let (record, lp) = (late_by.clone(), event_loop.clone());
        let due = event_loop.time() + delay_ms * MS;
        event_loop
            .call_at(due, move || {
                let now = lp.time();
                assert!(
                    now >= due,
                    "timer due at {due:?} fired early, at {now:?}"
                );
                record.borrow_mut().push(now - due);
            })
            .unwrap();
    }
    let lp = event_loop.clone();
    event_loop
        .run_until_complete(async move {
            for delay_ms in [1, 4, 7] {
                let start = lp.time();
                aio::sleep(delay_ms * MS).await;
                assert!(
                    lp.time() >= start + delay_ms * MS,
                    "sleep({delay_ms} ms) returned early"
                );
            }
            aio::sleep(20 * MS).await;
        })
        .unwrap();
    assert_eq!(late_by.borrow().len(), 7, "every timer fired");
    event_loop.close().unwrap();
}

#[test]
fn cancelled_handles_never_run_and_release_their_captures() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let drops = DropCounter::default();

    let (j, guard) = (journal.clone(), drops.guard());
    let soon = event_loop
        .call_soon(move || {
            let _captured = &guard;
            j.log("soon ran")
        })
        .unwrap();
    let (j, guard) = (journal.clone(), drops.guard());
    let later = event_loop
        .call_later(5 * MS, move || {
            let _captured = &guard;
            j.log("later ran")
        })
        .unwrap();
    soon.cancel();
    later.cancel();
    assert!(soon.cancelled() && later.cancelled());
    assert_eq!(
        drops.alive(),
        0,
        "cancelling drops the callback and what it captured at once"
    );

    // A callback cancels another one that is already in the same tick's batch.
    let j = journal.clone();
    let victim_slot: Rc<Cell<Option<aio::Handle>>> = Rc::default();
    let slot = victim_slot.clone();
    event_loop
        .call_soon(move || {
            j.log("canceller");
            if let Some(victim) = slot.take() {
                victim.cancel();
            }
        })
        .unwrap();
    let j = journal.clone();
    victim_slot
        .set(Some(event_loop.call_soon(move || j.log("victim ran")).unwrap()));

    event_loop.run_until_complete(aio::sleep(10 * MS)).unwrap();
    assert_eq!(journal.entries(), ["canceller"]);
    event_loop.close().unwrap();
}

#[test]
fn the_virtual_clock_jumps_only_when_idle() {
    let event_loop = virtual_loop();
    let lp = event_loop.clone();
    let times = event_loop
        .run_until_complete(async move {
            let start = lp.time();
            aio::sleep(Duration::from_secs(3600)).await;
            let after_an_hour = lp.time();
            aio::sleep_until(after_an_hour + 250 * MS).await;
            (start, after_an_hour, lp.time())
        })
        .unwrap();
    assert_eq!(
        times,
        (
            Duration::ZERO,
            Duration::from_secs(3600),
            Duration::from_millis(3_600_250)
        )
    );
    event_loop.close().unwrap();
}

#[test]
fn a_deadline_in_the_past_fires_on_the_next_tick() {
    let event_loop = virtual_loop();
    let journal = Journal::default();
    let (lp, j) = (event_loop.clone(), journal.clone());
    event_loop
        .run_until_complete(async move {
            aio::sleep(10 * MS).await;
            let j2 = j.clone();
            lp.call_at(Duration::ZERO, move || j2.log("past timer")).unwrap();
            aio::sleep_until(Duration::from_millis(1)).await;
            j.log("past sleep_until returned");
        })
        .unwrap();
    assert_eq!(journal.entries(), ["past timer", "past sleep_until returned"]);
    assert_eq!(event_loop.time(), 10 * MS, "no time passed");
    event_loop.close().unwrap();
}

#[test]
fn run_until_complete_returns_the_output_and_leaves_the_loop_reusable() {
    let event_loop = virtual_loop();
    assert_eq!(event_loop.run_until_complete(async { 6 * 7 }).unwrap(), 42);
    assert!(!event_loop.is_running());
    assert_eq!(
        event_loop.run_until_complete(async { "again" }).unwrap(),
        "again"
    );
    event_loop.close().unwrap();
    assert!(event_loop.is_closed());
}

#[test]
fn the_same_program_gives_the_same_trace() {
    fn trace() -> Vec<String> {
        let event_loop = virtual_loop();
        let journal = Journal::default();
        for task in 0..5u64 {
            let (j, lp) = (journal.clone(), event_loop.clone());
            event_loop
                .create_task(async move {
                    for step in 0..4u64 {
                        aio::sleep(Duration::from_millis(
                            (task * 7 + step * 3) % 5,
                        ))
                        .await;
                        j.log(format!(
                            "task {task} step {step} at {:?}",
                            lp.time()
                        ));
                    }
                })
                .unwrap();
        }
        event_loop
            .run_until_complete(aio::sleep(Duration::from_secs(1)))
            .unwrap();
        event_loop.close().unwrap();
        journal.entries()
    }
    let first = trace();
    assert_eq!(first.len(), 20);
    assert_eq!(first, trace());
}
