//! Chapter 11 (subprocesses): child processes whose pipes and exit the loop
//! watches, as asyncio's `subprocess_exec` and `create_subprocess_exec` do.
//!
//! First what to run a child with, and the error of a child that could not
//! start; then the child's pipes, as byte streams for chapter 7's transport,
//! and starting the child; then how the loop learns that it exited (a pidfd
//! on the reactor, or a thread that waits), and the two APIs on top: the
//! subprocess transport with its protocol, and the process with its streams.

pub(crate) mod options;
pub(crate) mod spawn_error;
pub(crate) mod pipe;
pub(crate) mod spawn;
pub(crate) mod exit_watch;
pub(crate) mod subprocess_transport;
pub(crate) mod join;
pub(crate) mod process;
