//! Chapter 12 (signals): [`Signal`], a signal's number and name, and the
//! three ways to send one: to a process, to this thread, or to this process
//! to end it.

use std::fmt;
use std::io::{self, Write};

/// A Unix signal, by number. `Display` and `Debug` show its name
/// (`SIGHUP`).
///
/// Any number can be made into a `Signal`; whether it can be handled is
/// checked when a handler is added.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(i32);

/// The names of the standard signals, by number.
const NAMES: &[(i32, &str)] = &[
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
    (libc::SIGILL, "SIGILL"),
    (libc::SIGTRAP, "SIGTRAP"),
    (libc::SIGABRT, "SIGABRT"),
    (libc::SIGBUS, "SIGBUS"),
    (libc::SIGFPE, "SIGFPE"),
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGUSR1, "SIGUSR1"),
    (libc::SIGSEGV, "SIGSEGV"),
    (libc::SIGUSR2, "SIGUSR2"),
    (libc::SIGPIPE, "SIGPIPE"),
    (libc::SIGALRM, "SIGALRM"),
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGSTKFLT, "SIGSTKFLT"),
    (libc::SIGCHLD, "SIGCHLD"),
    (libc::SIGCONT, "SIGCONT"),
    (libc::SIGSTOP, "SIGSTOP"),
    (libc::SIGTSTP, "SIGTSTP"),
    (libc::SIGTTIN, "SIGTTIN"),
    (libc::SIGTTOU, "SIGTTOU"),
    (libc::SIGURG, "SIGURG"),
    (libc::SIGXCPU, "SIGXCPU"),
    (libc::SIGXFSZ, "SIGXFSZ"),
    (libc::SIGVTALRM, "SIGVTALRM"),
    (libc::SIGPROF, "SIGPROF"),
    (libc::SIGWINCH, "SIGWINCH"),
    (libc::SIGIO, "SIGIO"),
    (libc::SIGPWR, "SIGPWR"),
    (libc::SIGSYS, "SIGSYS"),
];

impl Signal {
    /// The terminal hung up, or a daemon is asked to reload.
    pub const HUP: Signal = Signal(libc::SIGHUP);
    /// Ctrl-C.
    pub const INT: Signal = Signal(libc::SIGINT);
    /// Ctrl-\ (ends the process with a core dump by default).
    pub const QUIT: Signal = Signal(libc::SIGQUIT);
    /// The first signal left to programs.
    pub const USR1: Signal = Signal(libc::SIGUSR1);
    /// The second signal left to programs.
    pub const USR2: Signal = Signal(libc::SIGUSR2);
    /// A write to a pipe or socket nobody reads (Rust programs ignore it).
    pub const PIPE: Signal = Signal(libc::SIGPIPE);
    /// An `alarm(2)` timer ran out.
    pub const ALRM: Signal = Signal(libc::SIGALRM);
    /// A polite request to stop (what `kill` and service managers send).
    pub const TERM: Signal = Signal(libc::SIGTERM);
    /// A child stopped or exited (ignored by default).
    pub const CHLD: Signal = Signal(libc::SIGCHLD);
    /// Go on after a stop (ignored by default, once it has continued).
    pub const CONT: Signal = Signal(libc::SIGCONT);
    /// Ctrl-Z (stops the process by default).
    pub const TSTP: Signal = Signal(libc::SIGTSTP);
    /// A background process read from its terminal (stops it by default).
    pub const TTIN: Signal = Signal(libc::SIGTTIN);
    /// A background process wrote to its terminal (stops it by default).
    pub const TTOU: Signal = Signal(libc::SIGTTOU);
    /// The terminal changed size (ignored by default).
    pub const WINCH: Signal = Signal(libc::SIGWINCH);
    /// Urgent data arrived on a socket (ignored by default).
    pub const URG: Signal = Signal(libc::SIGURG);
    /// Ends a process at once; it cannot be caught.
    pub const KILL: Signal = Signal(libc::SIGKILL);
    /// Stops a process at once; it cannot be caught.
    pub const STOP: Signal = Signal(libc::SIGSTOP);

    /// The signal numbered `number`, whatever it is (checked on use).
    pub const fn from_raw(number: i32) -> Signal {
        Signal(number)
    }

    /// The realtime signal `SIGRTMIN + offset`: a signal of the program's
    /// own, which the kernel queues instead of merging. `None` past
    /// `SIGRTMAX`.
    pub fn realtime(offset: i32) -> Option<Signal> {
        let number = libc::SIGRTMIN().checked_add(offset)?;
        (offset >= 0 && number <= libc::SIGRTMAX()).then_some(Signal(number))
    }

    /// The signal's number.
    pub const fn as_raw(self) -> i32 {
        self.0
    }

    /// The signal's name: `SIGHUP`, `SIGRTMIN+2`, or `signal 99` for a number
    /// that names no signal.
    pub fn name(self) -> String {
        if let Some((_, name)) = NAMES.iter().find(|(n, _)| *n == self.0) {
            return (*name).to_owned();
        }
        let (min, max) = (libc::SIGRTMIN(), libc::SIGRTMAX());
        match self.0 {
            n if n == min => "SIGRTMIN".to_owned(),
            n if n > min && n <= max => format!("SIGRTMIN+{}", n - min),
            n => format!("signal {n}"),
        }
    }

    /// Sends the signal to process `pid` (`os.kill`). Pid 0, which `kill(2)`
    /// takes to mean the whole process group, is refused.
    pub fn send(self, pid: u32) -> io::Result<()> {
        let pid = libc::pid_t::try_from(pid)
            .ok()
            .filter(|pid| *pid > 0)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{pid} is not a process id; to signal a process \
                         group, use killpg"
                    ),
                )
            })?;
        // SAFETY: kill(2) takes two integers and touches no memory of ours.
        check(unsafe { libc::kill(pid, self.0) })
    }

    /// Sends the signal to the calling thread (`signal.raise_signal`). Its
    /// handler, if it has one, has run when this returns.
    pub fn raise(self) -> io::Result<()> {
        // SAFETY: raise(3) takes an integer and touches no memory of ours.
        check(unsafe { libc::raise(self.0) })
    }

    // ANCHOR: exit_process
    /// Ends the process as this signal's default action would, so that its
    /// parent sees which signal ended it: a shell prints status 128 + n (130
    /// for SIGINT) and stops a script. A program that caught SIGINT or
    /// SIGTERM to clean up ends this way, as Python does after an uncaught
    /// `KeyboardInterrupt`. If the default action does not end a process
    /// (`SIGCHLD`, say), it exits with status 128 + n.
    pub fn exit_process(self) -> ! {
        let _ = io::stdout().flush();
        let _ = io::stderr().flush();
        // SAFETY: a zeroed sigaction with SIG_DFL is a valid argument;
        // sigemptyset, sigaddset, pthread_sigmask and raise only touch the
        // set we own here.
        unsafe {
            let mut default: libc::sigaction = std::mem::zeroed();
            default.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(self.0, &default, std::ptr::null_mut());
            let mut only_this: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut only_this);
            libc::sigaddset(&mut only_this, self.0);
            libc::pthread_sigmask(
                libc::SIG_UNBLOCK,
                &only_this,
                std::ptr::null_mut(),
            );
            libc::raise(self.0);
        }
        std::process::exit(128 + self.0)
    }
    // ANCHOR_END: exit_process
}

/// The error of a libc call that returned `result`.
fn check(result: libc::c_int) -> io::Result<()> {
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_named_as_in_c() {
        assert_eq!(Signal::HUP.to_string(), "SIGHUP");
        assert_eq!(format!("{:?}", Signal::USR1), "SIGUSR1");
        assert_eq!(Signal::realtime(0).unwrap().name(), "SIGRTMIN");
        assert_eq!(Signal::realtime(2).unwrap().name(), "SIGRTMIN+2");
        assert_eq!(Signal::from_raw(99).name(), "signal 99");
    }

    #[test]
    fn realtime_signals_stay_in_range() {
        let last = libc::SIGRTMAX() - libc::SIGRTMIN();
        assert_eq!(Signal::realtime(last).unwrap().as_raw(), libc::SIGRTMAX());
        assert!(Signal::realtime(last + 1).is_none());
        assert!(Signal::realtime(-1).is_none());
    }

    #[test]
    fn pid_zero_is_refused() {
        let error = Signal::USR1.send(0).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("killpg"), "{error}");
    }
}
