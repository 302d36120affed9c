//! Chapter 10: interacting with domain name services.
//!
//! The ports of PyMOTW-3's `asyncio_getaddrinfo.py` and
//! `asyncio_getnameinfo.py`: names to addresses and back, through
//! `aio::getaddrinfo` and `aio::getnameinfo`, which run the C library's
//! lookups on a worker thread so that the loop never waits for a name
//! server. Both look their arguments up at once (`gather`) and print the
//! answers in the order given; an argument that cannot be looked up gets one
//! line on standard error that names it and says why, the others go on, and
//! the exit status is 1.
//!
//! The command lines: `getaddrinfo [--service SERVICE] [NAME ...]` (default:
//! `localhost` and this machine's host name, service `https`) and
//! `getnameinfo [IP ...]` (default: `127.0.0.1` and `::1`, port 443).
//! `cargo run -p ch10-dns` runs both with their defaults.
//!
//! [`first_cut`] is the smallest lookup that does not block the loop: std's
//! `ToSocketAddrs` on a thread of its own.

pub mod first_cut;
pub mod getaddrinfo;
pub mod getnameinfo;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

use std::process::ExitCode;

/// An example's entry point: its exit status says whether every argument
/// was looked up.
pub type Example = fn(Vec<String>) -> ExitCode;

/// The chapter's examples in book order: binary name and entry point.
pub const EXAMPLES: &[(&str, Example)] =
    &[("getaddrinfo", getaddrinfo::main), ("getnameinfo", getnameinfo::main)];

/// Runs `lookups` on a new loop: `Ok(true)` if every argument was looked
/// up, `Ok(false)` if some got an error line instead.
pub fn run_lookups(
    name: &str,
    lookups: impl Future<Output = Result<bool, aio::Error>> + 'static,
) -> ExitCode {
    match aio::run(lookups) {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::FAILURE,
        Ok(Err(error)) | Err(error) => {
            eprintln!("{name} failed: {error}");
            ExitCode::FAILURE
        }
    }
}
