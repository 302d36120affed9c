//! `asyncio_subprocess_coroutine_write.py`: a message piped through `tr`,
//! which upper-cases it, with `communicate`.

use aio::{ProcessOptions, Stdio};

/// The message to upper-case.
pub const MESSAGE: &str = "
This message will be converted
to all caps.
";

// ANCHOR: to_upper
/// Runs `input` through `tr`, and returns its return code and output.
pub async fn to_upper(
    input: &str,
) -> Result<(i32, String), Box<dyn std::error::Error>> {
    println!("in to_upper");
    let options = ProcessOptions::new().stdout(Stdio::Pipe).stdin(Stdio::Pipe);
    println!("launching process");
    let mut process =
        aio::create_subprocess_exec("tr", ["[:lower:]", "[:upper:]"], options)
            .await?;
    println!("pid {}", process.pid());
    println!("communicating with process");
    let (stdout, _stderr) = process.communicate(Some(input.as_bytes())).await?;
    println!("waiting for process to complete");
    let return_code = process.wait().await;
    println!("return code {return_code}");
    let results = match stdout {
        Some(stdout) if return_code == 0 => {
            String::from_utf8_lossy(&stdout).into_owned()
        }
        _ => String::new(),
    };
    Ok((return_code, results))
}
// ANCHOR_END: to_upper

// ANCHOR: main
/// The `subprocess_coroutine_write` binary: `to_upper` on a new loop, then
/// the message before and after, quoted as Rust's `{:?}` quotes a string
/// (Python's `{!r}`, in double quotes).
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(to_upper(MESSAGE));
    event_loop.close()?;
    let (return_code, results) = outcome??;
    crate::error_exit("tr", return_code)?;
    println!("Original: {MESSAGE:?}");
    println!("Changed : {results:?}");
    Ok(())
}
// ANCHOR_END: main
