//! Chapter 11 (subprocesses): what to run a child with: asyncio's `Popen`
//! keyword arguments (`stdin`, `stdout`, `stderr`, `cwd`, `env`), as a
//! builder, plus tokio's `kill_on_drop` and the choice of child watcher.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// Where one of the child's standard streams goes (`subprocess.PIPE`,
/// `None`, `DEVNULL`, `STDOUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stdio {
    /// A pipe to or from this process, read and written on the loop.
    Pipe,
    /// The same file as this process's own stream.
    Inherit,
    /// The null device: reads give EOF, writes vanish.
    Null,
    /// For `stderr` only: wherever `stdout` goes (`subprocess.STDOUT`).
    Stdout,
}

/// How the loop learns that a child has exited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildWatcher {
    /// A pidfd (Linux 5.3 and later) registered with the reactor: it becomes
    /// readable when the child exits. Where the kernel has no pidfds, this
    /// falls back to [`ChildWatcher::Thread`].
    Pidfd,
    /// A thread per child that waits for it to exit (asyncio's
    /// `ThreadedChildWatcher`), then wakes the loop.
    Thread,
}

impl ChildWatcher {
    /// The watcher used when none is chosen: `Thread` when the environment
    /// says `AIO_CHILD_WATCHER=thread`, otherwise `Pidfd`.
    pub fn from_environment() -> ChildWatcher {
        match std::env::var_os("AIO_CHILD_WATCHER") {
            Some(value) if value == "thread" => ChildWatcher::Thread,
            _ => ChildWatcher::Pidfd,
        }
    }
}

/// How to start a child: its standard streams, working directory and
/// environment, and what to do if its [`Process`](crate::Process) is
/// dropped while it runs.
///
/// A stream left unset is a pipe for `subprocess_exec` and inherited for
/// `create_subprocess_exec`, as in asyncio.
#[derive(Debug, Clone, Default)]
pub struct ProcessOptions {
    pub(crate) stdin: Option<Stdio>,
    pub(crate) stdout: Option<Stdio>,
    pub(crate) stderr: Option<Stdio>,
    pub(crate) cwd: Option<PathBuf>,
    /// Changes to the inherited environment, in order: `None` removes.
    pub(crate) env: Vec<(OsString, Option<OsString>)>,
    pub(crate) env_clear: bool,
    pub(crate) kill_on_drop: bool,
    pub(crate) child_watcher: Option<ChildWatcher>,
    pub(crate) limit: Option<usize>,
}

impl ProcessOptions {
    /// Every option at its default.
    pub fn new() -> ProcessOptions {
        ProcessOptions::default()
    }

    /// Where the child's standard input comes from.
    pub fn stdin(mut self, stdin: Stdio) -> ProcessOptions {
        self.stdin = Some(stdin);
        self
    }

    /// Where the child's standard output goes.
    pub fn stdout(mut self, stdout: Stdio) -> ProcessOptions {
        self.stdout = Some(stdout);
        self
    }

    /// Where the child's standard error goes ([`Stdio::Stdout`]: with its
    /// output).
    pub fn stderr(mut self, stderr: Stdio) -> ProcessOptions {
        self.stderr = Some(stderr);
        self
    }

    /// The child's working directory.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> ProcessOptions {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Sets one environment variable for the child.
    pub fn env(
        mut self,
        key: impl AsRef<OsStr>,
        value: impl AsRef<OsStr>,
    ) -> ProcessOptions {
        let value = Some(value.as_ref().to_owned());
        self.env.push((key.as_ref().to_owned(), value));
        self
    }

    /// Removes one environment variable for the child.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> ProcessOptions {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// Starts the child with an empty environment (then `env` adds to it).
    pub fn env_clear(mut self) -> ProcessOptions {
        self.env_clear = true;
        self.env.clear();
        self
    }

    /// Kills the child (`SIGKILL`) if its `Process` is dropped while it
    /// runs (tokio's option). Either way the child is reaped.
    pub fn kill_on_drop(mut self, kill: bool) -> ProcessOptions {
        self.kill_on_drop = kill;
        self
    }

    /// How the loop learns that the child exited.
    pub fn child_watcher(mut self, watcher: ChildWatcher) -> ProcessOptions {
        self.child_watcher = Some(watcher);
        self
    }

    /// The buffer limit of the process's stream readers (asyncio's `limit`;
    /// 64 KiB by default).
    pub fn limit(mut self, limit: usize) -> ProcessOptions {
        self.limit = Some(limit);
        self
    }
}
