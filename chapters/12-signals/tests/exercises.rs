//! The graders of chapter 12's exercises, one module per exercise.
//!
//! `cargo test -p ch12-signals --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
//!
//! The signals go to child processes: each test runs itself again as a
//! child (`grading::in_child`), in which the reader's code handles, or
//! fails to handle, the signals the case raises or the test sends; the
//! test then checks what the child said and how it ended. A signal whose
//! default action ends a process ends the child, never the test binary,
//! and libtest's threads never share a signal. Every wait is bounded by
//! `grading::HANG_GUARD`.

use aio::Signal;
use grading::{Ending, in_child, say};
use std::time::Duration;

/// A loop on the virtual clock: its sleeps and timeouts take no real time.
fn virtual_loop() -> aio::EventLoop {
    aio::EventLoop::builder().virtual_clock().build().expect("a loop")
}

/// Sends `signal` to this thread after `delay` of loop time, saying so.
async fn send_after(delay: Duration, signal: Signal) {
    aio::sleep(delay).await;
    say(format!("sending {signal}"));
    signal.raise().expect("raise(3)");
}

/// Spawns [`send_after`] on the running loop.
fn spawn_sender(delay: Duration, signal: Signal) {
    aio::spawn(send_after(delay, signal)).expect("a task");
}

/// Says `line` when dropped: a clean-up that shows it ran.
struct SaysOnDrop(&'static str);

impl Drop for SaysOnDrop {
    fn drop(&mut self) {
        say(self.0);
    }
}

/// A second of loop time, and an hour.
const SECOND: Duration = Duration::from_secs(1);
const HOUR: Duration = Duration::from_secs(3600);

mod next_signal {
    use super::*;
    use ch12_signals::exercises::next_signal::next_signal;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// `next_signal(signal)` under a minute's timeout (a hang guard), said
    /// as `returned ...` or `timed out`.
    async fn wait_and_say(signal: Signal, limit: Duration) {
        match aio::wait_for(next_signal(signal), limit).await {
            Ok(outcome) => say(format!("returned {outcome:?}")),
            Err(_) => say("timed out"),
        }
    }

    #[test]
    fn returns_once_the_signal_arrives() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    spawn_sender(SECOND, Signal::USR1);
                    say("waiting");
                    wait_and_say(Signal::USR1, 60 * SECOND).await;
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::Exited(0),
            &["waiting", "sending SIGUSR1", "returned Ok(())"],
            "next_signal(USR1) must wait for the next SIGUSR1, then return \
             Ok(())",
        );
    }

    #[test]
    fn gives_the_default_action_back_once_it_returns() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    spawn_sender(SECOND, Signal::USR1);
                    wait_and_say(Signal::USR1, 60 * SECOND).await;
                    say("raising SIGUSR1 again");
                    Signal::USR1.raise().expect("raise(3)");
                    aio::sleep(SECOND).await; // a handler left would run
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::USR1),
            &["sending SIGUSR1", "returned Ok(())", "raising SIGUSR1 again"],
            "once next_signal has returned, its handler must be gone, so \
             the next SIGUSR1 has its default action and ends the process",
        );
    }

    #[test]
    fn a_wait_that_is_dropped_gives_the_default_action_back() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    // No signal comes: the timeout drops the waiting future.
                    wait_and_say(Signal::USR1, SECOND).await;
                    say("raising SIGUSR1");
                    Signal::USR1.raise().expect("raise(3)");
                    aio::sleep(SECOND).await;
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::USR1),
            &["timed out", "raising SIGUSR1"],
            "with no signal, next_signal must not return; and once a timeout \
             drops it, its handler must be gone too (remove it in a Drop), \
             so SIGUSR1 ends the process again",
        );
    }

    #[test]
    fn refuses_what_add_signal_handler_refuses() {
        let Some(child) = in_child(|| {
            // Outside a loop: one poll must say there is none.
            let waker = Waker::noop();
            let outside = pin!(next_signal(Signal::USR1))
                .poll(&mut Context::from_waker(waker));
            say(format!("outside a loop|{outside:?}"));
            let event_loop = virtual_loop();
            let bad = [Signal::KILL, Signal::STOP, Signal::from_raw(11)];
            for signal in bad.into_iter().chain([Signal::from_raw(0)]) {
                let theirs = event_loop.add_signal_handler(signal, || {});
                let mine = event_loop
                    .run_until_complete(aio::wait_for(
                        next_signal(signal),
                        SECOND,
                    ))
                    .expect("the case runs");
                say(format!("{signal}|{mine:?}|Ok({theirs:?})"));
            }
        }) else {
            return;
        };
        let ended = child.finish();
        ended.check_ending(Ending::Exited(0));
        let [outside, refused @ ..] = &ended.said[..] else {
            panic!("the child said nothing: {ended:?}");
        };
        assert_eq!(
            outside,
            &format!(
                "outside a loop|{:?}",
                Poll::Ready(Err::<(), _>(aio::SignalError::NoRunningLoop))
            ),
            "polled outside a running loop, next_signal must be Ready(Err(\
             NoRunningLoop)) at once: {ended:?}"
        );
        assert_eq!(refused.len(), 4, "{ended:?}");
        for line in refused {
            let [signal, mine, theirs] =
                line.split('|').collect::<Vec<_>>()[..]
            else {
                panic!("{line:?}");
            };
            assert_eq!(
                mine, theirs,
                "next_signal({signal}) must fail at once with the error \
                 add_signal_handler gives"
            );
        }
    }
}

mod until_signal {
    use super::*;
    use ch12_signals::exercises::until_signal::until_signal;

    /// `until_signal(signals, work)` under a minute's timeout (a hang
    /// guard), said as its outcome.
    async fn run_and_say<F: Future>(signals: &[Signal], work: F)
    where
        F::Output: std::fmt::Debug,
    {
        let limit = 60 * SECOND;
        match aio::wait_for(until_signal(signals, work), limit).await {
            Ok(Ok(outcome)) => say(format!("{outcome:?}")),
            Ok(Err(error)) => say(format!("Err({error:?})")),
            Err(_) => say("timed out"),
        }
    }

    /// An hour's work, which says when it starts and when it is dropped.
    async fn long_work() -> u32 {
        let _clean_up = SaysOnDrop("work dropped");
        say("work started");
        aio::sleep(HOUR).await;
        say("work finished");
        7
    }

    #[test]
    fn work_that_finishes_first_gives_its_value() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    let work = async {
                        aio::sleep(SECOND).await;
                        42
                    };
                    run_and_say(&[Signal::HUP, Signal::TERM], work).await;
                    say("raising SIGTERM");
                    Signal::TERM.raise().expect("raise(3)");
                    aio::sleep(SECOND).await;
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::TERM),
            &["Finished(42)", "raising SIGTERM"],
            "work that finishes before any signal gives Finished(value); \
             then the handlers must be gone, so SIGTERM ends the process",
        );
    }

    #[test]
    fn a_signal_stops_the_work_and_drops_it() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    spawn_sender(SECOND, Signal::TERM);
                    run_and_say(&[Signal::HUP, Signal::TERM], long_work())
                        .await;
                    say("raising SIGTERM");
                    Signal::TERM.raise().expect("raise(3)");
                    aio::sleep(SECOND).await;
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::TERM),
            &[
                "work started",
                "sending SIGTERM",
                "work dropped",
                "Stopped(SIGTERM)",
                "raising SIGTERM",
            ],
            "a SIGTERM must stop the work: dropped (its clean-up runs) \
             before until_signal returns Stopped(SIGTERM); then SIGTERM's \
             default action must be back",
        );
    }

    #[test]
    fn names_the_signal_that_came_and_removes_every_handler() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    spawn_sender(SECOND, Signal::USR1);
                    let signals = [Signal::HUP, Signal::USR1, Signal::TERM];
                    run_and_say(&signals, long_work()).await;
                    say("raising SIGHUP");
                    Signal::HUP.raise().expect("raise(3)");
                    aio::sleep(SECOND).await;
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::HUP),
            &[
                "work started",
                "sending SIGUSR1",
                "work dropped",
                "Stopped(SIGUSR1)",
                "raising SIGHUP",
            ],
            "with [HUP, USR1, TERM], a SIGUSR1 gives Stopped(SIGUSR1); and \
             every handler must be removed, not only the one that fired, so \
             SIGHUP ends the process afterwards",
        );
    }

    #[test]
    fn a_signal_it_cannot_handle_leaves_no_handler_behind() {
        let Some(child) = in_child(|| {
            virtual_loop()
                .run_until_complete(async {
                    run_and_say(&[Signal::HUP, Signal::KILL], long_work())
                        .await;
                    say("raising SIGHUP");
                    Signal::HUP.raise().expect("raise(3)");
                    aio::sleep(SECOND).await;
                    say("survived");
                })
                .expect("the case runs");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::HUP),
            &["Err(CannotBeCaught(SIGKILL))", "raising SIGHUP"],
            "[HUP, KILL] must fail with CannotBeCaught(SIGKILL) without \
             starting the work, and the SIGHUP handler added before the \
             failure must be removed again, so SIGHUP ends the process",
        );
    }
}

mod ctrl_c_run {
    use super::*;
    use ch12_signals::exercises::ctrl_c_run::ctrl_c_run;
    use grading::Running;

    /// The chapter's `ctrl_c` example, which uses `aio::run`.
    const CTRL_C: &str = env!("CARGO_BIN_EXE_ctrl_c");

    const WORKING: &str = "main: working (press Ctrl-C)";
    const CLEANING_UP: &str = "main: cleaning up";

    /// The `ctrl_c` example's clean-up, saying what it does.
    struct CleanUp {
        slow: bool,
    }

    impl Drop for CleanUp {
        fn drop(&mut self) {
            say(CLEANING_UP);
            if self.slow {
                // As the example's: only a second Ctrl-C cuts it short.
                std::thread::sleep(Duration::from_secs(30));
            }
            say("main: clean-up done");
        }
    }

    /// The `ctrl_c` example's `main`, with `ctrl_c_run` for `aio::run`.
    fn the_example_with_ctrl_c_run(slow: bool) {
        let outcome = ctrl_c_run(async move {
            let _clean_up = CleanUp { slow };
            say(WORKING);
            aio::sleep(HOUR).await;
        });
        match outcome {
            Err(aio::Error::Interrupted) => {
                say("main: interrupted");
                Signal::INT.exit_process()
            }
            other => say(format!("returned {other:?}")),
        }
    }

    /// Runs `running` to its end with one Ctrl-C, or two (the second once
    /// the clean-up has started).
    fn with_ctrl_c(mut running: Running, twice: bool) -> grading::Ended {
        running.expect_line(WORKING);
        running.send(Signal::INT);
        if twice {
            running.expect_line(CLEANING_UP);
            running.send(Signal::INT);
        }
        running.finish()
    }

    /// Runs the example (`aio::run`) and the test's child (`ctrl_c_run`)
    /// the same way, and checks that they say the same and end the same.
    fn same_as_aio_run(child: Running, args: &[&str], twice: bool) {
        let example = with_ctrl_c(Running::program(CTRL_C, args), twice);
        let mine = with_ctrl_c(child, twice);
        assert_eq!(
            (mine.ending, &mine.said),
            (example.ending, &example.said),
            "ctrl_c_run must do what aio::run does in the ctrl_c example \
             (right): the first Ctrl-C cancels main, so its clean-up runs, \
             and {}\nctrl_c_run's run: {mine:?}",
            if twice {
                "a second one during the clean-up ends the process at once \
                 (remove the handler in its first call)"
            } else {
                "it returns Err(Interrupted)"
            }
        );
    }

    #[test]
    fn one_ctrl_c_cancels_main_as_aio_run_does() {
        let Some(child) = in_child(|| the_example_with_ctrl_c_run(false))
        else {
            return;
        };
        same_as_aio_run(child, &[], false);
    }

    #[test]
    fn a_second_ctrl_c_cuts_a_slow_clean_up_short_as_aio_run_does() {
        let Some(child) = in_child(|| the_example_with_ctrl_c_run(true)) else {
            return;
        };
        same_as_aio_run(child, &["--slow-cleanup"], true);
    }

    /// Spawns a task that sleeps for an hour, with a clean-up to say.
    fn spawn_other_task() {
        aio::spawn(async {
            let _clean_up = SaysOnDrop("other task cleaned up");
            aio::sleep(HOUR).await;
        })
        .expect("a task");
    }

    #[test]
    fn a_main_that_finishes_gives_its_value_and_the_rest_is_cancelled() {
        let Some(child) = in_child(|| {
            let outcome = aio::with_clock(aio::ClockKind::Virtual, || {
                ctrl_c_run(async {
                    spawn_other_task();
                    aio::sleep(SECOND).await;
                    42
                })
            });
            say(format!("returned {outcome:?}"));
            say("raising SIGINT");
            Signal::INT.raise().expect("raise(3)");
            say("survived");
        }) else {
            return;
        };
        child.finish().check(
            Ending::KilledBy(Signal::INT),
            &["other task cleaned up", "returned Ok(42)", "raising SIGINT"],
            "a main that finishes gives Ok(value); the tasks still pending \
             are cancelled before ctrl_c_run returns; and afterwards SIGINT \
             has its default action again",
        );
    }

    #[test]
    fn ctrl_c_cancels_main_first_then_the_other_tasks() {
        let Some(child) = in_child(|| {
            let outcome = aio::with_clock(aio::ClockKind::Virtual, || {
                ctrl_c_run(async {
                    let _clean_up = SaysOnDrop("main task cleaned up");
                    spawn_other_task();
                    spawn_sender(SECOND, Signal::INT);
                    aio::sleep(HOUR).await;
                    say("main task finished");
                })
            });
            say(format!("returned {outcome:?}"));
        }) else {
            return;
        };
        child.finish().check(
            Ending::Exited(0),
            &[
                "sending SIGINT",
                "main task cleaned up",
                "other task cleaned up",
                "returned Err(Interrupted)",
            ],
            "Ctrl-C cancels the main task (its clean-up runs first), then \
             ctrl_c_run cancels the tasks left, as asyncio.run does, and \
             returns Err(Interrupted)",
        );
    }
}

/// Running a test's case in a child process, and a program too, and
/// reading what they say and how they end.
mod grading {
    use aio::Signal;
    use std::fmt::{self, Display};
    use std::io::{self, BufRead, BufReader, Read};
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Child, Command, ExitStatus, Stdio};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::{Duration, Instant};
    use std::{env, thread};

    /// The variable that tells a child which test's case to run.
    const CASE: &str = "CH12_EXERCISE_CASE";

    /// How long a child may take for any step (a hang guard, not a timing:
    /// every step should take milliseconds).
    pub const HANG_GUARD: Duration = Duration::from_secs(10);

    /// What starts each line a case says, on its standard error.
    const SAID: &str = "| ";

    /// Says `line` for the test to read (in a child).
    pub fn say(line: impl Display) {
        eprintln!("{SAID}{line}");
    }

    /// How a process ended.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Ending {
        /// It exited with this status.
        Exited(i32),
        /// A signal ended it.
        KilledBy(Signal),
    }

    impl From<ExitStatus> for Ending {
        fn from(status: ExitStatus) -> Ending {
            match status.signal() {
                Some(signal) => Ending::KilledBy(Signal::from_raw(signal)),
                None => Ending::Exited(status.code().unwrap_or(-1)),
            }
        }
    }

    /// Runs `case` in a child process, which is this test binary run again
    /// for the calling test alone. In that child, runs `case` and exits
    /// with status 0 (unless a signal ends it first); in the test, returns
    /// the running child; in another test's child, returns `None`.
    pub fn in_child(case: impl FnOnce()) -> Option<Running> {
        // libtest runs each test on a thread named after it.
        let current = thread::current();
        let test = current.name().expect("a test thread has its test's name");
        match env::var(CASE) {
            Ok(name) if name == test => {
                case();
                std::process::exit(0)
            }
            Ok(_) => None, // a child never starts children of its own
            Err(_) => {
                let binary = env::current_exe().expect("the test binary");
                let mut command = Command::new(binary);
                command.args([test, "--exact", "--nocapture"]);
                command.env(CASE, test).env_remove("AIO_CLOCK");
                Some(Running::start(command, Some(SAID)))
            }
        }
    }

    /// A running child, and the lines it says as they come.
    pub struct Running {
        child: Child,
        lines: mpsc::Receiver<String>,
        /// The prefix of the lines it says (others are only logged).
        said_prefix: Option<&'static str>,
        said: Vec<String>,
        log: Vec<String>,
    }

    impl Running {
        /// Starts `program` with `args`; what it says is its standard
        /// output.
        pub fn program(program: &str, args: &[&str]) -> Running {
            let mut command = Command::new(program);
            command.args(args).env_remove("AIO_CLOCK");
            Running::start(command, None)
        }

        /// Starts `command`, reading standard error lines that start with
        /// `said_prefix`, or with none, all of standard output.
        fn start(
            mut command: Command,
            said_prefix: Option<&'static str>,
        ) -> Running {
            // SAFETY: between fork and exec only async-signal-safe calls are
            // allowed: signal(2) is one, and errno is all else it reads.
            // SIGINT starts with its default action (a background job would
            // have it ignored), as in a terminal.
            unsafe {
                command.pre_exec(|| {
                    if libc::signal(libc::SIGINT, libc::SIG_DFL)
                        == libc::SIG_ERR
                    {
                        return Err(io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            command.stdin(Stdio::null());
            let mut child = match said_prefix {
                Some(_) => command.stdout(Stdio::null()).stderr(Stdio::piped()),
                None => command.stdout(Stdio::piped()).stderr(Stdio::inherit()),
            }
            .spawn()
            .expect("the child starts");
            let output: Box<dyn Read + Send> = match said_prefix {
                Some(_) => Box::new(child.stderr.take().expect("a pipe")),
                None => Box::new(child.stdout.take().expect("a pipe")),
            };
            let (sender, lines) = mpsc::channel();
            thread::spawn(move || {
                for line in BufReader::new(output).lines() {
                    let Ok(line) = line else { break };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
            Running {
                child,
                lines,
                said_prefix,
                said: Vec::new(),
                log: Vec::new(),
            }
        }

        /// Files `line` as said, or only logged; returns what was said.
        fn file(&mut self, line: String) -> Option<String> {
            let said = match self.said_prefix {
                Some(prefix) => line.strip_prefix(prefix).map(str::to_owned),
                None => Some(line.clone()),
            };
            match &said {
                Some(said) => self.said.push(said.clone()),
                None => self.log.push(line),
            }
            said
        }

        /// Waits for the child to say its next line, which must be
        /// `expected`.
        pub fn expect_line(&mut self, expected: &str) {
            let deadline = Instant::now() + HANG_GUARD;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                match self.lines.recv_timeout(left) {
                    Ok(line) => match self.file(line) {
                        Some(said) => {
                            assert_eq!(said, expected, "{self:?}");
                            return;
                        }
                        None => continue,
                    },
                    Err(error) => panic!(
                        "the child never said {expected:?} ({error}): {self:?}"
                    ),
                }
            }
        }

        /// Sends `signal` to the child.
        pub fn send(&self, signal: Signal) {
            signal.send(self.child.id()).expect("kill(2) to the child");
        }

        /// Waits for the child to end (killing it after [`HANG_GUARD`]).
        pub fn finish(mut self) -> Ended {
            let deadline = Instant::now() + HANG_GUARD;
            let status = loop {
                if let Some(status) = self.child.try_wait().expect("wait") {
                    break status;
                }
                if Instant::now() > deadline {
                    let _ = self.child.kill();
                    panic!(
                        "the child was still running after {HANG_GUARD:?} \
                         (does it wait for a signal that never comes, or \
                         handle one it should have let end it?): {self:?}"
                    );
                }
                thread::sleep(Duration::from_millis(10));
            };
            loop {
                match self.lines.recv_timeout(HANG_GUARD) {
                    Ok(line) => _ = self.file(line),
                    Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => {
                        panic!("the child's output stays open: {self:?}")
                    }
                }
            }
            Ended {
                ending: status.into(),
                said: std::mem::take(&mut self.said),
                log: std::mem::take(&mut self.log),
            }
        }
    }

    impl fmt::Debug for Running {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "said {:?}, logged {:?}", self.said, self.log)
        }
    }

    /// A child that failed a test leaves no process behind.
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.child.kill(); // nothing, if it has been reaped
            let _ = self.child.wait();
        }
    }

    /// How a child ended, and what it said.
    pub struct Ended {
        /// How it ended.
        pub ending: Ending,
        /// The lines it said, in order.
        pub said: Vec<String>,
        /// Its other lines (a panic's message, say).
        log: Vec<String>,
    }

    impl Ended {
        /// Checks that the child ended as `ending`, having said `said`;
        /// `rule` says what the test asks.
        pub fn check(&self, ending: Ending, said: &[&str], rule: &str) {
            assert!(
                self.ending == ending && self.said == said,
                "{rule}.\nExpected the child to say {said:?} and end \
                 {ending:?}, but {self:?}"
            );
        }

        /// Checks that the child ended as `ending`.
        pub fn check_ending(&self, ending: Ending) {
            assert_eq!(self.ending, ending, "{self:?}");
        }
    }

    impl fmt::Debug for Ended {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "it said {:?} and ended {:?}", self.said, self.ending)?;
            if !self.log.is_empty() {
                write!(f, "; its other output:\n{}", self.log.join("\n"))?;
            }
            Ok(())
        }
    }
}
