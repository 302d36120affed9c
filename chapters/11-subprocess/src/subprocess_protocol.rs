//! `asyncio_subprocess_protocol.py`: `df -hl` through a subprocess
//! protocol, whose callbacks report the process as it runs.

use crate::free_space::{self, Row};
use aio::{
    Exception, ProcessOptions, Promise, Stdio, SubprocessProtocol,
    SubprocessTransport,
};
use std::io;

/// The names of the child's standard streams, by file descriptor.
const FD_NAMES: [&str; 3] = ["stdin", "stdout", "stderr"];

// ANCHOR: protocol
/// Reports `df`'s life, keeps what it writes to stdout, and settles `done`
/// with the return code and the parsed table.
pub struct DfProtocol {
    done: Promise<(i32, Vec<Row>)>,
    transport: Option<SubprocessTransport>,
    buffer: Vec<u8>,
}

impl SubprocessProtocol for DfProtocol {
    fn connection_made(&mut self, transport: SubprocessTransport) {
        println!("process started {}", transport.get_pid());
        self.transport = Some(transport);
    }

    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        let name = usize::try_from(fd).ok().and_then(|fd| FD_NAMES.get(fd));
        println!("read {} bytes from {}", data.len(), name.unwrap_or(&"?"));
        if fd == 1 {
            self.buffer.extend_from_slice(data);
        }
    }
    // ANCHOR_END: protocol

    // ANCHOR: exited
    fn process_exited(&mut self) {
        println!("process exited");
        if let Some(return_code) = self.return_code() {
            println!("return code {return_code}");
        }
    }

    /// The child has exited and its last pipe has closed: all its output
    /// is in. The loop may reap a child before it reads the child's last
    /// output (`process exited` before `read ... bytes`), so PyMOTW's
    /// parse in `process_exited` can miss some; this one waits.
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let _ = match (error, self.return_code()) {
            (None, Some(code)) => {
                let results = free_space::results_of(code, &self.buffer);
                self.done.set_result((code, results))
            }
            (Some(error), _) => self.done.set_exception(Exception::new(error)),
            // Cannot be: connection_lost comes after the exit.
            (None, None) => {
                let unknown = Exception::msg("df's return code is unknown");
                self.done.set_exception(unknown)
            }
        };
    }
    // ANCHOR_END: exited
}

impl DfProtocol {
    fn return_code(&self) -> Option<i32> {
        self.transport.as_ref()?.get_returncode()
    }
}

// ANCHOR: run_df
/// Runs `df -hl`, and returns its return code and table once it is over.
pub async fn run_df() -> Result<(i32, Vec<Row>), Box<dyn std::error::Error>> {
    println!("in run_df");
    let done = Promise::new()?;
    let protocol =
        DfProtocol { done: done.clone(), transport: None, buffer: Vec::new() };
    // PyMOTW's `stdin=None, stderr=None`: inherited, not piped.
    let options =
        ProcessOptions::new().stdin(Stdio::Inherit).stderr(Stdio::Inherit);
    println!("launching process");
    let (transport, _protocol) =
        aio::subprocess_exec(protocol, "df", ["-hl"], options).await?;
    println!("waiting for process to complete");
    let outcome = done.await;
    transport.close();
    Ok(outcome?)
}
// ANCHOR_END: run_df

/// The `subprocess_protocol` binary: `run_df` on a new loop, then the
/// free-space table.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = aio::EventLoop::new()?;
    let outcome = event_loop.run_until_complete(run_df());
    event_loop.close()?;
    let (return_code, results) = outcome??;
    free_space::report(return_code, &results)
}
