//! Chapter 11 (subprocesses): the subprocess transport and the protocol it
//! calls (asyncio's `loop.subprocess_exec` and `SubprocessProtocol`).
//!
//! A child's transport is three pipe transports and an exit watcher. Each
//! pipe is chapter 7's stream transport on one pipe end (`pipe.rs`), with a
//! small protocol of its own, [`PipeProtocol`], that passes what happens on
//! the pipe to the subprocess protocol, saying which descriptor it was: 0
//! for stdin, 1 for stdout, 2 for stderr. The exit watcher
//! (`exit_watch.rs`) says when the child has exited. Once it has, and every
//! pipe has closed, the protocol hears `connection_lost`, and `wait()`
//! returns: by then every byte the child wrote has been delivered.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use crate::ch01_coroutines::event_loop::get_running_loop;
use crate::ch01_coroutines::logging;
use crate::ch07_protocols::callbacks::ProtocolSlot;
use crate::ch07_protocols::interface::{Protocol, Transport};
use crate::ch07_protocols::reactor::IoSource;
use crate::ch07_protocols::socket::ByteStream;
use crate::ch07_protocols::transport::SocketTransport;
use crate::ch11_subprocess::exit_watch::watch_exit;
use crate::ch11_subprocess::options::{ChildWatcher, ProcessOptions, Stdio};
use crate::ch11_subprocess::spawn::{Spawned, spawn};
use crate::ch11_subprocess::spawn_error::{SpawnError, SpawnReason};
use std::cell::{Cell, RefCell};
use std::ffi::OsStr;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::rc::Rc;
use std::task::{Poll, Waker};

// ANCHOR: subprocess_protocol
/// The callbacks of a child process (asyncio's `SubprocessProtocol`). Every
/// method has a default that does nothing. A method that panics is logged,
/// the transport is closed (which kills a child still running), and only
/// `connection_lost` is called after it, with the panic as its error.
pub trait SubprocessProtocol: 'static {
    /// The child has started; keep `transport` to talk to it.
    fn connection_made(&mut self, transport: SubprocessTransport) {
        let _ = transport;
    }
    /// The child wrote `data` to descriptor `fd` (1: stdout, 2: stderr).
    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        let _ = (fd, data);
    }
    /// The pipe of descriptor `fd` closed: `None` at a normal end.
    fn pipe_connection_lost(&mut self, fd: i32, error: Option<io::Error>) {
        let _ = (fd, error);
    }
    /// The child has exited (and has been reaped).
    fn process_exited(&mut self) {}
    /// The child has exited and all its pipes have closed: nothing more
    /// will come.
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let _ = error;
    }
    /// The stdin pipe's buffer went over its high water mark.
    fn pause_writing(&mut self) {}
    /// The stdin pipe's buffer drained below its low water mark.
    fn resume_writing(&mut self) {}
}
// ANCHOR_END: subprocess_protocol

/// A child process's transport: its pid and return code, its pipes, and
/// signals to send it. Cloning gives another handle on the same child.
#[derive(Clone)]
pub struct SubprocessTransport {
    inner: Rc<SubprocessInner>,
}

// ANCHOR: subprocess_inner
struct SubprocessInner {
    pid: u32,
    command_line: String,
    protocol: ProtocolSlot<dyn SubprocessProtocol>,
    /// The pipe transports, by descriptor: stdin, stdout, stderr.
    pipes: [RefCell<Option<Transport>>; 3],
    /// Which pipes are still open.
    open_pipes: [Cell<bool>; 3],
    /// Set once the child is reaped.
    returncode: Cell<Option<i32>>,
    closed: Cell<bool>,
    /// Exited, every pipe closed, and `connection_lost` called.
    finished: Cell<bool>,
    /// The tasks waiting in `wait()`.
    exit_waiters: RefCell<Vec<Waker>>,
}
// ANCHOR_END: subprocess_inner

/// Runs `program` with `args` and `protocol` (`loop.subprocess_exec`).
/// Streams the options leave unset are pipes.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use aio::{ProcessOptions, SubprocessProtocol, SubprocessTransport};
///
/// #[derive(Default)]
/// struct Collect(Vec<u8>);
///
/// impl SubprocessProtocol for Collect {
///     fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
///         if fd == 1 {
///             self.0.extend_from_slice(data);
///         }
///     }
/// }
///
/// aio::run(async {
///     let (transport, protocol) = aio::subprocess_exec(
///         Collect::default(),
///         "echo",
///         ["hello"],
///         ProcessOptions::new(),
///     )
///     .await?;
///     assert_eq!(transport.wait().await, 0);
///     assert_eq!(protocol.borrow().0, b"hello\n");
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })??;
/// # Ok(())
/// # }
/// ```
pub async fn subprocess_exec<P, I, S>(
    protocol: P,
    program: impl AsRef<OsStr>,
    args: I,
    options: ProcessOptions,
) -> Result<(SubprocessTransport, Rc<RefCell<P>>), SpawnError>
where
    P: SubprocessProtocol,
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let args: Vec<&OsStr> = args.iter().map(AsRef::as_ref).collect();
    let protocol = Rc::new(RefCell::new(protocol));
    let transport = SubprocessTransport::start(
        protocol.clone(),
        program.as_ref(),
        &args,
        &options,
        Stdio::Pipe,
    )?;
    Ok((transport, protocol))
}

/// Runs `command` with the shell, `/bin/sh -c command`, and `protocol`
/// (`loop.subprocess_shell`). Streams the options leave unset are pipes.
pub async fn subprocess_shell<P: SubprocessProtocol>(
    protocol: P,
    command: &str,
    options: ProcessOptions,
) -> Result<(SubprocessTransport, Rc<RefCell<P>>), SpawnError> {
    subprocess_exec(protocol, SHELL, ["-c", command], options).await
}

/// The shell that `subprocess_shell` runs commands with, as asyncio's does.
pub(crate) const SHELL: &str = "/bin/sh";

impl SubprocessTransport {
    // ANCHOR: start
    /// Starts the child, its pipe transports and its exit watcher, then
    /// calls `connection_made`.
    pub(crate) fn start(
        protocol: Rc<RefCell<dyn SubprocessProtocol>>,
        program: &OsStr,
        args: &[&OsStr],
        options: &ProcessOptions,
        default: Stdio,
    ) -> Result<SubprocessTransport, SpawnError> {
        if let Err(error) = get_running_loop() {
            let name = program.to_string_lossy();
            let error = io::Error::other(error);
            return Err(SpawnError::new(&name, SpawnReason::Other(error)));
        }
        let spawned = spawn(program, args, options, default)?;
        let transport = SubprocessTransport {
            inner: Rc::new(SubprocessInner {
                pid: spawned.pid,
                command_line: spawned.command_line.clone(),
                protocol: ProtocolSlot::new(protocol),
                pipes: Default::default(),
                open_pipes: Default::default(),
                returncode: Cell::new(None),
                closed: Cell::new(false),
                finished: Cell::new(false),
                exit_waiters: RefCell::new(Vec::new()),
            }),
        };
        let watcher = options
            .child_watcher
            .unwrap_or_else(ChildWatcher::from_environment);
        let exited = transport.clone();
        let watched =
            watch_exit(spawned.pid, &spawned.command_line, watcher, {
                move |returncode| exited.process_exited(returncode)
            });
        let started = watched.and_then(|()| transport.connect_pipes(spawned));
        if let Err(error) = started {
            transport.close(); // kills the child; its watcher reaps it
            let name = program.to_string_lossy();
            return Err(SpawnError::new(&name, SpawnReason::Other(error)));
        }
        let handle = transport.clone();
        transport.call("protocol.connection_made()", |protocol| {
            protocol.connection_made(handle)
        });
        Ok(transport)
    }
    // ANCHOR_END: start

    /// Puts a transport on each of our pipe ends.
    fn connect_pipes(&self, spawned: Spawned) -> io::Result<()> {
        if let Some(stdin) = spawned.stdin {
            self.connect_pipe(0, stdin)?;
        }
        if let Some(stdout) = spawned.stdout {
            self.connect_pipe(1, stdout)?;
        }
        if let Some(stderr) = spawned.stderr {
            self.connect_pipe(2, stderr)?;
        }
        Ok(())
    }

    fn connect_pipe(&self, fd: i32, end: impl ByteStream) -> io::Result<()> {
        let protocol = PipeProtocol { fd, subprocess: self.clone() };
        let pipe = SocketTransport::start(
            IoSource::new(end)?,
            Rc::new(RefCell::new(protocol)),
        )?;
        let slot = fd as usize;
        self.inner.pipes[slot].replace(Some(pipe));
        self.inner.open_pipes[slot].set(true);
        Ok(())
    }

    /// The child's process id.
    pub fn get_pid(&self) -> u32 {
        self.inner.pid
    }

    /// The child's return code, once it has exited: its exit status, or
    /// `-N` if signal `N` killed it.
    pub fn get_returncode(&self) -> Option<i32> {
        self.inner.returncode.get()
    }

    /// The transport of the pipe on descriptor `fd` (0: stdin, 1: stdout,
    /// 2: stderr), if that stream is a pipe. Write to stdin's; pause and
    /// resume reading on the others.
    pub fn get_pipe_transport(&self, fd: i32) -> Option<Transport> {
        let slot = usize::try_from(fd).ok()?;
        self.inner.pipes.get(slot)?.borrow().clone()
    }

    // ANCHOR: send_signal
    /// Sends `signal` to the child (`libc::SIGINT`, say). Once the child has
    /// exited this does nothing, as in Python: its pid may belong to another
    /// process by now. Until then it can't, since only we reap the child.
    pub fn send_signal(&self, signal: i32) -> io::Result<()> {
        if self.inner.returncode.get().is_some() {
            return Ok(());
        }
        let pid = self.inner.pid as libc::pid_t;
        // SAFETY: `kill` takes any pid and signal number, and checks both.
        if unsafe { libc::kill(pid, signal) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        Err(match error.raw_os_error() {
            Some(libc::EINVAL) => io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{signal} is not a signal number; use one of libc's \
                     (libc::SIGTERM)"
                ),
            ),
            _ => error,
        })
    }
    // ANCHOR_END: send_signal

    /// Asks the child to stop (`SIGTERM`).
    pub fn terminate(&self) -> io::Result<()> {
        self.send_signal(libc::SIGTERM)
    }

    /// Stops the child at once (`SIGKILL`).
    pub fn kill(&self) -> io::Result<()> {
        self.send_signal(libc::SIGKILL)
    }

    /// Closes the pipes and kills the child if it still runs, as asyncio's
    /// `close` does. The child is reaped, and `connection_lost` follows.
    pub fn close(&self) {
        if self.inner.closed.replace(true) {
            return;
        }
        self.close_pipes();
        if self.inner.returncode.get().is_none() {
            logging::debug!(
                "aio.subprocess",
                "closing the transport of child {} ({}), which still runs: \
                 killing it",
                self.inner.pid,
                self.inner.command_line
            );
            let _ = self.kill();
        }
    }

    /// Closes every pipe, leaving the child running.
    pub(crate) fn close_pipes(&self) {
        for pipe in &self.inner.pipes {
            let pipe = pipe.borrow().clone();
            if let Some(pipe) = pipe {
                pipe.close();
            }
        }
    }

    /// Whether `close` has been called.
    pub fn is_closing(&self) -> bool {
        self.inner.closed.get()
    }

    // ANCHOR: wait
    /// Waits until the child has exited and all its pipes have closed, and
    /// gives its return code (asyncio's `Process.wait`).
    pub async fn wait(&self) -> i32 {
        poll_fn(|cx| match self.inner.returncode.get() {
            Some(returncode) if self.inner.finished.get() => {
                Poll::Ready(returncode)
            }
            _ => {
                self.inner.exit_waiters.borrow_mut().push(cx.waker().clone());
                awaiting::note(|| WaitingOn::Io("the child process to exit"));
                Poll::Pending
            }
        })
        .await
    }
    // ANCHOR_END: wait

    /// Calls one protocol method, `name`d for the log. A panic closes the
    /// transport.
    fn call(
        &self,
        name: &str,
        method: impl FnOnce(&mut dyn SubprocessProtocol),
    ) {
        self.inner.protocol.call(name, method, || self.close());
    }

    // ANCHOR: finish
    /// The exit watcher has reaped the child.
    fn process_exited(&self, returncode: i32) {
        self.inner.returncode.set(Some(returncode));
        self.call("protocol.process_exited()", |protocol| {
            protocol.process_exited()
        });
        self.try_finish();
    }

    /// The pipe of descriptor `fd` has closed.
    fn pipe_lost(&self, fd: i32, error: Option<io::Error>) {
        self.call("protocol.pipe_connection_lost()", |protocol| {
            protocol.pipe_connection_lost(fd, error)
        });
        self.inner.open_pipes[fd as usize].set(false);
        self.try_finish();
    }

    /// Once the child has exited and every pipe has closed: the end.
    fn try_finish(&self) {
        let inner = &*self.inner;
        let pipes_open = inner.open_pipes.iter().any(Cell::get);
        if inner.finished.get()
            || inner.returncode.get().is_none()
            || pipes_open
        {
            return;
        }
        // Not closing, though: that is `close`'s to say (asyncio's
        // `is_closing()` stays false after the end too).
        inner.finished.set(true);
        inner
            .protocol
            .end(None, |protocol, error| protocol.connection_lost(error));
        for waiter in inner.exit_waiters.take() {
            waiter.wake();
        }
    }
    // ANCHOR_END: finish
}

impl fmt::Debug for SubprocessTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubprocessTransport")
            .field("pid", &self.inner.pid)
            .field("command", &self.inner.command_line)
            .field("returncode", &self.inner.returncode.get())
            .finish()
    }
}

// ANCHOR: pipe_protocol
/// The protocol of one pipe transport: it tells the subprocess protocol
/// what happened, and on which descriptor (asyncio's
/// `ReadSubprocessPipeProto` and `WriteSubprocessPipeProto`).
struct PipeProtocol {
    fd: i32,
    subprocess: SubprocessTransport,
}

impl Protocol for PipeProtocol {
    fn data_received(&mut self, data: &[u8]) {
        let fd = self.fd;
        self.subprocess.call("protocol.pipe_data_received()", |protocol| {
            protocol.pipe_data_received(fd, data)
        });
    }

    fn eof_received(&mut self) -> bool {
        false // the pipe is done: close it
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        self.subprocess.pipe_lost(self.fd, error);
    }

    fn pause_writing(&mut self) {
        self.subprocess.call("protocol.pause_writing()", |protocol| {
            protocol.pause_writing()
        });
    }

    fn resume_writing(&mut self) {
        self.subprocess.call("protocol.resume_writing()", |protocol| {
            protocol.resume_writing()
        });
    }
}
// ANCHOR_END: pipe_protocol
