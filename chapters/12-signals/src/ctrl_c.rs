//! Not in PyMOTW: what `aio::run` does with Ctrl-C, as `asyncio.run` does
//! since Python 3.11. The first SIGINT cancels the main task, so its
//! clean-up runs; `aio::run` returns `Error::Interrupted`, and the program
//! ends as SIGINT ends a program, so that a shell sees status 130. With
//! `--slow-cleanup` the clean-up takes 30 s, and a second Ctrl-C ends the
//! program at once.

use std::time::Duration;

// ANCHOR: clean_up
/// Clean-up that runs when the main task ends, however it ends.
struct CleanUp {
    slow: bool,
}

impl Drop for CleanUp {
    fn drop(&mut self) {
        println!("main: cleaning up");
        if self.slow {
            // Blocks the loop: only a second Ctrl-C can cut it short.
            std::thread::sleep(Duration::from_secs(30));
        }
        println!("main: clean-up done");
    }
}
// ANCHOR_END: clean_up

// ANCHOR: work
/// The main task: an hour of work, with clean-up to do however it ends.
async fn work(slow_cleanup: bool) {
    let _clean_up = CleanUp { slow: slow_cleanup };
    println!("main: working (press Ctrl-C)");
    aio::sleep(Duration::from_secs(60 * 60)).await;
}
// ANCHOR_END: work

// ANCHOR: main
/// The `ctrl_c` binary: `work` under `aio::run`, and Ctrl-C's way out.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slow_cleanup = std::env::args().any(|arg| arg == "--slow-cleanup");
    match aio::run(work(slow_cleanup)) {
        Err(aio::Error::Interrupted) => {
            println!("main: interrupted");
            aio::Signal::INT.exit_process()
        }
        outcome => Ok(outcome?),
    }
}
// ANCHOR_END: main
