//! Chapter 12 (signals): the process's side of signals: one slot per
//! signal, which loop owns each one, and the handler installed for it.
//!
//! A signal is delivered to a process, not to a loop, so the table is
//! process-wide. Each signal is owned by at most one loop at a time: a
//! second loop that asks for it is refused, naming the first. The handler is
//! installed through `signal-hook-registry`, once per signal, the first time
//! a loop asks for it, and stays: the registry never puts the old
//! disposition back (its `unregister` leaves the signal ignored). So while no
//! loop owns a signal, aio's handler does what the disposition it found would
//! have done: it performs the default action, or, if the signal was ignored
//! when aio came, ignores it. If another handler was there, the registry
//! calls it, and aio adds nothing.

use crate::ch12_signals::delivery::{Delivery, SignalSlot, WakeUp};
use crate::ch12_signals::signal::Signal;
use crate::ch12_signals::signal_error::SignalError;
use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// One entry per signal number (Linux numbers them 1 to 64).
const TABLE_SIZE: usize = 65;

// ANCHOR: slots
#[cfg(not(aio_loom))]
static SLOTS: [SignalSlot; TABLE_SIZE] =
    [const { SignalSlot::new() }; TABLE_SIZE];

/// Whether a delivery no loop takes gets the signal's default action: the
/// signal had it when aio installed its handler.
static DEFAULT_APPLIES: [AtomicBool; TABLE_SIZE] =
    [const { AtomicBool::new(false) }; TABLE_SIZE];
// ANCHOR_END: slots

/// The slot of the signal numbered `number` (checked to be in the table).
#[cfg(not(aio_loom))]
pub(crate) fn slot(number: i32) -> &'static SignalSlot {
    &SLOTS[number as usize]
}

/// Under loom the slots are made inside each model; the process-wide table
/// is never used, but must exist for the code around it to build.
#[cfg(aio_loom)]
pub(crate) fn slot(number: i32) -> &'static SignalSlot {
    static SLOTS: std::sync::OnceLock<Vec<SignalSlot>> =
        std::sync::OnceLock::new();
    &SLOTS.get_or_init(|| (0..TABLE_SIZE).map(|_| SignalSlot::new()).collect())
        [number as usize]
}

/// What the process knows about one signal, under [`OWNERS`]'s lock.
#[derive(Clone, Copy)]
struct Owner {
    /// The loop that handles it.
    loop_id: Option<u64>,
    /// Whether aio's handler is installed for it.
    installed: bool,
}

/// Which loop owns each signal. Only loops touch it, never a signal handler,
/// so a lock is fine here.
static OWNERS: Mutex<[Owner; TABLE_SIZE]> =
    Mutex::new([Owner { loop_id: None, installed: false }; TABLE_SIZE]);

// ANCHOR: on_signal
/// aio's signal handler. It runs inside the signal handler, on whatever
/// thread the signal interrupted, so everything it does is
/// async-signal-safe: atomics, `write`, `sigaction`, `raise`.
fn on_signal(number: i32) {
    let delivery = slot(number).deliver(number as u8, &SelfPipe);
    if delivery == Delivery::NotHandled
        && DEFAULT_APPLIES[number as usize].load(Ordering::Relaxed)
    {
        act_as_default(number);
    }
}

/// The write end of a loop's self-pipe, as the handler sees it: a number.
struct SelfPipe;

impl WakeUp for SelfPipe {
    fn wake(&self, fd: RawFd, byte: u8) {
        // SAFETY: write(2) reads one byte from a live local; the descriptor
        // is open, since the loop closes it only after `stop_routing`. A full
        // pipe says EAGAIN: the loop is due to read it anyway.
        unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
    }
}
// ANCHOR_END: on_signal

// ANCHOR: act_as_default
/// Does what the kernel would have done for signal `number`, from inside
/// its handler: nothing for those ignored by default, a stop for the stop
/// signals, and otherwise the end of the process, by that signal.
fn act_as_default(number: i32) {
    match number {
        libc::SIGCHLD | libc::SIGCONT | libc::SIGURG | libc::SIGWINCH => {}
        libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU => {
            // SAFETY: raise(3) is async-signal-safe and takes an integer.
            unsafe { libc::raise(libc::SIGSTOP) };
        }
        _ => {
            // SAFETY: sigaction(2) and raise(3) are async-signal-safe; the
            // zeroed sigaction with SIG_DFL is a valid argument. The signal
            // is blocked while its handler runs, so it is delivered, with its
            // default action, as the handler returns.
            unsafe {
                let mut default: libc::sigaction = std::mem::zeroed();
                default.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(number, &default, std::ptr::null_mut());
                libc::raise(number);
            }
        }
    }
}
// ANCHOR_END: act_as_default

// ANCHOR: claim
/// Makes `signal` loop `loop_id`'s, installing aio's handler the first time
/// any loop asks for it. The caller then routes the slot to its pipe.
pub(crate) fn claim(signal: Signal, loop_id: u64) -> Result<(), SignalError> {
    signal.check_can_be_handled()?;
    let number = signal.as_raw();
    let mut owners = OWNERS.lock().unwrap_or_else(PoisonError::into_inner);
    let owner = &mut owners[number as usize];
    match owner.loop_id {
        Some(other) if other != loop_id => {
            return Err(SignalError::HandledByAnotherLoop {
                signal,
                loop_id: other,
            });
        }
        _ => {}
    }
    if !owner.installed {
        let found_default = disposition(number)? == libc::SIG_DFL;
        DEFAULT_APPLIES[number as usize]
            .store(found_default, Ordering::Relaxed);
        // SAFETY: the action, `on_signal`, is async-signal-safe (see
        // there), and the signal is not one the registry forbids
        // (`check_can_be_handled` refused those).
        unsafe {
            signal_hook_registry::register(number, move || on_signal(number))
        }
        .map_err(SignalError::Os)?;
        owner.installed = true;
    }
    owner.loop_id = Some(loop_id);
    Ok(())
}

/// Gives `signal` up, after its slot has stopped routing to the loop's pipe.
pub(crate) fn release(signal: Signal, loop_id: u64) {
    let mut owners = OWNERS.lock().unwrap_or_else(PoisonError::into_inner);
    let owner = &mut owners[signal.as_raw() as usize];
    if owner.loop_id == Some(loop_id) {
        owner.loop_id = None;
    }
}
// ANCHOR_END: claim

/// Whether `signal` has its default action now: no loop owns it, and it had
/// the default when aio came (or aio has not come). `aio::run` takes Ctrl-C
/// only then, as `asyncio.run` does.
pub(crate) fn has_default_action(signal: Signal) -> bool {
    let number = signal.as_raw();
    if signal.check_can_be_handled().is_err() {
        return false;
    }
    let owners = OWNERS.lock().unwrap_or_else(PoisonError::into_inner);
    let owner = owners[number as usize];
    match (owner.loop_id, owner.installed) {
        (Some(_), _) => false,
        (None, true) => {
            DEFAULT_APPLIES[number as usize].load(Ordering::Relaxed)
        }
        (None, false) => {
            disposition(number).is_ok_and(|found| found == libc::SIG_DFL)
        }
    }
}

/// The handler the process has for signal `number` now: `SIG_DFL`,
/// `SIG_IGN`, or a function's address.
fn disposition(number: i32) -> Result<libc::sighandler_t, SignalError> {
    // SAFETY: a null new action only reads the current one into `current`,
    // a zeroed struct of the right type.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(number, std::ptr::null(), &mut current) != 0 {
            return Err(SignalError::Os(io::Error::last_os_error()));
        }
        Ok(current.sa_sigaction)
    }
}
