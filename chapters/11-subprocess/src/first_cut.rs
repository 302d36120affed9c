//! A first cut at running a program without blocking the loop. std's
//! `Command::output` (spawn the child, read its pipes to the end, reap it)
//! blocks, so it runs on a thread of its own, with chapter 10's
//! `off_the_loop`, and its answer comes back through `aio::oneshot`.
//!
//! A ticker task shows that the loop stays free: the child is `cat`, and what
//! it reads is what the ticker writes to it, tick by tick, while the main
//! task waits for the answer. The price is a thread blocked for the child's
//! whole life, and no output until the end; `aio::create_subprocess_exec`
//! does the same work on the loop.

use crate::bytes_repr;
use ch10_dns::first_cut::off_the_loop;
use std::io::{self, Write};
use std::process::{Command, Output};
use std::time::Duration;

// ANCHOR: output_off_the_loop
/// `command.output()` on a thread of its own: spawn, read, reap.
pub async fn output_off_the_loop(mut command: Command) -> io::Result<Output> {
    let answer = off_the_loop(move || command.output());
    // The sender is dropped unsent only if `output` panicked.
    answer.await.map_err(io::Error::other)?
}
// ANCHOR_END: output_off_the_loop

// ANCHOR: ticker
/// Ticks three times, a tenth of a second apart, and writes each tick to
/// `cat`; dropping `to_cat` at the end is the end of `cat`'s input.
async fn ticker(mut to_cat: io::PipeWriter) -> io::Result<()> {
    for tick in 1..=3 {
        aio::sleep(Duration::from_millis(100)).await;
        println!("ticker: tick {tick}");
        // A few bytes into a pipe with room for thousands: cannot block.
        writeln!(to_cat, "tick {tick}")?;
    }
    println!("ticker: closing cat's input");
    Ok(())
}
// ANCHOR_END: ticker

// ANCHOR: first_cut
/// Runs `cat` on a thread while the ticker, on the loop, feeds it.
pub async fn first_cut() -> Result<(), Box<dyn std::error::Error>> {
    let (from_ticker, to_cat) = io::pipe()?;
    let mut cat = Command::new("cat");
    cat.stdin(from_ticker);
    println!("main: running cat on a thread");
    let ticking = aio::spawn(ticker(to_cat))?;
    let output = output_off_the_loop(cat).await?;
    ticking.await??;
    println!("main: cat said {}", bytes_repr(&output.stdout));
    println!("main: cat ended with {}", output.status);
    Ok(())
}
// ANCHOR_END: first_cut

/// The `first_cut` binary: the first cut on a new loop.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    aio::run(first_cut())?
}
