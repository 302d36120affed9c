//! Chapter 12: what a signal does once no loop handles it, and Ctrl-C in
//! `aio::run`, each in a child process, since the answer may be the end of
//! the process.
//!
//! This test has its own `main` (`harness = false`): run plainly, it runs
//! itself again once per case, with the case's name in `AIO_SIGNAL_CASE`,
//! and checks how each child ended and what it printed. A child runs on its
//! main thread, which is where `aio::run` handles Ctrl-C.

use aio::{EventLoop, Signal};
use std::cell::Cell;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

const CASE: &str = "AIO_SIGNAL_CASE";

/// How a child should end.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ending {
    /// Exited with status 0, having printed `survived`.
    Survived,
    /// Killed by this signal.
    KilledBy(Signal),
    /// Stopped by a stop signal, then went on when continued, and survived.
    StoppedThenSurvived,
}

/// Each case: its name, what it shows, how the child ends, and lines its
/// output must (`+`) or must not (`-`) have.
const CASES: &[(&str, &str, Ending, &[&str])] = &[
    (
        "removed-term",
        "after remove_signal_handler, SIGTERM ends the process again",
        Ending::KilledBy(Signal::TERM),
        &["+handled SIGTERM", "-survived"],
    ),
    (
        "closed-usr1",
        "closing the loop gives SIGUSR1 its default back",
        Ending::KilledBy(Signal::USR1),
        &["+handled SIGUSR1"],
    ),
    (
        "dropped-usr2",
        "dropping an unclosed loop gives SIGUSR2 its default back",
        Ending::KilledBy(Signal::USR2),
        &["+handled SIGUSR2"],
    ),
    (
        "removed-winch",
        "SIGWINCH is ignored by default, and is again once removed",
        Ending::Survived,
        &["+handled SIGWINCH"],
    ),
    (
        "ignored-hup",
        "a SIGHUP ignored before aio came (nohup) stays ignored after",
        Ending::Survived,
        &["+handled SIGHUP"],
    ),
    (
        "removed-tstp",
        "SIGTSTP stops the process again once removed",
        Ending::StoppedThenSurvived,
        &["+handled SIGTSTP"],
    ),
    (
        "ctrl-c",
        "the first Ctrl-C cancels aio::run's main task, whose clean-up runs",
        Ending::KilledBy(Signal::INT),
        &[
            "+main task cleaned up",
            "+other task cleaned up",
            "+run returned Interrupted",
            "-main task finished",
        ],
    ),
    (
        "ctrl-c-twice",
        "a second Ctrl-C before the loop takes the first ends it at once",
        Ending::KilledBy(Signal::INT),
        &["-main task cleaned up", "-run returned"],
    ),
    (
        "ctrl-c-own-handler",
        "a program's own SIGINT handler replaces aio::run's",
        Ending::Survived,
        &["+own handler ran", "+main task finished"],
    ),
];

fn main() {
    if let Ok(case) = std::env::var(CASE) {
        run_case(&case);
        println!("survived");
        return;
    }
    let mut failed = 0;
    for (name, what, ending, lines) in CASES {
        match check_case(name, *ending, lines) {
            Ok(()) => println!("test {name} ({what}) ... ok"),
            Err(problem) => {
                println!("test {name} ({what}) ... FAILED\n{problem}");
                failed += 1;
            }
        }
    }
    println!("\n{} cases, {failed} failed", CASES.len());
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Runs case `name` in a child and compares how it ended.
fn check_case(
    name: &str,
    expected: Ending,
    lines: &[&str],
) -> Result<(), String> {
    let child = Command::new(std::env::current_exe().unwrap())
        .env(CASE, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| error.to_string())?;
    if expected == Ending::StoppedThenSurvived {
        wait_until_stopped(child.id())?;
        Signal::CONT.send(child.id()).map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = |problem: String| {
        format!("  {problem}\n  stdout:\n{stdout}  stderr:\n{stderr}")
    };
    let status = output.status;
    let ended_as_expected = match expected {
        Ending::KilledBy(signal) => status.signal() == Some(signal.as_raw()),
        Ending::Survived | Ending::StoppedThenSurvived => {
            status.success() && stdout.lines().any(|l| l == "survived")
        }
    };
    if !ended_as_expected {
        return Err(report(format!("expected {expected:?}, got {status}")));
    }
    for line in lines {
        let (wanted, text) = line.split_at(1);
        let present = stdout.contains(text);
        if present != (wanted == "+") {
            let how = if present { "unexpected" } else { "missing" };
            return Err(report(format!("{how} {text:?}")));
        }
    }
    Ok(())
}

/// Waits until child `pid` has stopped (it is then still our child).
fn wait_until_stopped(pid: u32) -> Result<(), String> {
    let mut status = 0;
    // SAFETY: waitpid writes the status into a live local; WUNTRACED
    // reports the stop without reaping the child, which `wait_with_output`
    // reaps later.
    let waited =
        unsafe { libc::waitpid(pid as i32, &mut status, libc::WUNTRACED) };
    if waited == pid as i32 && libc::WIFSTOPPED(status) {
        Ok(())
    } else {
        Err(format!("child {pid} did not stop (status {status:#x})"))
    }
}

/// The child's side of case `name`.
fn run_case(name: &str) {
    match name {
        "removed-term" => handle_then(Signal::TERM, remove),
        "closed-usr1" => handle_then(Signal::USR1, |event_loop| {
            event_loop.close().unwrap();
        }),
        "dropped-usr2" => handle_then(Signal::USR2, drop),
        "removed-winch" => handle_then(Signal::WINCH, remove),
        "ignored-hup" => {
            // SAFETY: setting SIGHUP to SIG_IGN, as nohup does, with a zeroed
            // sigaction, before any thread or loop exists.
            unsafe {
                let mut ignore: libc::sigaction = std::mem::zeroed();
                ignore.sa_sigaction = libc::SIG_IGN;
                libc::sigaction(libc::SIGHUP, &ignore, std::ptr::null_mut());
            }
            handle_then(Signal::HUP, remove);
        }
        "removed-tstp" => handle_then(Signal::TSTP, remove),
        "ctrl-c" => ctrl_c(1),
        "ctrl-c-twice" => ctrl_c(2),
        "ctrl-c-own-handler" => ctrl_c_own_handler(),
        _ => panic!("no case {name}"),
    }
}

fn remove(event_loop: EventLoop) {
    let signal_removed =
        [Signal::TERM, Signal::WINCH, Signal::HUP, Signal::TSTP]
            .into_iter()
            .filter(|signal| event_loop.remove_signal_handler(*signal).unwrap())
            .count();
    assert_eq!(signal_removed, 1);
    event_loop.close().unwrap();
}

/// Handles `signal` once, lets it go with `let_go`, then raises it again.
fn handle_then(signal: Signal, let_go: impl FnOnce(EventLoop)) {
    let event_loop = EventLoop::new().unwrap();
    let handled = Rc::new(Cell::new(false));
    let seen = handled.clone();
    event_loop.add_signal_handler(signal, move || seen.set(true)).unwrap();
    signal.raise().unwrap();
    event_loop
        .run_until_complete(aio::sleep(Duration::from_millis(5)))
        .unwrap();
    assert!(handled.get(), "the handler ran");
    println!("handled {signal}");
    let_go(event_loop);
    signal.raise().unwrap();
}

/// Prints `what` when dropped: a task's clean-up.
struct CleanUp(&'static str);

impl Drop for CleanUp {
    fn drop(&mut self) {
        println!("{} cleaned up", self.0);
    }
}

/// `aio::run`, with `presses` Ctrl-Cs from inside the main task.
fn ctrl_c(presses: usize) {
    let outcome = aio::run(async move {
        let _clean_up = CleanUp("main task");
        aio::spawn(async {
            let _clean_up = CleanUp("other task");
            aio::sleep(Duration::from_secs(3600)).await;
        })
        .unwrap();
        for _ in 0..presses {
            Signal::INT.raise().unwrap();
        }
        aio::sleep(Duration::from_secs(3600)).await;
        println!("main task finished");
    });
    match outcome {
        Err(aio::Error::Interrupted) => println!("run returned Interrupted"),
        other => println!("run returned {other:?}"),
    }
    // The loop is closed and SIGINT has its default action again.
    Signal::INT.raise().unwrap();
}

/// `aio::run` whose main task handles SIGINT itself.
fn ctrl_c_own_handler() {
    let outcome = aio::run(async {
        let done = aio::Event::new();
        let set = done.clone();
        aio::add_signal_handler(Signal::INT, move || {
            println!("own handler ran");
            set.set();
        })
        .unwrap();
        Signal::INT.raise().unwrap();
        done.wait().await;
        println!("main task finished");
    });
    outcome.unwrap();
}
