//! Chapter 7 (protocols): calling a protocol's callbacks, so that a panic in
//! one costs only its own connection.
//!
//! asyncio wraps every protocol call in `try`: an exception is logged
//! ("Fatal error: protocol.data_received() call failed.") and that one
//! transport is closed, while the server keeps serving. aio does the same with
//! `catch_unwind`, in one place: every transport, the server's protocol
//! factory and the datagram endpoints call their protocols through
//! [`call_protocol`], the transports by way of a [`ProtocolSlot`].

use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::logging;
use std::cell::{Cell, RefCell};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

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

// ANCHOR: protocol_slot
/// A transport's hold on its protocol (`P` is `dyn Protocol` or `dyn
/// DatagramProtocol`): every call goes through [`call_protocol`], a panic is
/// kept as the transport's failure, and after a failure, or the end, no
/// method but one `connection_lost` is called.
pub(crate) struct ProtocolSlot<P: ?Sized> {
    protocol: RefCell<Option<Rc<RefCell<P>>>>,
    /// What is ending the transport badly (a panic, or an error the transport
    /// met): `connection_lost` will hear it.
    failure: RefCell<Option<io::Error>>,
}

impl<P: ?Sized> ProtocolSlot<P> {
    /// Holds `protocol` until the end.
    pub(crate) fn new(protocol: Rc<RefCell<P>>) -> ProtocolSlot<P> {
        ProtocolSlot {
            protocol: RefCell::new(Some(protocol)),
            failure: RefCell::new(None),
        }
    }

    /// Calls one protocol method, `name`d for the log. `None` if the protocol
    /// is gone (the end has come), busy in a method of its own, or has failed;
    /// also `None` if it panics now, after `on_panic` has run (the transport
    /// aborts there).
    pub(crate) fn call<R>(
        &self,
        name: &str,
        method: impl FnOnce(&mut P) -> R,
        on_panic: impl FnOnce(),
    ) -> Option<R> {
        if self.failure.borrow().is_some() {
            return None;
        }
        let protocol = self.protocol.borrow().clone()?;
        let mut protocol = protocol.try_borrow_mut().ok()?;
        match call_protocol(name, || method(&mut *protocol)) {
            Ok(value) => Some(value),
            Err(panicked) => {
                self.fail(panicked);
                on_panic();
                None
            }
        }
    }

    /// Hands the transport to `protocol` from now on (`set_protocol`). The
    /// old protocol hears nothing more; a failure already met stays.
    pub(crate) fn replace(&self, protocol: Rc<RefCell<P>>) {
        let old = self.protocol.borrow_mut().replace(protocol);
        drop(old); // outside the borrow: the old protocol may hold transports
    }

    /// Keeps `error` as what ends the transport, unless something already
    /// does. From now on, no method but `connection_lost` is called.
    pub(crate) fn fail(&self, error: io::Error) {
        self.failure.borrow_mut().get_or_insert(error);
    }

    /// The failure's kind and message, if there is one.
    pub(crate) fn failure(&self) -> Option<(io::ErrorKind, String)> {
        let failure = self.failure.borrow();
        failure.as_ref().map(|error| (error.kind(), error.to_string()))
    }

    /// The end: lets the protocol go and calls `connection_lost` through
    /// `lost`, once, with the failure if there was one, or else `error`.
    /// Gives the kind and message of what it reported. A panic in
    /// `connection_lost` is only logged: there is nothing left to end.
    pub(crate) fn end(
        &self,
        error: Option<io::Error>,
        lost: impl FnOnce(&mut P, Option<io::Error>),
    ) -> Option<(io::ErrorKind, String)> {
        let error = self.failure.take().or(error);
        let ended_by =
            error.as_ref().map(|error| (error.kind(), error.to_string()));
        let protocol = self.protocol.borrow_mut().take();
        if let Some(protocol) = protocol {
            let _ = call_protocol("protocol.connection_lost()", || {
                lost(&mut *protocol.borrow_mut(), error)
            });
        }
        ended_by
    }
}
// ANCHOR_END: protocol_slot

// ANCHOR: flow_news
/// A `pause_writing` (`true`) or `resume_writing` (`false`) that a protocol
/// has yet to hear, because it was busy in a method of its own when the
/// news came: it wrote from `data_received`, say. Whoever called that
/// method delivers the news once it returns. Used by every transport that
/// tells a protocol about its buffer: the socket's (chapter 7) and the TLS
/// layer's (chapter 9).
#[derive(Debug, Default)]
pub(crate) struct FlowNews(Cell<Option<bool>>);

impl FlowNews {
    /// Tells the protocol through `call` (which gives `None` when it can't be
    /// told now), or keeps the news for later. Gives whether it was kept.
    pub(crate) fn tell(
        &self,
        paused: bool,
        call: impl FnOnce(bool) -> Option<()>,
    ) -> bool {
        if self.0.get() == Some(!paused) {
            // The opposite news was never delivered: the two cancel out, and
            // the protocol stays as it was, in step with the transport.
            self.0.set(None);
            return false;
        }
        if call(paused).is_some() {
            return false;
        }
        self.0.set(Some(paused));
        true
    }

    /// Delivers the news that waits, if any, through `call`.
    pub(crate) fn deliver(&self, call: impl FnOnce(bool) -> Option<()>) {
        if let Some(paused) = self.0.take() {
            call(paused);
        }
    }

    /// Whether news waits.
    pub(crate) fn is_waiting(&self) -> bool {
        self.0.get().is_some()
    }
}
// ANCHOR_END: flow_news
