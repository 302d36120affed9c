//! Ctrl-C, checked from outside: the `ctrl_c` binary runs as a child with
//! its stdout piped, and once it has printed its first line the test sends
//! it signals, as a terminal would, and looks at what it printed and how it
//! ended. The timeouts are hang guards only.

mod common;

use common::snapshot;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

const CTRL_C: &str = env!("CARGO_BIN_EXE_ctrl_c");

/// How long a step may take before the test gives up (a hang guard).
const HANG_GUARD: Duration = Duration::from_secs(60);

const WORKING: &str = "main: working (press Ctrl-C)";
const CLEANING_UP: &str = "main: cleaning up";

/// A running program, and the lines it prints as they come.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    printed: Vec<String>,
}

impl Running {
    /// Starts `command` with its stdout piped.
    fn start(mut command: Command) -> Running {
        let mut child =
            command.stdout(Stdio::piped()).spawn().expect("it starts");
        let stdout = child.stdout.take().expect("a piped stdout");
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines, printed: Vec::new() }
    }

    /// `ctrl_c` in the test's own environment but the real clock, with
    /// `args`; `setup` runs on the command first.
    fn ctrl_c(args: &[&str], setup: impl FnOnce(&mut Command)) -> Running {
        let mut command = common::command(CTRL_C, &[]);
        command.args(args);
        setup(&mut command);
        Running::start(command)
    }

    /// Waits for the next line, which must be `expected`.
    fn expect_line(&mut self, expected: &str) {
        match self.lines.recv_timeout(HANG_GUARD) {
            Ok(line) => {
                assert_eq!(line, expected, "after {:?}", self.printed);
                self.printed.push(line);
            }
            Err(error) => {
                panic!("no {expected:?} ({error}) after {:?}", self.printed)
            }
        }
    }

    /// Sends `signal` to the program.
    fn send(&self, signal: i32) {
        send(self.child.id(), signal);
    }

    /// Waits for the program to end (within `guard`), and returns how it
    /// ended and everything it printed.
    fn finish(&mut self, guard: Duration) -> (ExitStatus, String) {
        let deadline = Instant::now() + guard;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "still running: {self:?}");
            thread::sleep(Duration::from_millis(10));
        };
        loop {
            match self.lines.recv_timeout(HANG_GUARD) {
                Ok(line) => self.printed.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("stdout stays open"),
            }
        }
        let mut text = self.printed.join("\n");
        text.push('\n');
        (status, text)
    }
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pid {} after {:?}", self.child.id(), self.printed)
    }
}

/// A test that fails leaves no program behind.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill(); // nothing, if it has been reaped
        let _ = self.child.wait();
    }
}

/// kill(2): sends `signal` to the process `pid`.
fn send(pid: u32, signal: i32) {
    let pid = libc::pid_t::try_from(pid).expect("a pid fits pid_t");
    // SAFETY: kill takes no pointers; `pid` is a child not yet reaped (or,
    // in the shell test, the shell's child while the shell waits for it),
    // so the number cannot name another process.
    let sent = unsafe { libc::kill(pid, signal) };
    assert_eq!(sent, 0, "kill: {}", io::Error::last_os_error());
}

#[test]
fn one_ctrl_c_cancels_the_main_task_and_ends_the_program_by_sigint() {
    let mut running = Running::ctrl_c(&[], |_| {});
    running.expect_line(WORKING);
    // SIGINT had its default action: aio::run catches it.
    let pid = running.child.id();
    assert_eq!(ignored_and_caught(pid, libc::SIGINT), (false, true));
    running.send(libc::SIGINT);
    let (status, output) = running.finish(HANG_GUARD);
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status}: {output}");
    let how = "cargo run -p ch12-signals --bin ctrl_c, then one Ctrl-C";
    snapshot("ctrl_c", how, &output);
}

/// The child of `parent`: the one process whose parent it is.
fn only_child_of(parent: u32) -> u32 {
    let mut children = Vec::new();
    for entry in fs::read_dir("/proc").expect("/proc") {
        let entry = entry.expect("a /proc entry");
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok())
        else {
            continue; // not a process
        };
        // `pid (name) state ppid ...`; the name may hold spaces or `)`.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue; // it has just ended
        };
        let after_name = &stat[stat.rfind(')').expect("(name)") + 1..];
        let ppid = after_name.split_whitespace().nth(1).expect("a ppid");
        if ppid.parse() == Ok(parent) {
            children.push(pid);
        }
    }
    let [child] = children[..] else {
        panic!("{parent} has children {children:?}, not one");
    };
    child
}

#[test]
fn a_shell_sees_status_130_as_for_any_program_ended_by_ctrl_c() {
    let mut shell = Command::new("sh");
    shell.args(["-c", r#""$0"; echo "status $?""#, CTRL_C]);
    shell.env_remove("AIO_CLOCK");
    let mut running = Running::start(shell);
    running.expect_line(WORKING);
    send(only_child_of(running.child.id()), libc::SIGINT);
    let (status, output) = running.finish(HANG_GUARD);
    assert!(status.success(), "the shell: {status}");
    assert!(output.ends_with("main: interrupted\nstatus 130\n"), "{output}");
}

#[test]
fn a_second_ctrl_c_during_clean_up_ends_the_program_at_once() {
    let mut running = Running::ctrl_c(&["--slow-cleanup"], |_| {});
    running.expect_line(WORKING);
    running.send(libc::SIGINT);
    running.expect_line(CLEANING_UP);
    running.send(libc::SIGINT);
    // The clean-up sleeps for 30 s: ending within 20 s is the second
    // SIGINT's doing (a hang guard, not a timing: it should be at once).
    let (status, output) = running.finish(Duration::from_secs(20));
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status}: {output}");
    assert_eq!(output, format!("{WORKING}\n{CLEANING_UP}\n"));
}

/// Whether the program `pid` ignores and whether it catches `signal`, by
/// the `SigIgn` and `SigCgt` masks of `/proc/PID/status`.
fn ignored_and_caught(pid: u32, signal: i32) -> (bool, bool) {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("the program's /proc status");
    let mask = |name: &str| {
        let line = status.lines().find_map(|l| l.strip_prefix(name));
        let hex = line.expect("the mask").trim();
        let mask = u64::from_str_radix(hex, 16).expect("a hex mask");
        mask & (1 << (signal - 1)) != 0
    };
    (mask("SigIgn:"), mask("SigCgt:"))
}

#[test]
fn ctrl_c_does_nothing_to_a_program_started_with_sigint_ignored() {
    // As a shell without job control starts a background job (`prog &`):
    // Ctrl-C is not meant for it, and aio::run leaves SIGINT as it is.
    let ignore_sigint = |command: &mut Command| {
        // SAFETY: between fork and exec only async-signal-safe calls are
        // allowed: signal(2) is one, and reading errno is the only other
        // thing the closure does.
        unsafe {
            command.pre_exec(|| {
                if libc::signal(libc::SIGINT, libc::SIG_IGN) == libc::SIG_ERR {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
    };
    let mut running = Running::ctrl_c(&[], ignore_sigint);
    running.expect_line(WORKING);
    let pid = running.child.id();
    assert_eq!(ignored_and_caught(pid, libc::SIGINT), (true, false));
    running.send(libc::SIGINT);
    running.send(libc::SIGTERM);
    let (status, output) = running.finish(HANG_GUARD);
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status}: {output}");
    assert_eq!(output, format!("{WORKING}\n"));
}

#[test]
fn sigterm_which_the_program_does_not_handle_ends_it_without_clean_up() {
    let mut running = Running::ctrl_c(&[], |_| {});
    running.expect_line(WORKING);
    running.send(libc::SIGTERM);
    let (status, output) = running.finish(HANG_GUARD);
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status}: {output}");
    assert_eq!(output, format!("{WORKING}\n"));
}
