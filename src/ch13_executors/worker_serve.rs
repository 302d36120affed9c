//! Chapter 13 (executors): the worker's side of a process pool: a program
//! started with `--aio-process-pool-worker` says hello, then answers
//! requests until the pool closes its pipe, and exits.
//!
//! The pool passes the two pipe ends by number on the command line (it
//! cleared their close-on-exec flag in the child, and only there). Each
//! call runs under `catch_unwind`, so a panicking job fails that one job
//! and the worker serves on, as a thread-pool thread does.

use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::logging::error;
use crate::ch13_executors::pool_frames::{
    Reply, read_request, write_hello, write_reply,
};
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// `argv[1]` of a worker, as Python's spawn start method passes
/// `--multiprocessing-fork`.
pub(crate) const WORKER_FLAG: &str = "--aio-process-pool-worker";

/// Runs the function named by a request on its encoded argument.
pub(crate) type RunByName<'a> = &'a dyn Fn(&str, &[u8]) -> Reply;

/// Whether this process was started as a pool worker.
pub(crate) fn is_worker() -> bool {
    std::env::args_os().nth(1).is_some_and(|flag| flag == WORKER_FLAG)
}

// ANCHOR: serve_if_worker
/// In a worker: serves until the pool closes the pipe, then exits the
/// process. Elsewhere: returns at once.
pub(crate) fn serve_if_worker(run: RunByName<'_>) {
    if !is_worker() {
        return;
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let status = match pipe_fds(&args) {
        Ok((requests, replies)) => match serve_fds(requests, replies, run) {
            Ok(()) => 0,
            Err(failure) => {
                error!("aio.process_pool", "worker: {failure}");
                1
            }
        },
        Err(message) => {
            error!("aio.process_pool", "worker: {message}");
            2
        }
    };
    std::process::exit(status);
}
// ANCHOR_END: serve_if_worker

/// The request and reply fds from `[program, flag, requests, replies]`.
fn pipe_fds(args: &[OsString]) -> Result<(RawFd, RawFd), String> {
    let number = |index: usize| {
        args.get(index)
            .and_then(|arg| arg.to_str())
            .and_then(|arg| arg.parse::<RawFd>().ok())
            .filter(|fd| *fd > 2)
    };
    match (number(2), number(3)) {
        (Some(requests), Some(replies)) if requests != replies => {
            Ok((requests, replies))
        }
        _ => Err(format!(
            "`{WORKER_FLAG}` wants two pipe numbers after it, got {:?}; \
             only a process pool starts workers",
            &args[2.min(args.len())..]
        )),
    }
}

/// Takes the two fds and serves on them.
fn serve_fds(
    requests: RawFd,
    replies: RawFd,
    run: RunByName<'_>,
) -> io::Result<()> {
    for fd in [requests, replies] {
        // SAFETY: fcntl(F_GETFD) only asks whether `fd` is open.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    // SAFETY: the pool opened these two pipe ends for this worker alone
    // and passed their numbers; nothing else in the process owns them.
    let (requests, replies) =
        unsafe { (File::from_raw_fd(requests), File::from_raw_fd(replies)) };
    serve(BufReader::new(requests), replies, run)
}

// ANCHOR: serve
/// Says hello, then answers each request, until the requests end.
pub(crate) fn serve(
    mut requests: impl Read,
    mut replies: impl Write,
    run: RunByName<'_>,
) -> io::Result<()> {
    write_hello(&mut replies, std::process::id())?;
    while let Some((function, argument)) = read_request(&mut requests)? {
        let reply =
            catch_unwind(AssertUnwindSafe(|| run(&function, &argument)))
                .unwrap_or_else(|payload| {
                    Reply::Panicked(panic_message(&*payload))
                });
        write_reply(&mut replies, &reply)?;
    }
    Ok(())
}
// ANCHOR_END: serve

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch13_executors::pool_frames::{
        read_hello, read_reply, write_request,
    };

    fn double_or_panic(function: &str, argument: &[u8]) -> Reply {
        match function {
            "double" => Reply::Returned(argument.repeat(2)),
            "panic" => panic!("asked to panic"),
            other => Reply::UnknownFunction(other.into()),
        }
    }

    #[test]
    fn a_worker_says_hello_then_answers_each_request_in_turn() {
        let mut requests = Vec::new();
        write_request(&mut requests, "double", &[1, 2]).unwrap();
        write_request(&mut requests, "panic", &[]).unwrap();
        write_request(&mut requests, "nothing", &[]).unwrap();
        write_request(&mut requests, "double", &[3]).unwrap();
        let mut replies = Vec::new();
        serve(requests.as_slice(), &mut replies, &double_or_panic).unwrap();

        let mut replies = replies.as_slice();
        let hello = read_hello(&mut replies).unwrap();
        assert_eq!(hello, Some(std::process::id()));
        let mut next = || read_reply(&mut replies).unwrap();
        assert_eq!(next(), Some(Reply::Returned(vec![1, 2, 1, 2])));
        assert_eq!(next(), Some(Reply::Panicked("asked to panic".into())));
        assert_eq!(next(), Some(Reply::UnknownFunction("nothing".into())));
        assert_eq!(next(), Some(Reply::Returned(vec![3, 3])));
        assert_eq!(next(), None);
    }

    #[test]
    fn a_worker_wants_two_distinct_pipe_numbers() {
        let args = |list: &[&str]| -> Vec<OsString> {
            list.iter().map(OsString::from).collect()
        };
        let good = args(&["prog", WORKER_FLAG, "5", "7"]);
        assert_eq!(pipe_fds(&good), Ok((5, 7)));
        for bad in [
            &["prog", WORKER_FLAG][..],
            &["prog", WORKER_FLAG, "5"],
            &["prog", WORKER_FLAG, "5", "5"],
            &["prog", WORKER_FLAG, "1", "7"],
            &["prog", WORKER_FLAG, "x", "7"],
        ] {
            let message = pipe_fds(&args(bad)).unwrap_err();
            assert!(message.contains("only a process pool"), "{message}");
        }
    }
}
