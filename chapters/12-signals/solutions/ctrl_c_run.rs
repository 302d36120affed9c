//! Exercise 3: `asyncio.run`'s Ctrl-C, written with the loop's public API.
//! [`ctrl_c_run`] is `aio::run` without its help from the runtime: a new
//! loop runs `main` as a task; the first SIGINT cancels that task, so its
//! clean-up (its `Drop`s) runs, and removes its own handler, so a second
//! SIGINT ends the process at once; then the other tasks are cancelled,
//! the loop closes, and `Error::Interrupted` says what happened.

use aio::{Error, EventLoop, Signal, TaskRef};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: ctrl_c_run
/// Runs `main` on a new loop, as [`aio::run`] does, Ctrl-C included: the
/// first SIGINT cancels `main`, and once the loop is closed this returns
/// [`Error::Interrupted`]. A second SIGINT before then ends the process.
pub fn ctrl_c_run<F>(main: F) -> Result<F::Output, Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let event_loop = EventLoop::new()?;
    let main_task = event_loop.create_task(main)?;
    let interrupted = Rc::new(Cell::new(false));
    cancel_on_ctrl_c(
        &event_loop,
        main_task.as_task_ref(),
        Rc::clone(&interrupted),
    );
    let outcome = event_loop.run_until_complete(main_task);
    // From here on, Ctrl-C has its default action: it ends the process.
    let _ = event_loop.remove_signal_handler(Signal::INT);
    let shutdown = cancel_the_rest(&event_loop);
    event_loop.close()?;
    if interrupted.get() {
        return Err(Error::Interrupted);
    }
    let output = outcome??;
    shutdown?;
    Ok(output)
}
// ANCHOR_END: ctrl_c_run

// ANCHOR: cancel_on_ctrl_c
/// The first SIGINT cancels `main` and notes it in `interrupted`.
fn cancel_on_ctrl_c(
    event_loop: &EventLoop,
    main: TaskRef,
    interrupted: Rc<Cell<bool>>,
) {
    let the_loop = event_loop.clone();
    let on_ctrl_c = move || {
        // The first Ctrl-C only: with the handler gone, a second one ends
        // the process, even while a clean-up blocks the loop.
        let _ = the_loop.remove_signal_handler(Signal::INT);
        interrupted.set(main.cancel());
    };
    // If another loop owns SIGINT, Ctrl-C is its business: run without.
    let _ = event_loop.add_signal_handler(Signal::INT, on_ctrl_c);
}
// ANCHOR_END: cancel_on_ctrl_c

// ANCHOR: cancel_the_rest
/// `asyncio.run`'s shutdown: cancels every task left, and runs the loop
/// until they are gone (a task's clean-up may spawn another).
fn cancel_the_rest(event_loop: &EventLoop) -> Result<(), Error> {
    event_loop.run_until_complete(async {
        let this = aio::current_task();
        let is_this = |task: &TaskRef| {
            this.as_ref().is_some_and(|this| this.same_task(task))
        };
        loop {
            let rest: Vec<TaskRef> =
                aio::all_tasks().into_iter().filter(|t| !is_this(t)).collect();
            if rest.is_empty() {
                return;
            }
            rest.iter().for_each(|task| _ = task.cancel());
            aio::sleep(Duration::ZERO).await; // a tick for them to go
        }
    })
}
// ANCHOR_END: cancel_the_rest
