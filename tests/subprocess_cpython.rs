//! Chapter 11 against CPython's own tests of asyncio's subprocesses
//! (`Lib/test/test_asyncio/test_subprocess.py`, and the subprocess tests of
//! `test_events.py`): each test here ports one of them to aio, and its doc
//! comment names it. Where aio does something else on purpose, the comment
//! says so and the test asserts what aio does.
//!
//! Not ported, and why:
//! - `test_start_new_session`, `test_subprocess_wait_no_same_group`: aio has
//!   no `start_new_session` option.
//! - `test_stdin_stdout_file`, `test_stdin_stderr_file`: aio's `Stdio` has
//!   no file (a pipe, inherit, the null device, or stderr to stdout).
//! - `test_create_subprocess_exec_text_mode_fails` and its shell twin: aio
//!   has no text mode to refuse. Pipes carry bytes (`&[u8]` in, `Vec<u8>`
//!   out), and no option asks for text, so there is nothing to test.
//! - `test_subprocess_exec_invalid_args`' `universal_newlines`, `bufsize`
//!   and `shell` keywords: none of them exist; the port checks bad programs
//!   and arguments instead.
//! - `test_popen_error`: it makes `Popen` raise with a mock, which aio's
//!   spawning can't be made to; `test_popen_error_with_stdin_pipe` is
//!   ported with a program that can't start. (`test_proc_exited` and
//!   `test_subprocess_repr` drive a mock transport too; they are ported on
//!   a real child.)
//! - `test_create_subprocess_fails_with_inactive_watcher`: aio's watchers
//!   are not objects a user attaches, so none can be inactive.
//!
//! As in `tests/subprocess.rs`, every test checks that it left nothing
//! behind (no descriptor open, no zombie), and the tests run one at a time.

mod common;
#[path = "support/children.rs"]
mod children;

use aio::{
    ChildWatcher, ProcessOptions, SpawnReason, Stdio, SubprocessProtocol,
    SubprocessTransport,
};
use children::{WATCHERS, exists, leaves_nothing_behind, serial};
use common::CapturedLog;
use std::cell::{Cell, RefCell};
use std::io;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

/// CPython's `PROGRAM_CAT`: copies its input to its output.
const PROGRAM_CAT: [&str; 2] =
    ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"];

/// Prints how many characters its input had (CPython's `len_message`).
const PROGRAM_LEN: [&str; 2] =
    ["-c", "import sys; data = sys.stdin.read(); print(len(data))"];

const PYTHON: &str = "python3";

fn piped() -> ProcessOptions {
    ProcessOptions::new()
        .stdin(Stdio::Pipe)
        .stdout(Stdio::Pipe)
        .stderr(Stdio::Pipe)
}

fn with_watcher(watcher: ChildWatcher) -> ProcessOptions {
    ProcessOptions::new().child_watcher(watcher)
}

/// Waits (a hang guard of ten seconds) until `done`, letting the loop run.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..1000 {
        if done() {
            return;
        }
        aio::sleep(Duration::from_millis(10)).await;
    }
    panic!("never happened: {what}");
}

/// What a subprocess protocol hears, in order. Consecutive pieces of data
/// on one descriptor are one event.
#[derive(Debug, Default, Clone)]
struct Events(Rc<RefCell<Vec<String>>>);

impl Events {
    fn push(&self, event: String) {
        let mut events = self.0.borrow_mut();
        if events.last() != Some(&event) || !event.starts_with("data") {
            events.push(event);
        }
    }

    fn all(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

#[derive(Debug, Default)]
struct Recorder {
    events: Events,
    output: [Vec<u8>; 3],
}

impl SubprocessProtocol for Recorder {
    fn connection_made(&mut self, _: SubprocessTransport) {
        self.events.push("connection_made".into());
    }
    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        self.output[fd as usize].extend_from_slice(data);
        self.events.push(format!("data {fd}"));
    }
    fn pipe_connection_lost(&mut self, fd: i32, error: Option<io::Error>) {
        let error = error.map(|error| error.kind());
        self.events.push(format!("pipe_connection_lost {fd} {error:?}"));
    }
    fn process_exited(&mut self) {
        self.events.push("process_exited".into());
    }
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let error = error.map(|error| error.kind());
        self.events.push(format!("connection_lost {error:?}"));
    }
    fn pause_writing(&mut self) {
        self.events.push("pause_writing".into());
    }
    fn resume_writing(&mut self) {
        self.events.push("resume_writing".into());
    }
}

/// The warnings and errors the runtime logged.
fn complaints(log: &CapturedLog) -> Vec<String> {
    log.records()
        .into_iter()
        .filter(|(level, _)| {
            matches!(level, aio::Level::Warn | aio::Level::Error)
        })
        .map(|(_, message)| message)
        .collect()
}

/// CPython: test_proc_exited and test_subprocess_repr, on a real child
/// rather than a mock: after the exit the protocol has heard
/// `process_exited` and `connection_lost(None)`, the transport is not
/// closing (nobody closed it), and `Debug` shows the return code. Signals
/// to the exited child are a deliberate difference: asyncio's transport
/// raises `ProcessLookupError`, aio's does nothing (its pid may be someone
/// else's by now), as `subprocess.Popen.send_signal` does.
#[test]
fn test_proc_exited() {
    let _serial = serial();
    for watcher in WATCHERS {
        let events = leaves_nothing_behind(async move {
            let none = with_watcher(watcher)
                .stdin(Stdio::Null)
                .stdout(Stdio::Null)
                .stderr(Stdio::Null);
            let (transport, protocol) =
                aio::subprocess_shell(Recorder::default(), "exit 6", none)
                    .await
                    .unwrap();
            let pid = transport.get_pid();
            assert!(format!("{transport:?}").contains(&pid.to_string()));
            assert_eq!(transport.wait().await, 6);
            assert_eq!(transport.get_returncode(), Some(6));
            assert!(!transport.is_closing(), "nobody closed it");
            assert!(format!("{transport:?}").contains("returncode: Some(6)"));
            transport.send_signal(libc::SIGTERM).unwrap();
            transport.terminate().unwrap();
            transport.kill().unwrap();
            transport.close();
            assert!(transport.is_closing());
            protocol.borrow().events.all()
        });
        assert_eq!(
            events,
            ["connection_made", "process_exited", "connection_lost None"],
            "{watcher:?}"
        );
    }
}

/// CPython: test_stdin_stdout (write, drain, close stdin; read stdout to
/// the end; wait).
#[test]
fn test_stdin_stdout() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (code, output) = leaves_nothing_behind(async move {
            let options = piped().child_watcher(watcher);
            let mut process =
                aio::create_subprocess_exec("cat", [] as [&str; 0], options)
                    .await
                    .unwrap();
            let stdin = process.stdin.take().unwrap();
            stdin.write(b"some data").unwrap();
            stdin.drain().await.unwrap();
            stdin.close();
            let output =
                process.stdout.take().unwrap().read_to_end().await.unwrap();
            (process.wait().await, output)
        });
        assert_eq!(code, 0, "{watcher:?}");
        assert_eq!(output, b"some data");
    }
}

/// CPython: test_communicate (with CPython's own cat, in Python).
#[test]
fn test_communicate() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (code, output) = leaves_nothing_behind(async move {
            let options = piped().child_watcher(watcher);
            let mut process =
                aio::create_subprocess_exec(PYTHON, PROGRAM_CAT, options)
                    .await
                    .unwrap();
            let (output, _) =
                process.communicate(Some(b"some data")).await.unwrap();
            (process.returncode(), output.unwrap())
        });
        assert_eq!(code, Some(0), "{watcher:?}");
        assert_eq!(output, b"some data");
    }
}

/// CPython: test_communicate_none_input (no input still closes stdin, so
/// cat ends).
#[test]
fn test_communicate_none_input() {
    let _serial = serial();
    let (code, output) = leaves_nothing_behind(async {
        let mut process =
            aio::create_subprocess_exec("cat", [] as [&str; 0], piped())
                .await
                .unwrap();
        let (output, _) = process.communicate(None).await.unwrap();
        (process.returncode(), output.unwrap())
    });
    assert_eq!(code, Some(0));
    assert_eq!(output, b"");
}

/// CPython: test_shell.
#[test]
fn test_shell() {
    let _serial = serial();
    for watcher in WATCHERS {
        let code = leaves_nothing_behind(async move {
            let process =
                aio::create_subprocess_shell("exit 7", with_watcher(watcher))
                    .await
                    .unwrap();
            process.wait().await
        });
        assert_eq!(code, 7, "{watcher:?}");
    }
}

/// CPython: test_kill and test_terminate, and test_events.py's
/// test_subprocess_kill and test_subprocess_terminate: through the
/// transport, the protocol hears the exit and then the end.
#[test]
fn test_kill_and_test_terminate() {
    let _serial = serial();
    for watcher in WATCHERS {
        for (signal, stop) in [
            (libc::SIGKILL, SubprocessTransport::kill as fn(&_) -> _),
            (libc::SIGTERM, SubprocessTransport::terminate),
        ] {
            let (code, events) = leaves_nothing_behind(async move {
                let (transport, protocol) = aio::subprocess_exec(
                    Recorder::default(),
                    "sleep",
                    ["3600"],
                    with_watcher(watcher),
                )
                .await
                .unwrap();
                stop(&transport).unwrap();
                let code = transport.wait().await;
                assert_eq!(transport.get_returncode(), Some(code));
                let events = protocol.borrow().events.all();
                (code, events)
            });
            assert_eq!(code, -signal, "{watcher:?}");
            assert_eq!(events.last().unwrap(), "connection_lost None");
            assert!(events.contains(&"process_exited".to_string()));
        }
    }
}

/// CPython: test_kill_issue43884 (kill a shell whose child still holds its
/// stdout). `wait` returns once the grandchild lets go of the pipe, as
/// asyncio's does: both wait for the pipes as well as the exit.
#[test]
fn test_kill_issue43884() {
    let _serial = serial();
    let code = leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdout(Stdio::Pipe);
        let mut process =
            aio::create_subprocess_shell("sleep 1; sleep 1", options)
                .await
                .unwrap();
        let stdout = process.stdout.take().unwrap();
        process.kill().unwrap();
        assert_eq!(stdout.read_to_end().await.unwrap(), b"");
        process.wait().await
    });
    assert_eq!(code, -libc::SIGKILL);
}

/// The disposition of `SIGHUP` in this process, set to the default for the
/// length of a test (a process started by `nohup` ignores it, and its
/// children would too).
struct DefaultSighup(libc::sighandler_t);

impl DefaultSighup {
    fn set() -> DefaultSighup {
        // SAFETY: setting a signal's disposition to the default is always
        // sound; the old one is put back on drop.
        DefaultSighup(unsafe { libc::signal(libc::SIGHUP, libc::SIG_DFL) })
    }
}

impl Drop for DefaultSighup {
    fn drop(&mut self) {
        // SAFETY: puts back the disposition `set` found.
        unsafe { libc::signal(libc::SIGHUP, self.0) };
    }
}

/// CPython: test_send_signal (bpo-31034: the child gets the default
/// handler, and dies of `SIGHUP`), and a child that traps `SIGHUP` with the
/// shell's `trap` and exits with a code of its choice.
#[test]
fn test_send_signal() {
    let _serial = serial();
    let _default = DefaultSighup::set();
    for watcher in WATCHERS {
        let codes = leaves_nothing_behind(async move {
            let mut codes = Vec::new();
            for script in [
                "echo sleeping; exec sleep 3600",
                "trap 'exit 42' HUP; echo sleeping; \
                 while :; do sleep 0.05; done",
            ] {
                let options = with_watcher(watcher).stdout(Stdio::Pipe);
                let mut process = aio::create_subprocess_shell(script, options)
                    .await
                    .unwrap();
                let stdout = process.stdout.take().unwrap();
                // The child is ready once it says so.
                assert_eq!(stdout.readline().await.unwrap(), b"sleeping\n");
                process.send_signal(libc::SIGHUP).unwrap();
                assert_eq!(stdout.read_to_end().await.unwrap(), b"");
                codes.push(process.wait().await);
            }
            codes
        });
        assert_eq!(codes, [-libc::SIGHUP, 42], "{watcher:?}");
    }
}

/// CPython: test_stdin_broken_pipe (the child exits once the write buffer
/// is full; `drain` fails with `BrokenPipe` or `ConnectionReset`). Here the
/// child reads a little and exits, while more than a pipe holds is written.
#[test]
fn test_stdin_broken_pipe() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (drained, code) = leaves_nothing_behind(async move {
            let options =
                with_watcher(watcher).stdin(Stdio::Pipe).stdout(Stdio::Null);
            let mut process =
                aio::create_subprocess_exec("head", ["-c", "1"], options)
                    .await
                    .unwrap();
            let stdin = process.stdin.take().unwrap();
            stdin.write(&vec![b'x'; 4 * 1024 * 1024]).unwrap();
            let drained = stdin.drain().await;
            (drained, process.wait().await)
        });
        let kind = drained.unwrap_err().kind();
        assert!(
            matches!(
                kind,
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ),
            "{kind:?}"
        );
        assert_eq!(code, 0);
    }
}

/// CPython: test_stdin_broken_pipe as it was first written: the child has
/// exited before anything is written. asyncio's `write` then only logs, and
/// `drain` raises `ConnectionResetError`; aio's `write` says so at once
/// (a transport's `write` fails once the connection is lost, as chapter 7
/// documents), and `drain` fails as asyncio's does.
#[test]
fn test_stdin_broken_pipe_after_exit() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdin(Stdio::Pipe);
        let mut process =
            aio::create_subprocess_exec("true", [] as [&str; 0], options)
                .await
                .unwrap();
        let stdin = process.stdin.take().unwrap();
        assert_eq!(process.wait().await, 0);
        let written = stdin.write(&vec![b'x'; 1024 * 1024]).unwrap_err();
        assert_eq!(written.kind(), io::ErrorKind::ConnectionReset);
        let drained = stdin.drain().await.unwrap_err();
        assert_eq!(drained.kind(), io::ErrorKind::ConnectionReset);
    });
}

/// CPython: test_communicate_ignore_broken_pipe (the child never reads;
/// `communicate` must not fail, and, unlike asyncio's test, which silences
/// the loop's exception handler, nothing is logged either).
#[test]
fn test_communicate_ignore_broken_pipe() {
    let _serial = serial();
    let log = CapturedLog::start();
    let code = leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdin(Stdio::Pipe);
        let mut process =
            aio::create_subprocess_exec("true", [] as [&str; 0], options)
                .await
                .unwrap();
        let input = vec![b'x'; 4 * 1024 * 1024];
        let (output, errors) = process.communicate(Some(&input)).await.unwrap();
        assert!(output.is_none() && errors.is_none());
        process.wait().await
    });
    assert_eq!(code, 0);
    assert_eq!(complaints(&log), Vec::<String>::new());
}

/// CPython: test_pause_reading (issue #22685: a reader past its limit
/// pauses its pipe). Where asyncio's test mocks `pause_reading`, this one
/// watches the pipe transport's `is_reading()` go off, and on again as the
/// output is read.
#[test]
fn test_pause_reading() {
    let _serial = serial();
    let limit = 10;
    let size = limit * 2 + 1;
    let output = leaves_nothing_behind(async move {
        // The child writes its output, then waits for its stdin to close.
        let script = format!("printf %{size}s ''; cat");
        let options = ProcessOptions::new()
            .stdin(Stdio::Pipe)
            .stdout(Stdio::Pipe)
            .limit(limit);
        let mut process =
            aio::create_subprocess_shell(&script, options).await.unwrap();
        let pipe = process.transport().get_pipe_transport(1).unwrap();
        assert!(pipe.is_reading());
        until("the reader pauses its pipe", || !pipe.is_reading()).await;
        let stdout = process.stdout.take().unwrap();
        let mut output = stdout.read(size - limit).await.unwrap();
        assert!(pipe.is_reading(), "back under the limit, reading resumes");
        process.stdin.take().unwrap().close();
        output.extend(stdout.read_to_end().await.unwrap());
        assert_eq!(process.wait().await, 0);
        output
    });
    assert_eq!(output, vec![b' '; size]);
}

/// The descriptors process `pid` has open.
fn descriptors_of(pid: u32) -> Vec<i32> {
    let mut fds: Vec<i32> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .collect();
    fds.sort();
    fds
}

/// The descriptors of this process that a child would inherit (those
/// without close-on-exec).
fn inheritable_descriptors() -> Vec<i32> {
    descriptors_of(std::process::id())
        .into_iter()
        .filter(|&fd| {
            // SAFETY: F_GETFD only reads a descriptor's flags; one that has
            // closed meanwhile gives -1.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
            flags >= 0 && flags & libc::FD_CLOEXEC == 0
        })
        .collect()
}

/// CPython: test_stdin_not_inheritable (asyncio issue #209: had a second
/// child inherited our end of the first one's stdin, the first would never
/// see EOF). aio's ends are close-on-exec; the second child here, started
/// while the first runs, holds no descriptor but its own three and what this
/// process lets every child inherit.
#[test]
fn test_stdin_not_inheritable() {
    let _serial = serial();
    let (output, code, theirs, expected) = leaves_nothing_behind(async {
        let mut first =
            aio::create_subprocess_exec(PYTHON, PROGRAM_LEN, piped())
                .await
                .unwrap();
        let options = ProcessOptions::new()
            .stdin(Stdio::Pipe)
            .stdout(Stdio::Pipe)
            .stderr(Stdio::Pipe);
        let second = aio::create_subprocess_exec("sleep", ["3600"], options)
            .await
            .unwrap();
        let mut expected = vec![0, 1, 2];
        expected.extend(inheritable_descriptors());
        expected.sort();
        expected.dedup();
        // The kernel closes the close-on-exec descriptors a moment after
        // `spawn` has returned (after the child's memory is its own).
        let pid = second.pid();
        children::settle(|| descriptors_of(pid) == expected);
        let theirs = descriptors_of(pid);
        let (output, _) = first.communicate(Some(b"abc")).await.unwrap();
        second.kill().unwrap();
        second.wait().await;
        (output.unwrap(), first.returncode(), theirs, expected)
    });
    assert_eq!(output.trim_ascii_end(), b"3");
    assert_eq!(code, Some(0));
    assert_eq!(theirs, expected, "the second child inherited no pipe of ours");
}

/// Runs CPython's `len_message` child with `options` and `input`: what
/// `communicate` gave, and the return code.
fn len_message(
    options: ProcessOptions,
    input: Option<&'static [u8]>,
) -> (Option<Vec<u8>>, Option<Vec<u8>>, i32) {
    leaves_nothing_behind(async move {
        let mut process =
            aio::create_subprocess_exec(PYTHON, PROGRAM_LEN, options)
                .await
                .unwrap();
        let (output, errors) = process.communicate(input).await.unwrap();
        (output, errors, process.wait().await)
    })
}

/// CPython: test_empty_input (empty input closes stdin at once).
#[test]
fn test_empty_input() {
    let _serial = serial();
    let (output, _, code) = len_message(piped(), Some(b""));
    assert_eq!(output.unwrap().trim_ascii_end(), b"0");
    assert_eq!(code, 0);
}

/// CPython: test_devnull_input.
#[test]
fn test_devnull_input() {
    let _serial = serial();
    let (output, _, code) = len_message(piped().stdin(Stdio::Null), None);
    assert_eq!(output.unwrap().trim_ascii_end(), b"0");
    assert_eq!(code, 0);
}

/// CPython: test_devnull_output (no stdout pipe: `communicate` gives
/// `None` for it).
#[test]
fn test_devnull_output() {
    let _serial = serial();
    let (output, errors, code) =
        len_message(piped().stdout(Stdio::Null), Some(b"abc"));
    assert_eq!(output, None);
    assert_eq!(errors.unwrap(), b"");
    assert_eq!(code, 0);
}

/// CPython: test_devnull_error.
#[test]
fn test_devnull_error() {
    let _serial = serial();
    let (output, errors, code) =
        len_message(piped().stderr(Stdio::Null), Some(b"abc"));
    assert_eq!(errors, None);
    assert_eq!(output.unwrap().trim_ascii_end(), b"3");
    assert_eq!(code, 0);
}

/// CPython: test_devstdin_input (the child opens `/dev/stdin`, which is its
/// stdin pipe).
#[test]
fn test_devstdin_input() {
    let _serial = serial();
    let code =
        "file = open('/dev/stdin'); data = file.read(); print(len(data))";
    let (output, code) = leaves_nothing_behind(async move {
        let mut process =
            aio::create_subprocess_exec(PYTHON, ["-c", code], piped())
                .await
                .unwrap();
        let (output, _) = process.communicate(Some(b"abc")).await.unwrap();
        (output.unwrap(), process.wait().await)
    });
    assert_eq!(output.trim_ascii_end(), b"3");
    assert_eq!(code, 0);
}

/// CPython: test_cancel_process_wait (issue #23140: a cancelled `wait`
/// leaves a child that can still be killed and waited for).
#[test]
fn test_cancel_process_wait() {
    let _serial = serial();
    for watcher in WATCHERS {
        let code = leaves_nothing_behind(async move {
            let process = aio::create_subprocess_exec(
                "sleep",
                ["3600"],
                with_watcher(watcher),
            )
            .await
            .unwrap();
            let transport = process.transport().clone();
            let waiting =
                aio::spawn(async move { transport.wait().await }).unwrap();
            aio::sleep(Duration::ZERO).await; // it waits now
            assert!(!waiting.done());
            waiting.cancel();
            assert!(waiting.await.is_err(), "the wait was cancelled");
            process.kill().unwrap();
            process.wait().await
        });
        assert_eq!(code, -libc::SIGKILL, "{watcher:?}");
    }
}

/// The children of this process, running or not.
fn children() -> Vec<u32> {
    let me = std::process::id().to_string();
    let tasks = format!("/proc/{me}/task");
    let mut children = Vec::new();
    for task in std::fs::read_dir(tasks).unwrap().flatten() {
        let listed = std::fs::read_to_string(task.path().join("children"))
            .unwrap_or_default();
        children.extend(listed.split_whitespace().flat_map(str::parse::<u32>));
    }
    children
}

/// CPython: test_cancel_make_subprocess_transport_exec (a
/// `create_subprocess_exec` cancelled before it ran). In aio the creation
/// has no await point: cancelled before its first step, it starts no child.
#[test]
fn test_cancel_make_subprocess_transport_exec() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let creating = aio::spawn(aio::create_subprocess_exec(
            "sleep",
            ["3600"],
            ProcessOptions::new(),
        ))
        .unwrap();
        creating.cancel();
        assert!(creating.await.is_err(), "the creation was cancelled");
        assert_eq!(children(), Vec::<u32>::new(), "no child was started");
    });
}

/// CPython: test_cancel_post_init (the same, for `subprocess_exec` and its
/// protocol).
#[test]
fn test_cancel_post_init() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let creating = aio::spawn(aio::subprocess_exec(
            Recorder::default(),
            "sleep",
            ["3600"],
            ProcessOptions::new(),
        ))
        .unwrap();
        creating.cancel();
        assert!(creating.await.is_err(), "the creation was cancelled");
        assert_eq!(children(), Vec::<u32>::new(), "no child was started");
    });
}

/// CPython: test_close_kill_running (`close` kills a child that runs).
#[test]
fn test_close_kill_running() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (before, code) = leaves_nothing_behind(async move {
            let (transport, _) = aio::subprocess_exec(
                Recorder::default(),
                "sleep",
                ["3600"],
                with_watcher(watcher),
            )
            .await
            .unwrap();
            let before = transport.get_returncode();
            transport.close();
            (before, transport.wait().await)
        });
        assert_eq!(before, None);
        assert_eq!(code, -libc::SIGKILL, "{watcher:?}");
    }
}

/// The state letter of process `pid` (`Z`: a zombie).
fn state_of(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// CPython: test_close_dont_kill_finished (a child that has exited, before
/// the loop has heard of it, is not killed by `close`: its real return code
/// comes through).
#[test]
fn test_close_dont_kill_finished() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (before, code) = leaves_nothing_behind(async move {
            let (transport, _) = aio::subprocess_shell(
                Recorder::default(),
                "exit 3",
                with_watcher(watcher).stdin(Stdio::Null).stdout(Stdio::Null),
            )
            .await
            .unwrap();
            // Block the loop (no await) until the child is a zombie: it has
            // exited, and the loop can't have reaped it.
            let pid = transport.get_pid();
            for _ in 0..1000 {
                if state_of(pid) == Some('Z') {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            assert_eq!(state_of(pid), Some('Z'));
            let before = transport.get_returncode();
            transport.close();
            (before, transport.wait().await)
        });
        assert_eq!(before, None, "the loop had not heard of the exit");
        assert_eq!(code, 3, "{watcher:?}: close did not kill it");
    }
}

/// CPython: test_popen_error_with_stdin_pipe (issue #35721: a child that
/// can't start leaves no pipe open, and nothing is logged).
#[test]
fn test_popen_error_with_stdin_pipe() {
    let _serial = serial();
    let log = CapturedLog::start();
    leaves_nothing_behind(async {
        let error = aio::create_subprocess_exec(
            "no-such-program-aio",
            [] as [&str; 0],
            piped(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error.reason(), SpawnReason::ProgramNotFound));
    });
    assert_eq!(complaints(&log), Vec::<String>::new());
}

/// CPython: test_read_stdout_after_process_exit (the child has written
/// 256 KiB and exited while its reader dawdles; every byte still comes).
#[test]
fn test_read_stdout_after_process_exit() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (read, code) = leaves_nothing_behind(async move {
            let options = with_watcher(watcher).stdout(Stdio::Pipe);
            let mut process = aio::create_subprocess_shell(
                "head -c 262144 /dev/zero; exit 1",
                options,
            )
            .await
            .unwrap();
            let stdout = process.stdout.take().unwrap();
            let mut read = 0;
            loop {
                let data = stdout.read(65536).await.unwrap();
                if data.is_empty() {
                    break;
                }
                read += data.len();
                aio::sleep(Duration::from_millis(20)).await;
            }
            (read, process.wait().await)
        });
        assert_eq!(read, 262144, "{watcher:?}");
        assert_eq!(code, 1);
    }
}

/// CPython: test_create_subprocess_exec_with_path (a path as the program,
/// and as an argument).
#[test]
fn test_create_subprocess_exec_with_path() {
    let _serial = serial();
    let output = leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdout(Stdio::Pipe);
        let program = Path::new("/bin/sh");
        let mut process = aio::create_subprocess_exec(
            program,
            [Path::new("-c"), Path::new("echo $0"), Path::new(".")],
            options,
        )
        .await
        .unwrap();
        process.communicate(None).await.unwrap().0.unwrap()
    });
    assert_eq!(output, b".\n");
}

/// CPython's `check_stdout_output`: the output, return code 0, and a `wait`
/// after the end that returns within one tick.
async fn check_stdout_output(mut process: aio::Process, expected: &[u8]) {
    let (output, _) = process.communicate(None).await.unwrap();
    assert_eq!(output.unwrap(), expected);
    assert_eq!(process.returncode(), Some(0));
    let transport = process.transport().clone();
    let waiting = aio::spawn(async move { transport.wait().await }).unwrap();
    aio::sleep(Duration::ZERO).await;
    assert!(waiting.done());
    assert_eq!(waiting.await.unwrap(), 0);
}

/// CPython: test_create_subprocess_env_shell (one variable added to the
/// inherited environment).
#[test]
fn test_create_subprocess_env_shell() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options =
            ProcessOptions::new().stdout(Stdio::Pipe).env("FOO", "bar");
        let process =
            aio::create_subprocess_shell("printf %s \"$FOO\"", options)
                .await
                .unwrap();
        check_stdout_output(process, b"bar").await;
    });
}

/// CPython: test_create_subprocess_env_exec (the rest of the environment
/// is still there, `PATH` finding `python3`, and the child sees `FOO`).
#[test]
fn test_create_subprocess_env_exec() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options =
            ProcessOptions::new().stdout(Stdio::Pipe).env("FOO", "baz");
        let code = "import os, sys; sys.stdout.write(os.getenv('FOO'))";
        let process =
            aio::create_subprocess_exec(PYTHON, ["-c", code], options)
                .await
                .unwrap();
        check_stdout_output(process, b"baz").await;
    });
}

/// CPython: `subprocess` refuses an environment variable whose name holds
/// `=` ("illegal environment variable name"): the child would see another
/// variable, the name cut at the `=`. aio refuses it too, saying why.
#[test]
fn test_create_subprocess_env_illegal_name() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options = ProcessOptions::new().env("A=B", "c");
        let error =
            aio::create_subprocess_exec("true", [] as [&str; 0], options)
                .await
                .unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error.reason(), SpawnReason::InvalidOptions(_)),
            "{message}"
        );
        assert!(message.contains("'='"), "{message}");
    });
}

/// CPython: test_subprocess_concurrent_wait (ten waits on one child, here
/// started before it exits as well as after: all get its code).
#[test]
fn test_subprocess_concurrent_wait() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (early, late) = leaves_nothing_behind(async move {
            let options = piped().child_watcher(watcher);
            let mut process =
                aio::create_subprocess_shell("cat; exit 5", options)
                    .await
                    .unwrap();
            let transport = process.transport().clone();
            let early = aio::gather((0..10).map(|_| {
                let transport = transport.clone();
                async move { transport.wait().await }
            }));
            let (output, _) =
                process.communicate(Some(b"some data")).await.unwrap();
            assert_eq!(output.unwrap(), b"some data");
            let late = aio::gather((0..10).map(|_| {
                let transport = transport.clone();
                async move { transport.wait().await }
            }));
            (early.await.unwrap(), late.await.unwrap())
        });
        assert_eq!(early, [5; 10], "{watcher:?}");
        assert_eq!(late, [5; 10]);
    }
}

/// CPython: test_subprocess_protocol_events (gh-108973, also named
/// test_subprocess_consistent_callbacks): every protocol method is called;
/// on each descriptor the data comes before that pipe's close; the end,
/// `connection_lost`, comes last.
#[test]
fn test_subprocess_protocol_events() {
    let _serial = serial();
    for watcher in WATCHERS {
        let events = leaves_nothing_behind(async move {
            let (transport, protocol) = aio::subprocess_shell(
                Recorder::default(),
                "printf stdout; printf stderr >&2",
                with_watcher(watcher).stdin(Stdio::Inherit),
            )
            .await
            .unwrap();
            transport.wait().await;
            let protocol = protocol.borrow();
            assert_eq!(protocol.output[1], b"stdout");
            assert_eq!(protocol.output[2], b"stderr");
            protocol.events.all()
        });
        assert_eq!(events.first().unwrap(), "connection_made");
        assert_eq!(events.last().unwrap(), "connection_lost None");
        let mut middle = events[1..events.len() - 1].to_vec();
        for fd in [1, 2] {
            let on_fd: Vec<&String> = middle
                .iter()
                .filter(|event| event.contains(&format!(" {fd}")))
                .collect();
            let data = format!("data {fd}");
            let lost = format!("pipe_connection_lost {fd} None");
            assert_eq!(on_fd, [&data, &lost], "{watcher:?}: {events:?}");
        }
        middle.sort();
        assert_eq!(
            middle,
            [
                "data 1",
                "data 2",
                "pipe_connection_lost 1 None",
                "pipe_connection_lost 2 None",
                "process_exited",
            ]
        );
    }
}

/// CPython: test_subprocess_communicate_stdout (gh-100133: ten children's
/// `communicate` at once, each with its own output).
#[test]
fn test_subprocess_communicate_stdout() {
    let _serial = serial();
    let outputs = leaves_nothing_behind(async {
        let runs = (0..10).map(|i| async move {
            let options = ProcessOptions::new().stdout(Stdio::Pipe);
            let mut process = aio::create_subprocess_exec(
                "echo",
                [format!("foo{i}")],
                options,
            )
            .await
            .unwrap();
            let (output, _) = process.communicate(None).await.unwrap();
            String::from_utf8(output.unwrap()).unwrap().trim().to_owned()
        });
        aio::gather(runs).await.unwrap()
    });
    let expected: Vec<String> = (0..10).map(|i| format!("foo{i}")).collect();
    assert_eq!(outputs, expected);
}

/// CPython: test_create_subprocess_with_pidfd (a loop on another thread
/// runs a child with the pidfd watcher).
#[test]
fn test_create_subprocess_with_pidfd() {
    let _serial = serial();
    let (code, output) = leaves_nothing_behind(async {
        std::thread::spawn(|| {
            aio::run(async {
                let options = piped().child_watcher(ChildWatcher::Pidfd);
                let mut process =
                    aio::create_subprocess_exec(PYTHON, PROGRAM_CAT, options)
                        .await
                        .unwrap();
                let (output, _) =
                    process.communicate(Some(b"some data")).await.unwrap();
                (process.returncode(), output.unwrap())
            })
            .unwrap()
        })
        .join()
        .unwrap()
    });
    assert_eq!(code, Some(0));
    assert_eq!(output, b"some data");
}

/// test_events.py: test_subprocess_interactive (write, hear the echo,
/// write more, hear it too; then `close` kills the child).
#[test]
fn test_subprocess_interactive() {
    let _serial = serial();
    for watcher in WATCHERS {
        let code = leaves_nothing_behind(async move {
            let (transport, protocol) = aio::subprocess_exec(
                Recorder::default(),
                "cat",
                [] as [&str; 0],
                with_watcher(watcher),
            )
            .await
            .unwrap();
            let stdin = transport.get_pipe_transport(0).unwrap();
            let heard = |expected: &'static [u8]| {
                let protocol = protocol.clone();
                move || protocol.borrow().output[1] == expected
            };
            stdin.write(b"Python ").unwrap();
            until("the first echo", heard(b"Python ")).await;
            stdin.write(b"The Winner").unwrap();
            until("the second echo", heard(b"Python The Winner")).await;
            transport.close();
            transport.wait().await
        });
        assert_eq!(code, -libc::SIGKILL, "{watcher:?}");
    }
}

/// test_events.py: test_subprocess_shell (closing the stdin pipe's
/// transport lets the child end) and test_subprocess_close_after_finish (a
/// child without pipes has no pipe transports, and `close` after the end
/// does nothing).
#[test]
fn test_subprocess_shell_and_close_after_finish() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let (transport, protocol) = aio::subprocess_shell(
            Recorder::default(),
            "cat; echo Python",
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        transport.get_pipe_transport(0).unwrap().close();
        assert_eq!(transport.wait().await, 0);
        assert_eq!(protocol.borrow().output[1], b"Python\n");
        assert_eq!(protocol.borrow().output[2], b"");

        let none = ProcessOptions::new()
            .stdin(Stdio::Null)
            .stdout(Stdio::Null)
            .stderr(Stdio::Null);
        let (transport, _) =
            aio::subprocess_shell(Recorder::default(), "exit 7", none)
                .await
                .unwrap();
        for fd in 0..3 {
            assert!(transport.get_pipe_transport(fd).is_none());
        }
        assert_eq!(transport.wait().await, 7);
        transport.close();
        assert_eq!(transport.get_returncode(), Some(7));
    });
}

/// test_events.py: test_subprocess_close_client_stream (we close the
/// stdout pipe; the child's next write to it fails with `EPIPE`, which it
/// reports on stderr).
#[test]
fn test_subprocess_close_client_stream() {
    let _serial = serial();
    let script = "import sys\n\
        while True:\n\
        \x20   data = sys.stdin.buffer.read1(4096)\n\
        \x20   if not data: break\n\
        \x20   try:\n\
        \x20       sys.stdout.buffer.write(b'OUT:' + data)\n\
        \x20       sys.stdout.flush()\n\
        \x20   except OSError as error:\n\
        \x20       sys.stderr.write('ERR:' + type(error).__name__)\n\
        \x20       sys.stderr.flush()\n";
    let (errors, code) = leaves_nothing_behind(async move {
        let (transport, protocol) = aio::subprocess_exec(
            Recorder::default(),
            PYTHON,
            ["-c", script],
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        let stdin = transport.get_pipe_transport(0).unwrap();
        let stdout = transport.get_pipe_transport(1).unwrap();
        stdin.write(b"test").unwrap();
        let seen = protocol.clone();
        until("the echo", move || seen.borrow().output[1] == b"OUT:test").await;
        stdout.close();
        let events = protocol.borrow().events.clone();
        until("the stdout pipe closes", move || {
            events.all().contains(&"pipe_connection_lost 1 None".into())
        })
        .await;
        stdin.write(b"xxx").unwrap();
        let seen = protocol.clone();
        until("the child's complaint", move || {
            !seen.borrow().output[2].is_empty()
        })
        .await;
        transport.close();
        let code = transport.wait().await;
        let errors = protocol.borrow().output[2].clone();
        (errors, code)
    });
    assert_eq!(errors, b"ERR:BrokenPipeError");
    assert_eq!(code, -libc::SIGKILL);
}

/// test_events.py: test_subprocess_exec_invalid_args. Its keywords don't
/// exist in aio; bad programs and arguments do, and each is a typed error
/// that says what is wrong, never a panic. A NUL byte can't be passed to a
/// program (asyncio raises `ValueError: embedded null byte`): the error
/// says where it is, and to remove it.
#[test]
fn test_subprocess_exec_invalid_args() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let empty = aio::subprocess_exec(
            Recorder::default(),
            "",
            [] as [&str; 0],
            ProcessOptions::new(),
        )
        .await
        .unwrap_err();
        assert!(matches!(empty.reason(), SpawnReason::ProgramNotFound));
        assert!(empty.to_string().contains("empty"), "{empty}");
        assert_eq!(io::Error::from(empty).kind(), io::ErrorKind::NotFound);
        let no_options = ProcessOptions::new;
        let nul_in_program =
            aio::create_subprocess_exec("ec\0ho", [] as [&str; 0], piped())
                .await
                .unwrap_err();
        let nul_in_argument =
            aio::create_subprocess_exec("echo", ["a\0b"], piped())
                .await
                .unwrap_err();
        let nul_in_env = aio::create_subprocess_exec(
            "true",
            [] as [&str; 0],
            no_options().env("A\0B", "c"),
        )
        .await
        .unwrap_err();
        let nul_in_value = aio::create_subprocess_exec(
            "true",
            [] as [&str; 0],
            no_options().env("A", "b\0c"),
        )
        .await
        .unwrap_err();
        let nul_in_cwd = aio::create_subprocess_exec(
            "true",
            [] as [&str; 0],
            no_options().cwd("/tm\0p"),
        )
        .await
        .unwrap_err();
        for (error, place) in [
            (nul_in_program, "program"),
            (nul_in_argument, "argument"),
            (nul_in_env, "environment"),
            (nul_in_value, "environment"),
            (nul_in_cwd, "working directory"),
        ] {
            let message = error.to_string();
            assert!(
                matches!(error.reason(), SpawnReason::InvalidOptions(_)),
                "{message}"
            );
            assert!(message.contains(place), "{message}");
            assert!(message.contains("NUL byte"), "{message}");
            assert!(message.contains("remove it"), "{message}");
            let kind = io::Error::from(error).kind();
            assert_eq!(kind, io::ErrorKind::InvalidInput);
        }
        let empty_cwd = aio::create_subprocess_exec(
            "true",
            [] as [&str; 0],
            no_options().cwd(""),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(empty_cwd.reason(), SpawnReason::CwdNotFound(_)),
            "{empty_cwd}"
        );
    });
}

/// How much a flooding child writes before the flood tests stop it.
const FLOOD: usize = 20_000_000;

/// The fewest ticks in which a pipe's transport can deliver [`FLOOD`]
/// bytes. A tick runs each ready task once, so the transport's task reads
/// in at most one go per tick, and one go is at most 16 reads of 64 KiB
/// (`READS_PER_TURN` in `io_steps.rs`): 1 MiB. A ticker ready on every
/// tick runs on each of them, so it ticks at least this often while the
/// flood is read; a reader that kept the loop to itself until all of it was
/// in would leave the ticker one tick, or none.
const FEWEST_FLOOD_TICKS: usize = FLOOD / (16 * 64 * 1024) - 1;

/// A task that counts the ticks of the loop: it yields, and counts, on
/// every one.
struct Ticker {
    ticks: Rc<Cell<usize>>,
    task: aio::Task<()>,
}

impl Ticker {
    /// Starts the ticker, and lets it tick once.
    async fn start() -> Ticker {
        let ticks = Rc::new(Cell::new(0usize));
        let counter = ticks.clone();
        let task = aio::spawn(async move {
            loop {
                counter.set(counter.get() + 1);
                aio::sleep(Duration::ZERO).await;
            }
        })
        .unwrap();
        aio::sleep(Duration::ZERO).await;
        Ticker { ticks, task }
    }

    fn ticks(&self) -> usize {
        self.ticks.get()
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.task.cancel();
    }
}

/// A child flooding its stdout (`yes`) does not starve the loop: a ticker
/// keeps ticking while a reader task takes 20 MB from the child's stdout
/// stream (see [`FEWEST_FLOOD_TICKS`] for the bound).
#[test]
fn a_flooding_child_does_not_starve_the_loop() {
    let _serial = serial();
    for watcher in WATCHERS {
        let ticks = leaves_nothing_behind(async move {
            let options = with_watcher(watcher).stdout(Stdio::Pipe);
            let mut process =
                aio::create_subprocess_exec("yes", [] as [&str; 0], options)
                    .await
                    .unwrap();
            let stdout = process.stdout.take().unwrap();
            let reader = aio::spawn(async move {
                let mut read = 0;
                while read < FLOOD {
                    let data = stdout.read(64 * 1024).await.unwrap();
                    assert!(!data.is_empty(), "yes never stops");
                    read += data.len();
                }
                stdout
            })
            .unwrap();
            let ticker = Ticker::start().await;
            let start = ticker.ticks();
            let stdout = reader.await.unwrap();
            let ticked = ticker.ticks() - start;
            drop(ticker);
            process.kill().unwrap();
            while !stdout.read(64 * 1024).await.unwrap().is_empty() {}
            assert_eq!(process.wait().await, -libc::SIGKILL);
            ticked
        });
        assert!(
            ticks >= FEWEST_FLOOD_TICKS,
            "{watcher:?}: {ticks} ticks, < {FEWEST_FLOOD_TICKS}"
        );
    }
}

/// Counts what arrives on the child's stdout.
#[derive(Debug, Default)]
struct CountStdout(Rc<Cell<usize>>);

impl SubprocessProtocol for CountStdout {
    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        if fd == 1 {
            self.0.set(self.0.get() + data.len());
        }
    }
}

/// The same flood into a protocol: nothing pauses the pipe there, so only
/// the transport's read budget keeps it from taking every tick.
#[test]
fn a_flooding_child_does_not_starve_the_loop_through_a_protocol() {
    let _serial = serial();
    for watcher in WATCHERS {
        let ticks = leaves_nothing_behind(async move {
            let options =
                with_watcher(watcher).stdin(Stdio::Null).stderr(Stdio::Null);
            let (transport, protocol) = aio::subprocess_exec(
                CountStdout::default(),
                "yes",
                [] as [&str; 0],
                options,
            )
            .await
            .unwrap();
            let received = protocol.borrow().0.clone();
            let ticker = Ticker::start().await;
            let start = ticker.ticks();
            while received.get() < FLOOD {
                aio::sleep(Duration::ZERO).await;
            }
            let ticked = ticker.ticks() - start;
            drop(ticker);
            transport.kill().unwrap();
            assert_eq!(transport.wait().await, -libc::SIGKILL);
            ticked
        });
        assert!(
            ticks >= FEWEST_FLOOD_TICKS,
            "{watcher:?}: {ticks} ticks, < {FEWEST_FLOOD_TICKS}"
        );
    }
}

/// A stdin writer paused by a child that doesn't read: `pause_writing`
/// comes, the buffer holds what the pipe didn't take and never more than
/// was written, and killing the child ends the pipe with a broken pipe, as
/// asyncio's `pipe_connection_lost(0, BrokenPipeError())`.
#[test]
fn a_stdin_writer_paused_by_a_child_that_does_not_read() {
    const WRITTEN: usize = 1024 * 1024;
    let _serial = serial();
    for watcher in WATCHERS {
        let events = leaves_nothing_behind(async move {
            let options =
                with_watcher(watcher).stdout(Stdio::Null).stderr(Stdio::Null);
            let (transport, protocol) = aio::subprocess_exec(
                Recorder::default(),
                "sleep",
                ["3600"],
                options,
            )
            .await
            .unwrap();
            let stdin = transport.get_pipe_transport(0).unwrap();
            stdin.write(&vec![b'x'; WRITTEN]).unwrap();
            let events = protocol.borrow().events.clone();
            assert!(events.all().contains(&"pause_writing".into()));
            let buffered = stdin.get_write_buffer_size();
            assert!(buffered > 0 && buffered <= WRITTEN, "{buffered}");
            for _ in 0..10 {
                aio::sleep(Duration::from_millis(1)).await;
                assert_eq!(stdin.get_write_buffer_size(), buffered);
            }
            transport.kill().unwrap();
            assert_eq!(transport.wait().await, -libc::SIGKILL);
            events.all()
        });
        assert_eq!(events[..2], ["connection_made", "pause_writing"]);
        assert_eq!(events.last().unwrap(), "connection_lost None");
        // The pipe's end and the exit come in either order, as in asyncio.
        let mut middle = events[2..events.len() - 1].to_vec();
        middle.sort();
        assert_eq!(
            middle,
            ["pipe_connection_lost 0 Some(BrokenPipe)", "process_exited"],
            "{watcher:?}"
        );
    }
}

/// `children()` sees a child that runs, so the cancellation tests' check
/// that none was started could fail.
#[test]
fn the_children_helper_sees_a_running_child() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let process = aio::create_subprocess_exec(
            "sleep",
            ["3600"],
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        assert!(exists(process.pid()));
        assert_eq!(children(), [process.pid()]);
        process.kill().unwrap();
        process.wait().await;
    });
}

/// The same through a `Process`: a `drain` waiting on a child that doesn't
/// read fails with the broken pipe once the child is killed, as asyncio's
/// raises `BrokenPipeError` (its `pipe_connection_lost` passes the error to
/// the waiting `drain`).
#[test]
fn a_drain_waiting_on_a_killed_child_fails_with_a_broken_pipe() {
    let _serial = serial();
    for watcher in WATCHERS {
        let drained = leaves_nothing_behind(async move {
            let options = with_watcher(watcher).stdin(Stdio::Pipe);
            let mut process =
                aio::create_subprocess_exec("sleep", ["3600"], options)
                    .await
                    .unwrap();
            let stdin = process.stdin.take().unwrap();
            stdin.write(&vec![b'x'; 1024 * 1024]).unwrap();
            let draining =
                aio::spawn(async move { stdin.drain().await }).unwrap();
            aio::sleep(Duration::ZERO).await;
            assert!(!draining.done(), "the pipe is full: drain waits");
            process.kill().unwrap();
            assert_eq!(process.wait().await, -libc::SIGKILL);
            draining.await.unwrap()
        });
        let kind = drained.unwrap_err().kind();
        assert_eq!(kind, io::ErrorKind::BrokenPipe, "{watcher:?}");
    }
}

/// asyncio's stdin pipe transport has no `pause_reading` (uvloop's raises
/// `NotImplementedError`): there is nothing to read from a pipe we write
/// to. aio's transports all have one; on the stdin pipe it must not stop
/// the transport from seeing the child close its end, or the pipe never
/// closes and `wait` never returns.
#[test]
fn pausing_reading_on_the_stdin_pipe_still_sees_the_child_close_it() {
    let _serial = serial();
    for watcher in WATCHERS {
        let code = leaves_nothing_behind(async move {
            let (transport, protocol) = aio::subprocess_exec(
                Recorder::default(),
                "true",
                [] as [&str; 0],
                with_watcher(watcher),
            )
            .await
            .unwrap();
            transport.get_pipe_transport(0).unwrap().pause_reading();
            let events = protocol.borrow().events.clone();
            until("the stdin pipe closes", move || {
                events.all().contains(&"pipe_connection_lost 0 None".into())
            })
            .await;
            transport.wait().await
        });
        assert_eq!(code, 0, "{watcher:?}");
    }
}
