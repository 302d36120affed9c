//! Exercise 3 (medium): progress as it comes, from an unbuffered child.

use aio::{Process, ProcessOptions, Stdio};
use std::io;
use std::time::Duration;

/// A running Python script and the lines of its output.
#[derive(Debug)]
pub struct LiveLines {
    process: Process,
    /// The loop's time when the script started.
    started: Duration,
}

// ANCHOR: start
impl LiveLines {
    /// Starts `python3 -c script`, its stdin and stdout pipes, its output
    /// unbuffered so that each line arrives when it is printed.
    pub async fn start(script: &str) -> io::Result<LiveLines> {
        let started = aio::get_running_loop()
            .map_err(|error| io::Error::other(error.to_string()))?
            .time();
        // Writing to a pipe, Python fills an 8 KiB buffer before it writes
        // anything; unbuffered (`-u` does the same), each print is a write.
        let options = ProcessOptions::new()
            .stdin(Stdio::Pipe)
            .stdout(Stdio::Pipe)
            .env("PYTHONUNBUFFERED", "1");
        let process =
            aio::create_subprocess_exec("python3", ["-c", script], options)
                .await?;
        Ok(LiveLines { process, started })
    }
    // ANCHOR_END: start

    // ANCHOR: next_line
    /// The next line of output, without its `\n` (a last line may have
    /// none), with the loop time since `start`; `None` at the end.
    pub async fn next_line(&mut self) -> Option<(Duration, String)> {
        let stdout = self.process.stdout.as_ref()?;
        let line = stdout.readline().await.ok()?;
        if line.is_empty() {
            return None; // EOF: the script closed its stdout
        }
        let now = aio::get_running_loop().ok()?.time();
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\n').unwrap_or(&text).to_owned();
        Some((now - self.started, text))
    }
    // ANCHOR_END: next_line

    /// Writes `line` and a `\n` to the script's stdin, and waits until the
    /// pipe has taken it.
    pub async fn send(&mut self, line: &str) -> io::Result<()> {
        let Some(stdin) = self.process.stdin.as_ref() else {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the script's stdin is closed",
            ));
        };
        stdin.write(format!("{line}\n").as_bytes())?;
        stdin.drain().await
    }

    /// Closes the script's stdin and waits for it to exit: its return code.
    pub async fn finish(mut self) -> i32 {
        if let Some(stdin) = self.process.stdin.take() {
            stdin.close();
        }
        self.process.wait().await
    }
}
