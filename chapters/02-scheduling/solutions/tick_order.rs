//! Exercise 1 (small): predict the tick. The scenario's lines, tick by tick.

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

// ANCHOR: prediction
/// Every line [`scenario`] writes, in order.
pub fn predicted_order() -> Vec<&'static str> {
    vec![
        // Tick 1, at 0: the ready queue holds A and B; then the due timer
        // (a zero delay is due now) joins its back.
        "A at 0 ms",
        "B at 0 ms",
        "zero-delay timer at 0 ms",
        // Tick 2: what A queued during tick 1.
        "C, queued by A at 0 ms",
        // Nothing ready: the clock jumps to the earliest live deadline. B
        // cancelled the 50 ms timer, so that is 100. Equal deadlines: FIFO.
        "P at 100 ms",
        "Q at 100 ms",
        // The jump to 150. stop() lets the tick finish.
        "stopper at 150 ms",
        "S at 150 ms",
        "run_forever returned at 150 ms",
        // stop() before run_forever: one tick, and the clock stays put. The
        // 300 ms timer never runs.
        "queued by stopper at 150 ms",
        "second run_forever returned at 150 ms",
    ]
}
// ANCHOR_END: prediction
