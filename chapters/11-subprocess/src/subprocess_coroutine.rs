//! `asyncio_subprocess_coroutine.py`: `df -hl` as a `Process`, its stdout
//! read line by line from a stream.

use crate::bytes_repr;
use crate::free_space::{self, Row};
use aio::{ProcessOptions, Stdio};

// ANCHOR: run_df
/// Runs `df -hl`, echoes each line it writes, and returns its return code
/// and table.
pub async fn run_df() -> Result<(i32, Vec<Row>), Box<dyn std::error::Error>> {
    println!("in run_df");
    let options = ProcessOptions::new().stdout(Stdio::Pipe);
    println!("launching process");
    let process = aio::create_subprocess_exec("df", ["-hl"], options).await?;
    println!("pid {}", process.pid());
    let stdout = process.stdout.as_ref().ok_or("df's stdout is not piped")?;
    let mut buffer = Vec::new();
    loop {
        let line = stdout.readline().await?;
        println!("read {}", bytes_repr(&line));
        if line.is_empty() {
            println!("no more output from command");
            break;
        }
        buffer.extend_from_slice(&line);
    }
    // ANCHOR_END: run_df
    // ANCHOR: wait
    println!("waiting for process to complete");
    let return_code = process.wait().await;
    println!("return code {return_code}");
    Ok((return_code, free_space::results_of(return_code, &buffer)))
}
// ANCHOR_END: wait

/// The `subprocess_coroutine` binary: `run_df` on a new loop, then the
/// free-space table.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(run_df());
    event_loop.close()?;
    let (return_code, results) = outcome??;
    free_space::report(return_code, &results)
}
