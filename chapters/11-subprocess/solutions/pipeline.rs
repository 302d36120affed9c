//! Exercise 4 (project): a pipeline without a shell, its pipes joined by
//! the loop.

use aio::{Process, ProcessOptions, Stdio, StreamReader, StreamWriter};
use std::io;

/// What a pipeline gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineOutput {
    /// Everything the last command wrote to its stdout.
    pub output: Vec<u8>,
    /// Each command's return code, in pipeline order.
    pub returncodes: Vec<i32>,
}

/// How much one copy step reads: the size of a pipe's buffer.
const CHUNK: usize = 64 * 1024;

// ANCHOR: run_pipeline
/// Runs `commands` (each a program and its arguments; at least one) as a
/// pipeline: `input`, then EOF, into the first; each stdout into the next
/// one's stdin; the last one's stdout collected. Waits for every command to
/// end. A command that stops reading early ends the copy into it, and the
/// command before it is not left blocked on a full pipe.
pub async fn run_pipeline(
    commands: &[&[&str]],
    input: &[u8],
) -> io::Result<PipelineOutput> {
    let mut processes = Vec::with_capacity(commands.len());
    for command in commands {
        let Some((program, args)) = command.split_first() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a command of the pipeline is empty: give its program",
            ));
        };
        let options = ProcessOptions::new()
            .stdin(Stdio::Pipe)
            .stdout(Stdio::Pipe)
            .kill_on_drop(true); // an error below must not leave them
        processes
            .push(aio::create_subprocess_exec(program, args, options).await?);
    }
    let Some(last) = processes.last_mut() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a pipeline needs at least one command",
        ));
    };
    let output = last.stdout.take().expect("the last stdout is a pipe");
    let mut copies = Vec::with_capacity(processes.len());
    let first_stdin = processes[0].stdin.take().expect("a piped stdin");
    copies.push(in_a_task(feed(first_stdin, input.to_vec()))?);
    for pair in processes.windows(2) {
        let stdout = pair[0].stdout.clone().expect("a piped stdout");
        let stdin = pair[1].stdin.clone().expect("a piped stdin");
        copies.push(in_a_task(copy(stdout, stdin, upstream(&pair[0])))?);
    }
    // ANCHOR_END: run_pipeline
    // ANCHOR: collect
    // Reading the last output while the copies run: a pipe nobody reads
    // would stop the whole pipeline once it is full.
    let output = output.read_to_end().await?;
    for copy in copies {
        copy.await.map_err(as_io)?;
    }
    let mut returncodes = Vec::with_capacity(processes.len());
    for process in &processes {
        returncodes.push(process.wait().await);
    }
    Ok(PipelineOutput { output, returncodes })
}
// ANCHOR_END: collect

/// Runs one copy as a task of its own, so that all of them run at once.
fn in_a_task(
    copy: impl Future<Output = ()> + 'static,
) -> io::Result<aio::Task<()>> {
    aio::spawn(copy).map_err(as_io)
}

fn as_io(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(error.to_string())
}

// ANCHOR: copy
/// Writes `input` into the first command, then closes its stdin (its EOF).
async fn feed(stdin: StreamWriter, input: Vec<u8>) {
    if !input.is_empty() && stdin.write(&input).is_ok() {
        let _ = stdin.drain().await; // it may stop reading: not an error
    }
    stdin.close();
}

/// Copies one command's stdout into the next one's stdin until EOF, a
/// chunk at a time, waiting at `drain` while the next one's pipe is full:
/// that wait is the backpressure that a shell's pipe gives for free. If
/// the next one stops reading, `stop_upstream` closes the pipe we read
/// from, as the kernel does for a shell's pipeline: the writer then gets
/// `SIGPIPE` instead of blocking forever on a pipe nobody empties.
async fn copy(from: StreamReader, to: StreamWriter, stop_upstream: Upstream) {
    loop {
        let chunk = match from.read(CHUNK).await {
            Ok(chunk) if !chunk.is_empty() => chunk,
            _ => break, // EOF (or the pipe failed): pass the end on
        };
        let written = match to.write(&chunk) {
            Ok(()) => to.drain().await,
            Err(error) => Err(error),
        };
        if written.is_err() {
            stop_upstream.close();
            break;
        }
    }
    to.close();
}

/// The pipe transport of a command's stdout, to close when nobody will read
/// what it writes.
struct Upstream(Option<aio::Transport>);

impl Upstream {
    fn close(&self) {
        if let Some(pipe) = &self.0 {
            pipe.close();
        }
    }
}

fn upstream(process: &Process) -> Upstream {
    Upstream(process.transport().get_pipe_transport(1))
}
// ANCHOR_END: copy
