//! What chapter 11's tests share (`tests/subprocess.rs` and
//! `tests/subprocess_cpython.rs` include this file with `#[path]`): running
//! the tests one at a time, and checking that a test left nothing behind,
//! no descriptor open and no child a zombie. Both are counted for the whole
//! process, so the tests of one binary must not overlap (`serial()`).

#![allow(dead_code)] // each test binary uses a different part

use aio::ChildWatcher;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Held for the whole of a test: the tests of a binary run one at a time.
pub fn serial() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Both ways the loop can learn that a child exited.
pub const WATCHERS: [ChildWatcher; 2] =
    [ChildWatcher::Pidfd, ChildWatcher::Thread];

/// The descriptors this process has open.
pub fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The children of this process that have exited and not been reaped.
pub fn zombies() -> Vec<u32> {
    let me = std::process::id().to_string();
    let mut zombies = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat"))
        else {
            continue;
        };
        // pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() == Some(&"Z") && fields.get(1) == Some(&me.as_str()) {
            zombies.push(pid);
        }
    }
    zombies
}

/// Waits (up to ten seconds, a hang guard) until `done`. A watcher thread
/// that has just woken the loop may still hold the loop's wake-up descriptor
/// for a moment after the loop has closed.
pub fn settle(done: impl Fn() -> bool) {
    for _ in 0..1000 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether process `pid` still exists (running, or a zombie).
pub fn exists(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

// ANCHOR: leaves_nothing_behind
/// Runs `body` on a fresh loop, and checks that it left no descriptor open
/// and no zombie behind.
pub fn leaves_nothing_behind<T>(body: impl Future<Output = T> + 'static) -> T
where
    T: 'static,
{
    let before = open_descriptors();
    let result = aio::run(body).expect("the loop ran");
    settle(|| open_descriptors() == before);
    assert_eq!(open_descriptors(), before, "a descriptor was left open");
    assert_eq!(zombies(), Vec::<u32>::new(), "a child was left a zombie");
    result
}
// ANCHOR_END: leaves_nothing_behind
