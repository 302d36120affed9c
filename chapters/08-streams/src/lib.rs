//! Chapter 8: asynchronous I/O using coroutines and streams.
//!
//! The ports of PyMOTW-3's echo server and client built from streams. Each
//! takes the host and port as arguments (default: localhost, port 10000); the
//! client also takes how many seconds to wait for the echo (default 10).
//! `cargo run -p ch08-streams` runs both in one process, on a free port.

pub mod echo_client_coroutine;
pub mod echo_server_coroutine;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// The command-line arguments, the clients' patience, Python-style bytes and
/// the server's stop on Ctrl-C, as in chapter 7.
pub use ch07_protocols::{
    address_from_args, bytes_repr, give_up_after, patience_from_args,
    stop_on_signals,
};
