//! Chapter 7 (protocols): calling a protocol's callbacks, so that a panic in
//! one costs only its own connection.
//!
//! asyncio wraps every protocol call in `try`: an exception is logged
//! ("Fatal error: protocol.data_received() call failed.") and that one
//! transport is closed, while the server keeps serving. aio does the same with
//! `catch_unwind`, in one place: every transport, the server's protocol
//! factory and the datagram endpoints call their protocols through
//! [`call_protocol`].

use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::logging;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};

// ANCHOR: call_protocol
/// Calls one protocol callback, named as in the log
/// (`"protocol.data_received()"`). A panic is caught and logged, and comes
/// back as the error that ends the connection, for `connection_lost` to hear.
pub(crate) fn call_protocol<R>(
    name: &str,
    callback: impl FnOnce() -> R,
) -> io::Result<R> {
    // The protocol is not used again after a panic (only `connection_lost` is
    // called, once), so a half-updated protocol is never relied on.
    catch_unwind(AssertUnwindSafe(callback)).map_err(|payload| {
        let message = panic_message(&*payload);
        logging::error!(
            "aio.transport",
            "Fatal error: {name} call failed: it panicked: {message}; \
             its connection is closed, and the loop carries on"
        );
        io::Error::other(format!("{name} panicked: {message}"))
    })
}
// ANCHOR_END: call_protocol
