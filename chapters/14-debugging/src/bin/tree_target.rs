//! `tree_target`: the live program that `aio_ps`'s test reads
//! (`tests/aio_ps.rs`). It turns debug mode on, starts a task 'parent' that
//! gathers three sleeps of 30 s, prints `ready` once they are all waiting on
//! their timers, and runs until the sleeps end (or it is killed). Run it on
//! the real clock (`AIO_CLOCK=real`), so that it is still running when
//! `aio_ps` asks. `tree_target short` sleeps 10 ms instead, and ends.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let nap = match std::env::args().nth(1).as_deref() {
        Some("short") => Duration::from_millis(10),
        _ => Duration::from_secs(30),
    };
    match run(nap) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tree_target: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(nap: Duration) -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    event_loop.set_debug(true);
    let parent = event_loop.create_task(async move {
        aio::gather((0..3).map(|_| aio::sleep(nap))).await
    })?;
    parent.set_name("parent");
    let naps = event_loop.run_until_complete(async move {
        // Tasks run in the order they became ready: in the next tick the
        // parent starts the three naps, in the one after they start their
        // timers, and this task runs after them.
        for _ in 0..2 {
            aio::sleep(Duration::ZERO).await;
        }
        println!("ready");
        let _ = std::io::stdout().flush();
        parent.await
    })?;
    naps??;
    event_loop.close()?;
    Ok(())
}
