//! The program of chapter 2's first exercise (`exercises::tick_order`):
//! callbacks, timers, a cancel and a `stop()`, each writing its name and the
//! loop time. Starter and solution both use this one copy, so the reader
//! predicts exactly the program that the grader runs.

use aio::EventLoop;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// Where the scenario writes what ran, and at what loop time.
pub type Log = Rc<RefCell<Vec<String>>>;

/// A callback that writes `name` and the loop time to `log`.
fn note(
    event_loop: &EventLoop,
    log: &Log,
    name: &str,
) -> impl FnOnce() + use<> {
    let (event_loop, log, name) =
        (event_loop.clone(), log.clone(), name.to_owned());
    move || write(&event_loop, &log, &name)
}

fn write(event_loop: &EventLoop, log: &Log, name: &str) {
    let ms = event_loop.time().as_millis();
    log.borrow_mut().push(format!("{name} at {ms} ms"));
}

// ANCHOR: scenario
/// The program whose output you predict. It runs on a virtual-clock loop, so
/// every time it writes is exact.
pub fn scenario(event_loop: &EventLoop, log: &Log) -> Result<(), aio::Error> {
    let ms = Duration::from_millis;
    let doomed =
        event_loop.call_later(ms(50), note(event_loop, log, "doomed"))?;
    event_loop.call_later(ms(0), note(event_loop, log, "zero-delay timer"))?;
    let (lp, lg) = (event_loop.clone(), log.clone());
    event_loop.call_soon(move || {
        write(&lp, &lg, "A");
        let _ = lp.call_soon(note(&lp, &lg, "C, queued by A"));
    })?;
    let (lp, lg) = (event_loop.clone(), log.clone());
    event_loop.call_soon(move || {
        write(&lp, &lg, "B");
        doomed.cancel();
    })?;
    event_loop.call_at(ms(100), note(event_loop, log, "P"))?;
    event_loop.call_later(ms(100), note(event_loop, log, "Q"))?;
    let (lp, lg) = (event_loop.clone(), log.clone());
    event_loop.call_at(ms(150), move || {
        write(&lp, &lg, "stopper");
        lp.stop();
        let _ = lp.call_soon(note(&lp, &lg, "queued by stopper"));
    })?;
    event_loop.call_at(ms(150), note(event_loop, log, "S"))?;
    event_loop.call_at(ms(300), note(event_loop, log, "late timer"))?;
    event_loop.run_forever()?;
    write(event_loop, log, "run_forever returned");
    event_loop.stop();
    event_loop.run_forever()?;
    write(event_loop, log, "second run_forever returned");
    Ok(())
}
// ANCHOR_END: scenario
