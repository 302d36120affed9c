//! Chapter 12 (signals): Ctrl-C in `aio::run`, as `asyncio.run` has it
//! since Python 3.11.
//!
//! On the main thread, while SIGINT has its default action, `aio::run`
//! handles SIGINT on its loop for as long as the main task runs. The first
//! Ctrl-C cancels the main task: its future is dropped at its next turn, so
//! its clean-up (its `Drop`s) runs, and `run` reports
//! [`Error::Interrupted`](crate::Error::Interrupted) once the loop is
//! closed. A second Ctrl-C is not handled at all: the signal handler itself
//! performs the default action, and the process ends at once, even if the
//! clean-up is stuck. A program that adds its own SIGINT handler replaces
//! this one.

use crate::ch01_coroutines::event_loop::EventLoop;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::run::WatchingCtrlC;
use crate::ch12_signals::handlers::{Deliveries, LoopSignals};
use crate::ch12_signals::process_signals::has_default_action;
use crate::ch12_signals::signal::Signal;
use std::cell::Cell;
use std::rc::Rc;

// ANCHOR: cancel_on_ctrl_c
/// Makes Ctrl-C call `cancel_main` (which says whether the main task was
/// still running), if this is the main thread and SIGINT is the default's.
pub(crate) fn cancel_on_ctrl_c(
    event_loop: &EventLoop,
    cancel_main: Box<dyn Fn() -> bool>,
) -> Option<Box<dyn WatchingCtrlC>> {
    if !on_main_thread() || !has_default_action(Signal::INT) {
        return None;
    }
    let interrupted = Rc::new(Cell::new(false));
    let on_ctrl_c = {
        let interrupted = interrupted.clone();
        move || {
            if cancel_main() {
                interrupted.set(true);
            }
        }
    };
    let added = LoopSignals::of(event_loop).and_then(|signals| {
        signals.add(Signal::INT, Box::new(on_ctrl_c), Deliveries::FirstOnly)
    });
    match added {
        Ok(id) => Some(Box::new(CtrlC {
            event_loop: event_loop.clone(),
            id,
            interrupted,
        })),
        Err(error) => {
            logging::debug!(
                "aio.signals",
                "Ctrl-C will not cancel the main task: {error}"
            );
            None
        }
    }
}

/// The Ctrl-C handler `aio::run` added: which one, and whether it fired.
struct CtrlC {
    event_loop: EventLoop,
    id: u64,
    interrupted: Rc<Cell<bool>>,
}

impl WatchingCtrlC for CtrlC {
    fn finish(self: Box<Self>) -> bool {
        // Only if it is still ours: the program may have put its own there.
        if let Some(signals) = self.event_loop.local::<LoopSignals>() {
            signals.remove(Signal::INT, Some(self.id));
        }
        self.interrupted.get()
    }
}
// ANCHOR_END: cancel_on_ctrl_c

/// Whether this is the process's first thread, where `main` runs.
fn on_main_thread() -> bool {
    // SAFETY: gettid(2) takes nothing and cannot fail.
    let thread = unsafe { libc::gettid() };
    u32::try_from(thread).is_ok_and(|thread| thread == std::process::id())
}
