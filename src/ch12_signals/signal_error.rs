//! Chapter 12 (signals): why a signal handler could not be added, and what
//! to do instead.
//!
//! asyncio raises `ValueError` for a number that is not a signal and
//! `RuntimeError` for one that cannot be caught. [`SignalError`] names the
//! case, and turns into an `io::Error` of the matching kind.

use crate::ch12_signals::signal::Signal;
use std::fmt;
use std::io;

// ANCHOR: signal_error
/// Why a signal handler could not be added or removed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignalError {
    /// The number is not a signal of this system.
    OutOfRange(i32),
    /// `SIGKILL` or `SIGSTOP`: the kernel acts on them without asking.
    CannotBeCaught(Signal),
    /// `SIGSEGV`, `SIGBUS`, `SIGILL` or `SIGFPE`: the thread that raised it
    /// cannot go on until it is handled, so it cannot wait for the loop.
    Fault(Signal),
    /// Signals 32 and 33: the C library's threads use them.
    Reserved(Signal),
    /// Another loop of this process handles the signal.
    HandledByAnotherLoop {
        /// The signal.
        signal: Signal,
        /// The loop that handles it ([`EventLoop::id`](crate::EventLoop::id)).
        loop_id: u64,
    },
    /// No loop is running on this thread (the free functions need one).
    NoRunningLoop,
    /// The loop is closed.
    LoopClosed,
    /// The system refused (the self-pipe could not be made, say).
    Os(io::Error),
}
// ANCHOR_END: signal_error

impl fmt::Display for SignalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignalError::OutOfRange(number) => write!(
                f,
                "{number} is not a signal number: signals are numbered 1 to \
                 {}; use the constants on aio::Signal",
                libc::SIGRTMAX()
            ),
            SignalError::CannotBeCaught(signal) => write!(
                f,
                "{signal} cannot be caught: the kernel acts on it without \
                 asking the process; handle SIGTERM or SIGINT instead"
            ),
            SignalError::Fault(signal) => write!(
                f,
                "{signal} reports a fault in the instruction that raised it, \
                 and that thread cannot go on until it is handled, so it \
                 cannot wait for a loop callback; aio does not handle it"
            ),
            SignalError::Reserved(signal) => write!(
                f,
                "{signal} is reserved by the C library for its threads; use \
                 Signal::realtime(n) for a signal of your own"
            ),
            SignalError::HandledByAnotherLoop { signal, loop_id } => write!(
                f,
                "{signal} is handled by event loop {loop_id}, and a signal \
                 goes to one loop in a process; remove the handler there \
                 first (remove_signal_handler), or handle it in that loop"
            ),
            SignalError::NoRunningLoop => write!(
                f,
                "no event loop is running on this thread; call this from a \
                 task or callback, or use EventLoop::add_signal_handler"
            ),
            SignalError::LoopClosed => write!(
                f,
                "the event loop is closed and handles no more signals; add \
                 the handler to a loop that is open"
            ),
            SignalError::Os(error) => write!(
                f,
                "the system refused to set up signal handling: {error}"
            ),
        }
    }
}

impl std::error::Error for SignalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignalError::Os(error) => Some(error),
            _ => None,
        }
    }
}

impl From<SignalError> for io::Error {
    fn from(error: SignalError) -> io::Error {
        let kind = match &error {
            SignalError::OutOfRange(_)
            | SignalError::CannotBeCaught(_)
            | SignalError::Fault(_)
            | SignalError::Reserved(_) => io::ErrorKind::InvalidInput,
            SignalError::HandledByAnotherLoop { .. } => {
                io::ErrorKind::AddrInUse
            }
            SignalError::NoRunningLoop | SignalError::LoopClosed => {
                io::ErrorKind::NotConnected
            }
            SignalError::Os(error) => error.kind(),
        };
        io::Error::new(kind, error)
    }
}

impl Signal {
    // ANCHOR: check_can_be_handled
    /// Whether a loop can handle this signal, and if not, why.
    pub(crate) fn check_can_be_handled(self) -> Result<(), SignalError> {
        let number = self.as_raw();
        if number < 1 || number > libc::SIGRTMAX() {
            Err(SignalError::OutOfRange(number))
        } else if [libc::SIGKILL, libc::SIGSTOP].contains(&number) {
            Err(SignalError::CannotBeCaught(self))
        } else if [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE]
            .contains(&number)
        {
            Err(SignalError::Fault(self))
        } else if number > libc::SIGSYS && number < libc::SIGRTMIN() {
            Err(SignalError::Reserved(self))
        } else {
            Ok(())
        }
    }
    // ANCHOR_END: check_can_be_handled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_bad_signal_is_named() {
        let check = |number| Signal::from_raw(number).check_can_be_handled();
        for number in [0, -1, libc::SIGRTMAX() + 1, 1000] {
            assert!(
                matches!(check(number), Err(SignalError::OutOfRange(n)) if n == number)
            );
        }
        assert!(matches!(check(9), Err(SignalError::CannotBeCaught(_))));
        assert!(matches!(check(19), Err(SignalError::CannotBeCaught(_))));
        for fault in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
            assert!(matches!(check(fault), Err(SignalError::Fault(_))));
        }
        assert!(matches!(check(32), Err(SignalError::Reserved(_))));
        assert!(matches!(check(33), Err(SignalError::Reserved(_))));
        for good in [1, 2, 10, 12, 15, 28, libc::SIGRTMIN(), libc::SIGRTMAX()] {
            assert!(check(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn errors_become_io_errors_of_the_matching_kind() {
        let error: io::Error = SignalError::OutOfRange(0).into();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        let error: io::Error = SignalError::HandledByAnotherLoop {
            signal: Signal::HUP,
            loop_id: 3,
        }
        .into();
        assert_eq!(error.kind(), io::ErrorKind::AddrInUse);
        assert!(error.to_string().contains("event loop 3"), "{error}");
    }
}
