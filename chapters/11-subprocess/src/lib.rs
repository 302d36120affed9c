//! Chapter 11: working with subprocesses.
//!
//! The ports of PyMOTW-3's `asyncio_subprocess_protocol.py`,
//! `asyncio_subprocess_coroutine.py` and
//! `asyncio_subprocess_coroutine_write.py`. The first two run `df -hl`, one
//! through a `SubprocessProtocol` and one through a `Process` and its stdout
//! stream, and print the free space of each local file system; the third
//! pipes a message through `tr` to upper-case it. A program that exits with
//! a return code other than 0 is reported (`error exit N`), and the example
//! then exits with status 1. `cargo run -p ch11-subprocess` runs all three.
//!
//! [`first_cut`] is the smallest way to run a program without blocking the
//! loop: std's `Command::output` on a thread of its own.

pub mod first_cut;
pub mod free_space;
pub mod subprocess_coroutine;
pub mod subprocess_coroutine_write;
pub mod subprocess_protocol;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// Python-style bytes (`b'...'`), as in chapters 7 and 8.
pub use ch07_protocols::bytes_repr;

/// How an example binary runs its example (chapter 7's).
pub use ch07_protocols::{Example, run_example};

/// PyMOTW's `error exit N`: a return code other than 0 is printed, and is
/// the example's error too, so that its binary exits with status 1.
pub fn error_exit(
    program: &str,
    return_code: i32,
) -> Result<(), Box<dyn std::error::Error>> {
    if return_code == 0 {
        return Ok(());
    }
    println!("error exit {return_code}");
    Err(format!("{program} exited with return code {return_code}").into())
}

/// The chapter's examples in book order: binary name and entry point.
pub const EXAMPLES: &[(&str, Example)] = &[
    ("subprocess_protocol", subprocess_protocol::main),
    ("subprocess_coroutine", subprocess_coroutine::main),
    ("subprocess_coroutine_write", subprocess_coroutine_write::main),
];
