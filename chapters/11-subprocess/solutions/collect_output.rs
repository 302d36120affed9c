//! Exercise 1 (small): a subprocess protocol that keeps what it hears.

use aio::{ProcessOptions, Stdio, SubprocessProtocol, SubprocessTransport};
use std::io;

/// What a child wrote, and the protocol calls it got, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collector {
    /// Every byte the child wrote to its stdout.
    pub stdout: Vec<u8>,
    /// Every byte the child wrote to its stderr.
    pub stderr: Vec<u8>,
    /// One entry per protocol call, by name: `"connection_made"`,
    /// `"pipe_connection_lost 1"` (and `2`), `"process_exited"`,
    /// `"connection_lost"`. Data received is not listed.
    pub events: Vec<String>,
}

// ANCHOR: protocol
impl SubprocessProtocol for Collector {
    fn connection_made(&mut self, _transport: SubprocessTransport) {
        self.events.push("connection_made".into());
    }

    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        match fd {
            1 => self.stdout.extend_from_slice(data),
            _ => self.stderr.extend_from_slice(data),
        }
    }

    fn pipe_connection_lost(&mut self, fd: i32, _error: Option<io::Error>) {
        self.events.push(format!("pipe_connection_lost {fd}"));
    }

    fn process_exited(&mut self) {
        self.events.push("process_exited".into());
    }

    fn connection_lost(&mut self, _error: Option<io::Error>) {
        self.events.push("connection_lost".into());
    }
}
// ANCHOR_END: protocol

// ANCHOR: run_collecting
/// Runs `program` with `args`, its stdout and stderr piped to a
/// [`Collector`], and gives the return code and the collector once the
/// child has exited and its pipes have closed.
pub async fn run_collecting(
    program: &str,
    args: &[&str],
) -> io::Result<(i32, Collector)> {
    // No input: the child reads EOF at once, as from `/dev/null`.
    let options = ProcessOptions::new().stdin(Stdio::Null);
    let (transport, collector) =
        aio::subprocess_exec(Collector::default(), program, args, options)
            .await?;
    // `wait` returns once the child has exited *and* its pipes have closed,
    // so every byte has been delivered by then.
    let returncode = transport.wait().await;
    let collected = collector.borrow().clone();
    Ok((returncode, collected))
}
// ANCHOR_END: run_collecting
