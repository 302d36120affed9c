//! Chapter 11 (subprocesses): learning that a child has exited, and reaping
//! it, without signals.
//!
//! A child that exits stays a zombie, its pid taken, until its parent reaps
//! it with `waitpid`. The loop must learn of the exit without blocking, and
//! chapter 12's signals are not here yet. Two ways work without them:
//!
//! - a *pidfd* (Linux 5.3): a descriptor for the child that becomes readable
//!   when it exits. It goes on the reactor like a socket, and its readiness
//!   wakes the task that reaps the child.
//! - a *thread* per child that blocks in `waitid` until the child exits, then
//!   wakes the loop (asyncio's `ThreadedChildWatcher`, and aio's fallback
//!   where there are no pidfds). It waits with `WNOWAIT`, which leaves the
//!   child a zombie: the loop reaps it, so the pid can't be reused while the
//!   loop still thinks it is the child's.
//!
//! Either way the watching is a task of its own, so a child whose
//! `Process` is dropped is still reaped (tokio keeps an "orphan queue" for
//! the same reason). If the loop closes first, the task's [`Unreaped`] guard
//! kills the child and reaps it, and says so.

use crate::ch01_coroutines::event_loop::get_running_loop;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::spawn::spawn_machinery;
use crate::ch07_protocols::reactor::{Direction, IoSource};
use crate::ch10_dns::worker::{ThreadAnswer, run_in_thread};
use crate::ch11_subprocess::options::ChildWatcher;
use std::future::poll_fn;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// The return code of a child whose status `waitpid` could not give: someone
/// else reaped it (asyncio reports 255 too).
const UNKNOWN_RETURNCODE: i32 = 255;

// ANCHOR: watch_exit
/// Watches child `pid` until it exits, then reaps it and calls `on_exit`
/// with its return code, from a task of its own.
pub(crate) fn watch_exit(
    pid: u32,
    command_line: &str,
    watcher: ChildWatcher,
    on_exit: impl FnOnce(i32) + 'static,
) -> io::Result<()> {
    let mut child = Unreaped {
        pid: pid as libc::pid_t,
        command_line: command_line.to_owned(),
        reaped: false,
    };
    let exit = ExitNotice::new(child.pid, watcher)?;
    spawn_machinery(async move {
        let returncode = exit.wait(&mut child).await;
        on_exit(returncode);
    })
    .map_err(io::Error::other)?;
    Ok(())
}
// ANCHOR_END: watch_exit

/// How the loop will hear of one child's exit.
enum ExitNotice {
    /// The child's pidfd, on the reactor.
    Pidfd(IoSource<PidFd>),
    /// A thread's answer, once the child has exited (not yet reaped).
    Thread(ThreadAnswer<io::Result<()>>),
}

impl ExitNotice {
    /// The chosen watcher, or the thread where there are no pidfds.
    fn new(pid: libc::pid_t, watcher: ChildWatcher) -> io::Result<ExitNotice> {
        if watcher == ChildWatcher::Pidfd {
            match PidFd::open(pid) {
                Ok(pidfd) => {
                    return Ok(ExitNotice::Pidfd(IoSource::new(pidfd)?));
                }
                Err(error) => logging::debug!(
                    "aio.subprocess",
                    "no pidfd for child {pid} ({error}); a thread waits for \
                     it instead"
                ),
            }
        }
        let waiting = run_in_thread("aio-child-watcher", move || {
            wait_without_reaping(pid)
        })?;
        Ok(ExitNotice::Thread(waiting))
    }

    // ANCHOR: wait_exit
    /// Waits for the exit, reaps the child, and gives its return code.
    async fn wait(self, child: &mut Unreaped) -> i32 {
        let pid = child.pid;
        let reaped = match self {
            ExitNotice::Pidfd(pidfd) => {
                // A child's exit is an answer owed to the loop: the virtual
                // clock must not jump past a timer it could beat.
                let _owed = get_running_loop().ok().map(|l| l.owe_answer());
                poll_fn(|cx| {
                    pidfd.poll_io(Direction::Read, cx, |_| {
                        match try_reap(pid) {
                            Ok(None) => Err(io::ErrorKind::WouldBlock.into()),
                            other => other,
                        }
                    })
                })
                .await
            }
            ExitNotice::Thread(exited) => match exited.await {
                Ok(Ok(())) => try_reap(pid),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(io::Error::other("the watcher thread failed")),
            },
        };
        child.reaped = true;
        match reaped {
            Ok(Some(returncode)) => returncode,
            Ok(None) | Err(_) => {
                logging::warn!(
                    "aio.subprocess",
                    "child {pid} ({}) was reaped by someone else (is there \
                     a SIGCHLD handler that calls waitpid?); its return code \
                     is unknown, reported as {UNKNOWN_RETURNCODE}",
                    child.command_line
                );
                UNKNOWN_RETURNCODE
            }
        }
    }
    // ANCHOR_END: wait_exit
}

// ANCHOR: unreaped
/// A child that has not been reaped yet. Dropped so (its loop closed, or
/// the watching task was cancelled), it kills the child and reaps it,
/// saying so: no zombie is left behind.
struct Unreaped {
    pid: libc::pid_t,
    command_line: String,
    reaped: bool,
}

impl Drop for Unreaped {
    fn drop(&mut self) {
        if self.reaped || matches!(try_reap(self.pid), Ok(Some(_))) {
            return; // it had exited: reaping it was all there was to do
        }
        logging::warn!(
            "aio.subprocess",
            "child {} ({}) was still running when its loop stopped watching \
             it (the loop closed); killing and reaping it (wait for \
             children before the loop ends, or kill them)",
            self.pid,
            self.command_line
        );
        // SAFETY: `kill` takes any pid and signal; the pid is our unreaped
        // child's, so it can't belong to anyone else.
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
        let _ = reap_blocking(self.pid);
    }
}
// ANCHOR_END: unreaped

// ANCHOR: reap
/// Reaps child `pid` if it has exited: its return code, or `None` while it
/// runs.
fn try_reap(pid: libc::pid_t) -> io::Result<Option<i32>> {
    waitpid(pid, libc::WNOHANG)
}

/// Waits for child `pid` to exit, and reaps it.
fn reap_blocking(pid: libc::pid_t) -> io::Result<Option<i32>> {
    waitpid(pid, 0)
}

fn waitpid(pid: libc::pid_t, flags: libc::c_int) -> io::Result<Option<i32>> {
    let mut status = 0;
    loop {
        // SAFETY: `status` is a valid place for the status to be written.
        match unsafe { libc::waitpid(pid, &mut status, flags) } {
            0 => return Ok(None),
            reaped if reaped == pid => return Ok(Some(returncode(status))),
            _ => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
}

/// asyncio's return code: the exit status, or `-N` for a child that signal
/// `N` killed.
pub(crate) fn returncode(status: libc::c_int) -> i32 {
    let status = ExitStatus::from_raw(status);
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => -signal,
        (None, None) => UNKNOWN_RETURNCODE,
    }
}
// ANCHOR_END: reap

/// Blocks until child `pid` has exited, leaving it to be reaped (the
/// watcher thread's one call).
fn wait_without_reaping(pid: libc::pid_t) -> io::Result<()> {
    loop {
        // SAFETY: an all-zero `siginfo_t` is a valid value for it.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let flags = libc::WEXITED | libc::WNOWAIT;
        // SAFETY: `info` is a valid place for waitid to write to.
        let done = unsafe {
            libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, flags)
        };
        if done == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

// ANCHOR: pidfd
/// A pidfd: a descriptor that refers to one process, and becomes readable
/// when it exits.
struct PidFd {
    fd: OwnedFd,
    pid: libc::pid_t,
}

impl PidFd {
    /// The pidfd of our child `pid`. Opening it after the child has started
    /// is safe: until we reap it, the pid can be no one else's.
    fn open(pid: libc::pid_t) -> io::Result<PidFd> {
        // SAFETY: pidfd_open takes a pid and flags, and returns a new
        // descriptor (close-on-exec) or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd as libc::c_int) };
        Ok(PidFd { fd, pid })
    }
}
// ANCHOR_END: pidfd

impl std::fmt::Debug for PidFd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the pidfd of child {}", self.pid)
    }
}

impl mio::event::Source for PidFd {
    fn register(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        let fd = self.fd.as_raw_fd();
        mio::unix::SourceFd(&fd).register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        let fd = self.fd.as_raw_fd();
        mio::unix::SourceFd(&fd).reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        mio::unix::SourceFd(&self.fd.as_raw_fd()).deregister(registry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_gives_a_negative_return_code_as_in_asyncio() {
        // Wait statuses as the kernel encodes them: exit code in the second
        // byte, terminating signal in the low seven bits.
        assert_eq!(returncode(3 << 8), 3);
        assert_eq!(returncode(libc::SIGKILL), -libc::SIGKILL);
        assert_eq!(returncode(0), 0);
    }
}
