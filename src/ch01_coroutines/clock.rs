//! Chapter 1 (coroutines): the loop's clock, real or virtual.
//!
//! Loop time is a [`Duration`] since the loop was created, like asyncio's
//! `loop.time()` but starting at zero. A real clock reads [`Instant`]. A
//! virtual clock only moves when the loop has nothing ready: it jumps straight
//! to the next timer's deadline, so a program that sleeps for an hour finishes
//! at once, and every time it prints is exact.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Which clock a new loop uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    /// Wall-clock time: `sleep(1s)` takes a second.
    Real,
    /// Simulated time: when nothing is ready, time jumps to the next timer.
    Virtual,
}

impl ClockKind {
    /// The clock named by the `AIO_CLOCK` environment variable (`virtual` or
    /// `real`), or [`ClockKind::Real`] when it is unset or has another value.
    ///
    /// The chapters' snapshot tests set `AIO_CLOCK=virtual`, so the examples,
    /// which call `EventLoop::new()` exactly as their Python originals do,
    /// print exact times.
    pub fn from_env() -> ClockKind {
        match std::env::var("AIO_CLOCK").as_deref() {
            Ok("virtual") => ClockKind::Virtual,
            _ => ClockKind::Real,
        }
    }

    /// The clock a loop built now gets unless its builder chooses: the one
    /// [`with_clock`] set on this thread, or else [`ClockKind::from_env`].
    pub fn default_here() -> ClockKind {
        DEFAULT_CLOCK
            .try_with(Cell::get)
            .ok()
            .flatten()
            .unwrap_or_else(ClockKind::from_env)
    }
}

thread_local! {
    static DEFAULT_CLOCK: Cell<Option<ClockKind>> = const { Cell::new(None) };
}

/// Runs `program` with `kind` as the default clock of the loops it builds on
/// this thread, and returns its output. An example that calls
/// `EventLoop::new()` then runs on the virtual clock without `AIO_CLOCK`
/// being set: environment variables are shared by all threads, and a test
/// that set one would change its neighbours' loops too.
///
/// ```
/// use aio::ClockKind;
///
/// let virtual_loop = aio::with_clock(ClockKind::Virtual, aio::EventLoop::new)?;
/// assert!(format!("{virtual_loop:?}").contains("virtual_clock: true"));
/// virtual_loop.close()?;
/// # Ok::<(), aio::Error>(())
/// ```
pub fn with_clock<T>(kind: ClockKind, program: impl FnOnce() -> T) -> T {
    /// Puts back the previous default, even if `program` panics.
    struct Restore(Option<ClockKind>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = DEFAULT_CLOCK.try_with(|clock| clock.set(self.0));
        }
    }
    let _restore =
        Restore(DEFAULT_CLOCK.with(|clock| clock.replace(Some(kind))));
    program()
}

// ANCHOR: clock
/// A running clock.
#[derive(Debug)]
pub(crate) enum Clock {
    /// Measures real time from `origin`.
    Real { origin: Instant },
    /// Holds the current virtual time.
    Virtual { now: Cell<Duration> },
}

impl Clock {
    /// Starts a clock of the given kind at zero.
    pub(crate) fn new(kind: ClockKind) -> Clock {
        match kind {
            ClockKind::Real => Clock::Real { origin: Instant::now() },
            ClockKind::Virtual => {
                Clock::Virtual { now: Cell::new(Duration::ZERO) }
            }
        }
    }

    /// The current loop time.
    pub(crate) fn now(&self) -> Duration {
        match self {
            Clock::Real { origin } => origin.elapsed(),
            Clock::Virtual { now } => now.get(),
        }
    }

    /// Whether this clock is virtual.
    pub(crate) fn is_virtual(&self) -> bool {
        matches!(self, Clock::Virtual { .. })
    }

    /// Moves a virtual clock forward to `deadline` (never backwards). A real
    /// clock ignores this: real time moves on its own.
    pub(crate) fn advance_to(&self, deadline: Duration) {
        if let Clock::Virtual { now } = self {
            now.set(now.get().max(deadline));
        }
    }
}
// ANCHOR_END: clock
