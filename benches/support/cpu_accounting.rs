//! Where the echo benchmark's CPU numbers come from. Requests per second
//! measure the server and its load generator together (on two cores, often
//! the generator more); the CPU time a server spent on those requests
//! measures the server alone.
//!
//! - [`CpuClock`]: how long a thread of this process, or every thread of
//!   another process, has been on a CPU, in nanoseconds, from Linux's
//!   `/proc/.../schedstat` (its first field).
//! - [`InstructionCounter`]: how many instructions one thread ran in user
//!   space, from a hardware counter opened with `perf_event_open`, on the
//!   machines that have one (many virtual machines do not).

use std::os::fd::{FromRawFd, OwnedFd};
use std::time::Duration;

/// The kernel's id of the calling thread: the name `/proc/self/task/` and
/// `perf_event_open` know it by.
pub fn current_thread_id() -> i32 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::gettid() }
}

/// Whose CPU time to read.
#[derive(Clone, Copy, Debug)]
pub enum CpuClock {
    /// One thread of this process, by its kernel id: an in-process server's
    /// thread, or the load generator's.
    Thread(i32),
    /// Every thread of another process, by its pid: a Python server.
    Process(u32),
}

impl CpuClock {
    /// The CPU time used so far, or `None` if it cannot be read (the thread
    /// or the process has ended). Differences of two readings are what
    /// count.
    pub fn read(self) -> Option<Duration> {
        match self {
            CpuClock::Thread(tid) => {
                on_cpu(&format!("/proc/self/task/{tid}/schedstat"))
            }
            CpuClock::Process(pid) => {
                let tasks =
                    std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
                let threads = tasks.flatten().filter_map(|task| {
                    on_cpu(&task.path().join("schedstat").to_string_lossy())
                });
                Some(threads.sum())
            }
        }
    }

    /// The thread a hardware counter follows: the thread itself, or the
    /// process's main thread (a Python server's event loop).
    pub fn main_thread(self) -> i32 {
        match self {
            CpuClock::Thread(tid) => tid,
            CpuClock::Process(pid) => pid as i32,
        }
    }
}

/// The first field of a `schedstat` file: nanoseconds spent on a CPU (the
/// second is the time spent waiting in a run queue for one).
fn on_cpu(path: &str) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// A hardware counter of the instructions one thread runs in user space.
#[derive(Debug)]
pub struct InstructionCounter {
    counter: OwnedFd,
}

/// The first, 64-byte version of the kernel's `struct perf_event_attr`
/// (`PERF_ATTR_SIZE_VER0`): every later field is left out, which the
/// kernel reads as zero. The `libc` crate does not declare it.
#[repr(C)]
struct PerfEventAttr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    /// A bit field: `disabled` is bit 0, `exclude_kernel` bit 5,
    /// `exclude_hv` bit 6.
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
}

const PERF_TYPE_HARDWARE: u32 = 0;
const PERF_COUNT_HW_INSTRUCTIONS: u64 = 1;
/// User space only: counting the kernel's instructions for another thread
/// needs `perf_event_paranoid` below 2, which most machines do not allow.
const EXCLUDE_KERNEL_AND_HYPERVISOR: u64 = (1 << 5) | (1 << 6);
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 8;

impl InstructionCounter {
    /// Starts counting the instructions of thread `tid` (of any process
    /// this user owns), or says why it cannot.
    pub fn open(tid: i32) -> Result<InstructionCounter, String> {
        let attr = PerfEventAttr {
            kind: PERF_TYPE_HARDWARE,
            size: std::mem::size_of::<PerfEventAttr>() as u32,
            config: PERF_COUNT_HW_INSTRUCTIONS,
            sample_period: 0,
            sample_type: 0,
            read_format: 0,
            flags: EXCLUDE_KERNEL_AND_HYPERVISOR,
            wakeup_events: 0,
            bp_type: 0,
            config1: 0,
        };
        // SAFETY: `attr` is a valid perf_event_attr of the size it says,
        // alive for the call; the other arguments are plain integers
        // (any CPU, no group).
        let fd = unsafe {
            libc::syscall(
                libc::SYS_perf_event_open,
                &attr as *const PerfEventAttr,
                tid,
                -1,
                -1,
                PERF_FLAG_FD_CLOEXEC,
            )
        };
        if fd < 0 {
            let error = std::io::Error::last_os_error();
            return Err(match error.raw_os_error() {
                Some(libc::ENOENT | libc::EOPNOTSUPP | libc::ENODEV) => {
                    "not available on this machine (no hardware counters)"
                        .to_owned()
                }
                _ => format!("not available: perf_event_open: {error}"),
            });
        }
        // SAFETY: the kernel just gave us this descriptor, and nothing
        // else owns it.
        let counter = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        Ok(InstructionCounter { counter })
    }

    /// The instructions counted since [`InstructionCounter::open`].
    pub fn read(&self) -> Option<u64> {
        use std::io::Read;
        let mut count = [0u8; 8];
        let mut file = std::fs::File::from(self.counter.try_clone().ok()?);
        file.read_exact(&mut count).ok()?;
        Some(u64::from_ne_bytes(count))
    }
}

/// The core the servers run on. Each server, and the load generator while
/// it measures throughput, is given a core of its own: neither waits for
/// the other's core then, and every run places them alike. (Left to itself,
/// the kernel sometimes puts both on one core, where every request costs
/// two more context switches, and the CPU per request moves with it.)
pub const SERVER_CPU: usize = 1;
/// The core the load generator runs on while it measures throughput.
pub const GENERATOR_CPU: usize = 0;

/// Lets thread `tid` (for a process of its own, its main thread, which the
/// threads it starts later inherit this from) run only on `cpus`; false if
/// it cannot (a machine with fewer cores).
pub fn run_on(tid: i32, cpus: impl IntoIterator<Item = usize>) -> bool {
    // SAFETY: cpu_set_t is plain bits, and all zeros is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for cpu in cpus {
        // SAFETY: CPU_SET indexes the set's array, checked: a `cpu` past
        // its 1,024 bits panics, it never writes outside the set.
        unsafe { libc::CPU_SET(cpu, &mut set) };
    }
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `set` is a valid cpu_set_t of `size` bytes, alive for the call.
    unsafe { libc::sched_setaffinity(tid, size, &set) == 0 }
}

/// Every core of the machine, for [`run_on`] to give a thread back. (Not
/// `available_parallelism`: that counts the cores the calling thread may
/// run on, one, while it is pinned.)
pub fn all_cpus() -> std::ops::Range<usize> {
    // SAFETY: sysconf only reads a system setting.
    let online = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    0..usize::try_from(online).unwrap_or(1).max(1)
}
