//! Chapter 11 (subprocesses): a child process with chapter 8's streams
//! (asyncio's `create_subprocess_exec` and its `Process`).
//!
//! A [`Process`] is a subprocess transport whose protocol feeds two stream
//! readers, the child's stdout and stderr, and whose stdin pipe is a stream
//! writer, as asyncio's `SubprocessStreamProtocol` does. On top of them,
//! `communicate` writes the input and reads both outputs at once, so that
//! neither side waits on a pipe that is full.

use crate::ch08_streams::reader::{DEFAULT_LIMIT, StreamReader};
use crate::ch08_streams::writer::{FlowControl, StreamWriter};
use crate::ch11_subprocess::join::join3;
use crate::ch11_subprocess::options::{ProcessOptions, Stdio};
use crate::ch11_subprocess::spawn_error::SpawnError;
use crate::ch11_subprocess::subprocess_transport::{
    SHELL, SubprocessProtocol, SubprocessTransport,
};
use std::cell::RefCell;
use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::rc::Rc;

// ANCHOR: process
/// A running child and its streams. The streams are `None` unless they are
/// pipes; take one out (`process.stdout.take()`) to own it.
///
/// Dropping a `Process` closes the pipes it still holds; the child runs on
/// (unless `kill_on_drop` was chosen) and is reaped when it exits.
pub struct Process {
    /// The child's standard input, to write to.
    pub stdin: Option<StreamWriter>,
    /// The child's standard output, to read.
    pub stdout: Option<StreamReader>,
    /// The child's standard error, to read.
    pub stderr: Option<StreamReader>,
    transport: SubprocessTransport,
    kill_on_drop: bool,
}
// ANCHOR_END: process

/// Runs `program` with `args` (`asyncio.create_subprocess_exec`). Streams
/// the options leave unset are inherited.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use aio::{ProcessOptions, Stdio};
///
/// aio::run(async {
///     let options = ProcessOptions::new().stdout(Stdio::Pipe);
///     let mut process =
///         aio::create_subprocess_exec("echo", ["hi"], options).await?;
///     let (output, _) = process.communicate(None).await?;
///     assert_eq!(output.unwrap(), b"hi\n");
///     assert_eq!(process.returncode(), Some(0));
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })??;
/// # Ok(())
/// # }
/// ```
pub async fn create_subprocess_exec<I, S>(
    program: impl AsRef<OsStr>,
    args: I,
    options: ProcessOptions,
) -> Result<Process, SpawnError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let args: Vec<&OsStr> = args.iter().map(AsRef::as_ref).collect();
    Process::start(program.as_ref(), &args, options)
}

/// Runs `command` with the shell, `/bin/sh -c command`
/// (`asyncio.create_subprocess_shell`). Streams the options leave unset are
/// inherited.
pub async fn create_subprocess_shell(
    command: &str,
    options: ProcessOptions,
) -> Result<Process, SpawnError> {
    create_subprocess_exec(SHELL, ["-c", command], options).await
}

impl Process {
    // ANCHOR: start
    /// Starts the child with a stream protocol, and takes the streams.
    fn start(
        program: &OsStr,
        args: &[&OsStr],
        options: ProcessOptions,
    ) -> Result<Process, SpawnError> {
        let limit = options.limit.unwrap_or(DEFAULT_LIMIT);
        let protocol = Rc::new(RefCell::new(StreamsProtocol::new(limit)));
        let transport = SubprocessTransport::start(
            protocol.clone(),
            program,
            args,
            &options,
            Stdio::Inherit,
        )?;
        let streams = protocol.borrow();
        let stdin = transport.get_pipe_transport(0).map(|pipe| {
            let errors = streams.stdin_errors.clone();
            StreamWriter::new(pipe, streams.stdin_flow.clone(), errors)
        });
        let piped = |fd: i32, reader: &StreamReader| {
            transport.get_pipe_transport(fd).map(|_| reader.clone())
        };
        Ok(Process {
            stdin,
            stdout: piped(1, &streams.stdout),
            stderr: piped(2, &streams.stderr),
            kill_on_drop: options.kill_on_drop,
            transport: transport.clone(),
        })
    }
    // ANCHOR_END: start

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.transport.get_pid()
    }

    /// The return code, once the child has exited (`-N`: killed by signal
    /// `N`).
    pub fn returncode(&self) -> Option<i32> {
        self.transport.get_returncode()
    }

    /// Waits for the child to exit and its pipes to close, and gives the
    /// return code. A child that fills a pipe nobody reads never exits: read
    /// its output, or use `communicate`.
    pub async fn wait(&self) -> i32 {
        self.transport.wait().await
    }

    // ANCHOR: communicate
    /// Writes `input` to the child's stdin and closes it, reads its stdout
    /// and stderr to the end, all at once, then waits for it to exit. Gives
    /// what it wrote on each output that is a pipe. A child that exits
    /// without reading all of its input is not an error (asyncio ignores
    /// `BrokenPipeError` here too).
    pub async fn communicate(
        &mut self,
        input: Option<&[u8]>,
    ) -> io::Result<(Option<Vec<u8>>, Option<Vec<u8>>)> {
        let (fed, stdout, stderr) = join3(
            feed(self.stdin.take(), input),
            read_all(self.stdout.take()),
            read_all(self.stderr.take()),
        )
        .await;
        fed?;
        let output = (stdout?, stderr?);
        self.wait().await;
        Ok(output)
    }
    // ANCHOR_END: communicate

    /// Sends `signal` to the child; nothing once it has exited.
    pub fn send_signal(&self, signal: i32) -> io::Result<()> {
        self.transport.send_signal(signal)
    }

    /// Asks the child to stop (`SIGTERM`).
    pub fn terminate(&self) -> io::Result<()> {
        self.transport.terminate()
    }

    /// Stops the child at once (`SIGKILL`).
    pub fn kill(&self) -> io::Result<()> {
        self.transport.kill()
    }

    /// The child's transport.
    pub fn transport(&self) -> &SubprocessTransport {
        &self.transport
    }
}

/// Writes `input` to `stdin` and closes it; a pipe the child has closed is
/// not an error.
async fn feed(
    stdin: Option<StreamWriter>,
    input: Option<&[u8]>,
) -> io::Result<()> {
    let Some(stdin) = stdin else { return Ok(()) };
    let written = match input {
        Some(input) if !input.is_empty() => stdin.write(input),
        _ => Ok(()),
    };
    let drained = match written {
        Ok(()) => stdin.drain().await,
        Err(error) => Err(error),
    };
    stdin.close();
    match drained {
        Err(error) if !child_stopped_reading(&error) => Err(error),
        _ => Ok(()),
    }
}

/// Whether `error` only says that the child closed its stdin.
fn child_stopped_reading(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
    )
}

/// Everything `reader` gives until EOF, if there is a reader.
async fn read_all(reader: Option<StreamReader>) -> io::Result<Option<Vec<u8>>> {
    match reader {
        None => Ok(None),
        Some(reader) => Ok(Some(reader.read_to_end().await?)),
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.kill_on_drop {
            let _ = self.transport.kill();
        }
        // The pipes whose streams are still here: nobody can use them now,
        // and the child should see EOF, or EPIPE, rather than wait.
        let held = [
            self.stdin.is_some(),
            self.stdout.is_some(),
            self.stderr.is_some(),
        ];
        for (fd, held) in (0..).zip(held) {
            if held && let Some(pipe) = self.transport.get_pipe_transport(fd) {
                pipe.close();
            }
        }
    }
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid())
            .field("returncode", &self.returncode())
            .finish()
    }
}

// ANCHOR: streams_protocol
/// The protocol under a [`Process`]: the child's output goes into two
/// readers, and its stdin pipe's flow control to the writer's `drain`
/// (asyncio's `SubprocessStreamProtocol`).
struct StreamsProtocol {
    stdout: StreamReader,
    stderr: StreamReader,
    stdin_flow: Rc<FlowControl>,
    /// What closed the stdin pipe, for the writer's `drain` to report.
    stdin_errors: StreamReader,
}

impl StreamsProtocol {
    fn new(limit: usize) -> StreamsProtocol {
        StreamsProtocol {
            stdout: StreamReader::new(limit),
            stderr: StreamReader::new(limit),
            stdin_flow: Rc::new(FlowControl::default()),
            stdin_errors: StreamReader::new(limit),
        }
    }

    fn reader(&self, fd: i32) -> Option<&StreamReader> {
        match fd {
            1 => Some(&self.stdout),
            2 => Some(&self.stderr),
            _ => None,
        }
    }
}

impl SubprocessProtocol for StreamsProtocol {
    fn connection_made(&mut self, transport: SubprocessTransport) {
        // A reader past its limit pauses its pipe: the child then waits.
        for fd in [1, 2] {
            if let Some(reader) = self.reader(fd) {
                reader.set_transport(transport.get_pipe_transport(fd));
            }
        }
    }

    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        if let Some(reader) = self.reader(fd) {
            reader.feed_data(data);
        }
    }

    fn pipe_connection_lost(&mut self, fd: i32, error: Option<io::Error>) {
        let reader = match fd {
            0 => {
                self.stdin_flow.lose();
                &self.stdin_errors
            }
            _ => match self.reader(fd) {
                Some(reader) => reader,
                None => return,
            },
        };
        match error {
            Some(error) => reader.set_error(error),
            None => reader.feed_eof(),
        }
        reader.set_transport(None);
    }

    fn pause_writing(&mut self) {
        self.stdin_flow.pause();
    }

    fn resume_writing(&mut self) {
        self.stdin_flow.resume();
    }
}
// ANCHOR_END: streams_protocol
