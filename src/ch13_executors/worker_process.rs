//! Chapter 13 (executors): one worker process, seen from the pool: started
//! by running this program again, asked one call at a time, and reaped.
//!
//! The worker gets two pipes of its own, requests in and replies out; the
//! pool passes their numbers on the command line, after
//! `--aio-process-pool-worker`. Every other descriptor of ours is
//! close-on-exec, so no worker holds a pipe of another (which would keep
//! that one from ever reading end-of-file). Between `fork` and `exec` the
//! child also asks the kernel to kill it when its parent dies
//! (`PR_SET_PDEATHSIG`): a worker never outlives the pool's process, even
//! one killed with `SIGKILL`.
//!
//! A worker that never says hello is not serving: its program runs its
//! own `main` instead of calling `serve_if_worker`. After the start
//! timeout (10 seconds unless the pool's builder says otherwise) the pool
//! kills it and says what to fix.

use crate::ch12_signals::signal::Signal;
use crate::ch13_executors::executor_error::ExecutorError;
use crate::ch13_executors::pool_frames::{
    Reply, read_hello, read_reply, write_request,
};
use crate::ch13_executors::worker_serve::WORKER_FLAG;
use std::collections::BTreeSet;
use std::io::{self, BufReader, PipeReader, PipeWriter};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a new worker has to say hello before the pool gives up on it.
pub(crate) const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(10);

/// The pids of a pool's worker processes that have not been reaped yet.
#[derive(Debug, Default)]
pub(crate) struct LiveWorkers {
    pids: Mutex<BTreeSet<u32>>,
    /// Signalled when a worker is reaped.
    reaped: Condvar,
}

impl LiveWorkers {
    fn lock(&self) -> MutexGuard<'_, BTreeSet<u32>> {
        self.pids.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The pids, smallest first.
    pub(crate) fn pids(&self) -> Vec<u32> {
        self.lock().iter().copied().collect()
    }

    /// Returns once every worker has been reaped.
    pub(crate) fn wait_until_none(&self) {
        let mut pids = self.lock();
        while !pids.is_empty() {
            pids = self
                .reaped
                .wait(pids)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn add(&self, pid: u32) {
        self.lock().insert(pid);
    }

    fn remove(&self, pid: u32) {
        self.lock().remove(&pid);
        self.reaped.notify_all();
    }
}

/// A worker process that said hello, and our ends of its pipes.
#[derive(Debug)]
pub(crate) struct WorkerProcess {
    child: Child,
    /// `None` once closed: the worker reads end-of-file and exits.
    pipes: Option<Pipes>,
    live: Arc<LiveWorkers>,
}

/// Our ends of a worker's two pipes.
#[derive(Debug)]
struct Pipes {
    requests: PipeWriter,
    replies: BufReader<PipeReader>,
}

impl WorkerProcess {
    // ANCHOR: start
    /// Starts a worker and waits for its hello, for `start_timeout` at
    /// most.
    pub(crate) fn start(
        live: &Arc<LiveWorkers>,
        start_timeout: Duration,
    ) -> Result<WorkerProcess, ExecutorError> {
        let (child, requests, replies) =
            spawn_worker().map_err(ExecutorError::Spawn)?;
        live.add(child.id());
        let replies = BufReader::new(replies);
        let mut worker = WorkerProcess {
            child,
            pipes: Some(Pipes { requests, replies }),
            live: Arc::clone(live),
        };
        worker.await_hello(start_timeout)?;
        Ok(worker)
    }
    // ANCHOR_END: start

    /// The worker's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    // ANCHOR: call
    /// Runs one call in the worker, blocking until it replies. An error
    /// means the worker is gone, or no longer to be trusted: give it to
    /// [`WorkerProcess::died`].
    pub(crate) fn call(
        &mut self,
        function: &str,
        argument: &[u8],
    ) -> io::Result<Reply> {
        let pipes = self.pipes.as_mut().ok_or(io::ErrorKind::BrokenPipe)?;
        write_request(&mut pipes.requests, function, argument)?;
        read_reply(&mut pipes.replies)?
            .ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }

    /// Reaps a worker whose `call` failed, and says how it ended.
    pub(crate) fn died(mut self, function: &str, failure: io::Error) -> String {
        let pid = self.pid();
        // Killing it first means a worker that closed its pipe but lives on
        // cannot hang us; one that has died keeps the status it died with.
        let how = self.stop();
        let how = match failure.kind() {
            // It closed its end: it exited, or was killed.
            io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe => how,
            _ => {
                format!("sent a bad reply ({failure}), so the pool killed it,")
            }
        };
        format!("the worker process {pid} {how} while running `{function}`")
    }
    // ANCHOR_END: call

    /// Waits for the hello, or says why the program is not serving.
    fn await_hello(&mut self, timeout: Duration) -> Result<(), ExecutorError> {
        let Some(pipes) = self.pipes.as_mut() else {
            return Err(not_serving("was gone before it said hello"));
        };
        let fd = pipes.replies.get_ref().as_raw_fd();
        let hello = match wait_readable(fd, timeout) {
            Ok(true) => read_hello(&mut pipes.replies),
            Ok(false) => {
                self.stop();
                return Err(not_serving(&format!(
                    "did not say hello within {timeout:?} (the pool killed it)"
                )));
            }
            Err(error) => Err(error),
        };
        let what_happened = match hello {
            Ok(Some(pid)) if pid == self.pid() => return Ok(()),
            Ok(Some(pid)) => format!("said hello as pid {pid}"),
            Ok(None) => {
                return Err(not_serving(&format!(
                    "{} before saying hello",
                    self.reap()
                )));
            }
            Err(error) => format!("answered {error} instead of a hello"),
        };
        self.stop();
        Err(not_serving(&format!("{what_happened} (the pool killed it)")))
    }

    /// Kills the worker and reaps it. A worker that has died already (a
    /// zombie) keeps the status it died with.
    fn stop(&mut self) -> String {
        // Fails only if it has been reaped already, which `wait` tells.
        let _ = self.child.kill();
        self.reap()
    }

    /// Closes the pipes, waits for the worker to end, and says how it did.
    /// Its pid leaves `live` last, once nothing of it is left open.
    fn reap(&mut self) -> String {
        self.pipes = None;
        let how = match self.child.wait() {
            Ok(status) => how_it_ended(status),
            Err(error) => format!("could not be waited for ({error})"),
        };
        self.live.remove(self.child.id());
        how
    }
}

// ANCHOR: drop
impl Drop for WorkerProcess {
    /// Closes the pipes, so the worker reads end-of-file and exits, and
    /// reaps it: no zombie is left. (`wait` again after `died` just gives
    /// the status it already has.)
    fn drop(&mut self) {
        self.reap();
    }
}
// ANCHOR_END: drop

/// Why a job fails when the program does not serve as a worker.
fn not_serving(what_happened: &str) -> ExecutorError {
    let program = std::env::current_exe().map_or_else(
        |_| "this program".into(),
        |path| path.display().to_string(),
    );
    ExecutorError::Worker(format!(
        "the process-pool worker ({program}) {what_happened}: its program \
         does not serve jobs; call `PoolFunctions::serve_if_worker()` first \
         thing in `main`"
    ))
}

/// "exited with status 3", "was killed by SIGKILL".
fn how_it_ended(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(number)) => {
            format!("was killed by {}", Signal::from_raw(number).name())
        }
        (None, None) => format!("ended ({status})"),
    }
}

// ANCHOR: spawn_worker
/// Runs this program again as a worker, with its two pipes.
fn spawn_worker() -> io::Result<(Child, PipeWriter, PipeReader)> {
    // Both pipes are close-on-exec; the child clears the flag on its ends.
    let (requests_in, requests) = io::pipe()?;
    let (replies, replies_out) = io::pipe()?;
    let theirs = [requests_in.as_raw_fd(), replies_out.as_raw_fd()];
    let parent = std::process::id();
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg(WORKER_FLAG)
        .arg(theirs[0].to_string())
        .arg(theirs[1].to_string());
    // SAFETY: `in_child` makes only async-signal-safe calls (fcntl, prctl,
    // getppid) and allocates nothing, as code between fork and exec must.
    unsafe { command.pre_exec(move || in_child(theirs, parent)) };
    let child = command.spawn()?;
    // The child has its copies; ours must go, or the worker would never
    // read end-of-file on its requests.
    drop((requests_in, replies_out));
    Ok((child, requests, replies))
}

/// Between fork and exec, in the child: keep the two pipe ends open across
/// exec, and die with the parent.
fn in_child(fds: [RawFd; 2], parent: u32) -> io::Result<()> {
    for fd in fds {
        // SAFETY: F_SETFD on an fd we own; 0 clears FD_CLOEXEC only.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes only this
    // process. The signal comes when the thread that forked us exits, which
    // is why a worker is started by the pool thread that owns it.
    let set = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    if set == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: getppid cannot fail.
    if unsafe { libc::getppid() } as u32 != parent {
        // The parent died before the prctl took hold: no one will kill us.
        return Err(io::Error::from_raw_os_error(libc::ESRCH));
    }
    Ok(())
}
// ANCHOR_END: spawn_worker

/// Waits until `fd` can be read (or is closed); `false` after `timeout`.
fn wait_readable(fd: RawFd, timeout: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut poll_fd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        let millis = left.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd, and its count is 1.
        match unsafe { libc::poll(&mut poll_fd, 1, millis) } {
            -1 => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
            0 if left.is_zero() => return Ok(false),
            0 => {}
            _ => return Ok(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ending_is_said_in_words() {
        let exited = ExitStatus::from_raw(3 << 8);
        assert_eq!(how_it_ended(exited), "exited with status 3");
        let killed = ExitStatus::from_raw(libc::SIGKILL);
        assert_eq!(how_it_ended(killed), "was killed by SIGKILL");
    }

    #[test]
    fn a_pipe_that_stays_quiet_times_out_and_one_that_closes_is_readable() {
        let (reader, writer) = io::pipe().unwrap();
        let fd = reader.as_raw_fd();
        assert!(!wait_readable(fd, Duration::ZERO).unwrap());
        drop(writer);
        assert!(wait_readable(fd, Duration::from_secs(60)).unwrap());
    }

    /// The unit-test binary does not serve, so its worker runs the tests
    /// again (filtered to nothing by the worker's arguments) and exits:
    /// the job fails with the error that says what to call.
    #[test]
    fn a_program_that_does_not_serve_is_told_what_to_call() {
        let live = Arc::new(LiveWorkers::default());
        let error =
            WorkerProcess::start(&live, DEFAULT_START_TIMEOUT).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("serve_if_worker()"), "{message}");
        assert!(live.pids().is_empty(), "reaped: {:?}", live.pids());
    }
}
