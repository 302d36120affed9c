//! Not in PyMOTW: the loop's tasks as a tree. A task `parent` gathers
//! three sleeps, of 1, 2 and 3 s, each its own task (`nap 1`, `nap 2`,
//! `nap 3`). Once they all sleep, `main` prints the loop's task tree: who
//! awaits whom, where each task was created, and, in debug mode, what each
//! waits on. Then it waits for `parent`.

use std::time::Duration;

// ANCHOR: tasks
/// Names its own task `nap N`, then sleeps `seconds`.
async fn nap(seconds: u64) {
    if let Some(me) = aio::current_task() {
        me.set_name(format!("nap {seconds}"));
    }
    aio::sleep(Duration::from_secs(seconds)).await;
}

/// Gathers three naps, each a task of its own.
async fn parent() -> Result<(), aio::Error> {
    aio::gather([1, 2, 3].map(nap)).await?;
    Ok(())
}
// ANCHOR_END: tasks

/// The `task_tree` binary.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(main_task());
    event_loop.close()?;
    outcome?
}

// ANCHOR: main_task
/// Starts `parent`, prints the tree once the naps sleep, waits for it.
async fn main_task() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(me) = aio::current_task() {
        me.set_name("main");
    }
    let event_loop = aio::get_running_loop()?;
    // What each task waits on is known only in debug mode.
    event_loop.set_debug(true);
    let parent = aio::spawn(parent())?;
    parent.set_name("parent");
    // One tick for `parent` to gather, one for the naps to start sleeping.
    for _ in 0..2 {
        aio::sleep(Duration::ZERO).await;
    }
    println!("{}", aio::task_tree()?);
    parent.await??;
    Ok(())
}
// ANCHOR_END: main_task
