//! Chapter 7: asynchronous I/O with protocol class abstractions.
//!
//! The ports of PyMOTW-3's echo server and client built from protocols and
//! transports. Each takes the host and port as arguments (default: localhost,
//! port 10000); the client also takes how many seconds to wait for the echo
//! (default 10) before it gives up. `cargo run -p ch07-protocols` runs both in
//! one process, on a free port, so you can read the two sides of the
//! conversation together.
//!
//! The servers run until Ctrl-C (SIGINT) or SIGTERM, then close the server
//! and the loop, as PyMOTW's do: [`stop_on_signals`].
//!
//! [`first_cut`] is a level-triggered echo server on poll(2), which the
//! chapter shows before the edge-triggered reactor.

pub mod echo_client_protocol;
pub mod echo_server_protocol;
pub mod first_cut;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

use aio::{EventLoop, Signal, SignalError};
use std::cell::Cell;
use std::future::Future;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

/// An example's entry point.
pub type Example = fn() -> Result<(), Box<dyn std::error::Error>>;

/// Runs the example `name`: exit status 0 if it succeeded, or a line on
/// standard error that says why not and status 1. (The examples of later
/// chapters use it too.)
pub fn run_example(name: &str, example: Example) -> ExitCode {
    match example() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{name} failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// How long a client waits for the echo, unless told otherwise.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(10);

/// The host and port from the command line: `[host] [port]`, defaulting to
/// `localhost 10000`, as in PyMOTW.
pub fn address_from_args() -> Result<(String, u16), String> {
    let mut args = std::env::args().skip(1);
    let host = args.next().unwrap_or_else(|| "localhost".to_owned());
    Ok((host, port_from(args.next())?))
}

/// A port given as text, or PyMOTW's 10000 if none was given.
pub fn port_from(port: Option<String>) -> Result<u16, String> {
    let Some(port) = port else { return Ok(10000) };
    port.parse().map_err(|_| {
        format!("the port must be a number from 0 to 65535, not {port:?}")
    })
}

/// How long a client waits for the echo: the third argument, in seconds
/// (`localhost 10000 30`), or [`DEFAULT_PATIENCE`].
pub fn patience_from_args() -> Result<Duration, String> {
    patience_from(std::env::args().nth(3))
}

/// A client's patience given as text, in seconds, or [`DEFAULT_PATIENCE`]
/// if none was given.
pub fn patience_from(seconds: Option<String>) -> Result<Duration, String> {
    let Some(seconds) = seconds else {
        return Ok(DEFAULT_PATIENCE);
    };
    seconds
        .parse::<f64>()
        .ok()
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .filter(|patience| !patience.is_zero())
        .ok_or_else(|| {
            format!(
                "the seconds to wait must be a number above 0, like 10 or \
                 0.5, not {seconds:?}"
            )
        })
}

// ANCHOR: give_up_after
/// Runs a client's `conversation` with the server at `host`:`port`, for at
/// most `patience`. A server that accepts and never answers would otherwise
/// keep the client waiting forever.
pub async fn give_up_after<T>(
    patience: Duration,
    host: &str,
    port: u16,
    conversation: impl Future<Output = Result<T, Box<dyn std::error::Error>>>,
) -> Result<T, Box<dyn std::error::Error>> {
    match aio::wait_for(conversation, patience).await {
        Ok(outcome) => outcome,
        Err(aio::Error::TimedOut) => Err(format!(
            "no echo within {}s from {host} port {port}: is an echo server \
             running there? If it is only slow, give more seconds to wait \
             as a third argument, after the port",
            patience.as_secs_f64()
        )
        .into()),
        Err(other) => Err(other.into()),
    }
}
// ANCHOR_END: give_up_after

// ANCHOR: stop_on_signals
/// Which signal stopped a server's loop, once one has.
#[derive(Debug, Clone, Default)]
pub struct StopSignals {
    received: Rc<Cell<Option<Signal>>>,
}

impl StopSignals {
    /// The first SIGINT or SIGTERM that arrived, if one did.
    pub fn received(&self) -> Option<Signal> {
        self.received.get()
    }
}

/// Makes Ctrl-C (SIGINT) and SIGTERM stop `event_loop`'s `run_forever`, as
/// Ctrl-C ends asyncio's with `KeyboardInterrupt`, so that the program can
/// close its server and its loop. Chapter 12 explains signals.
pub fn stop_on_signals(
    event_loop: &EventLoop,
) -> Result<StopSignals, SignalError> {
    let stop = StopSignals::default();
    for signal in [Signal::INT, Signal::TERM] {
        let received = stop.received.clone();
        event_loop.add_signal_handler(signal, move || {
            if received.get().is_none() {
                received.set(Some(signal));
            }
            // The running loop, not a clone kept here: the loop holds this
            // callback, so a clone would be a cycle the loop could not free.
            if let Ok(running) = aio::get_running_loop() {
                running.stop();
            }
        })?;
    }
    Ok(stop)
}
// ANCHOR_END: stop_on_signals

/// Shows bytes the way Python's `repr` shows a `bytes` object: `b'...'`, or
/// `b"..."` when the bytes hold a `'` and no `"`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\'' if quote == '\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(quote);
    out
}
