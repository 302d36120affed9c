//! Chapter 9 (TLS): TLS as a layer between a transport and the application's
//! protocol, as asyncio's `sslproto.py` does it.
//!
//! The layer is two things at once. Downwards it is a [`Protocol`]: the
//! socket transport of chapter 7 calls it with ciphertext. Upwards it is a
//! transport: the application's protocol gets a [`Transport`] whose `write`
//! encrypts. In between sits rustls, which does no I/O at all: `read_tls`
//! takes the bytes that came in, `process_new_packets` decrypts them,
//! `reader()` gives the plaintext, `writer()` takes plaintext and
//! `write_tls` hands out the records to send. Every byte that moves, the
//! layer moves, so TLS costs the loop nothing new: the socket, its read
//! budget and its flow control are chapter 7's, used as they are.
//!
//! No borrow is held across a call into the application, so the
//! application can write, pause or close from inside its own callbacks.

use crate::ch01_coroutines::event_loop::get_running_loop;
use crate::ch01_coroutines::logging;
use crate::ch02_scheduling::handle::TimerHandle;
use crate::ch06_sync::event::Event;
use crate::ch07_protocols::callbacks::{FlowNews, ProtocolSlot};
use crate::ch07_protocols::interface::{
    ExtraInfo, Protocol, Transport, TransportOps,
};
use crate::ch07_protocols::io_steps::{KEPT_CAPACITY, spares};
use crate::ch09_tls::context::Ssl;
use crate::ch09_tls::tls_error::TlsError;
use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::rc::{Rc, Weak};
use std::time::Duration;

/// Where a TLS connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The handshake is under way; the application has no transport yet.
    Handshaking,
    /// Application data flows both ways.
    Open,
    /// We sent our `close_notify`, and wait (a while) for the peer's.
    ShuttingDown,
    /// The connection is over.
    Closed,
}

// ANCHOR: tls_layer
/// One TLS connection: rustls's state, the application's protocol, and the
/// transport underneath.
pub(crate) struct TlsLayer {
    /// Weak, so the layer's parts can hand out strong ones.
    this: Weak<TlsLayer>,
    tls: RefCell<rustls::Connection>,
    /// The name the client checks the certificate against, for errors.
    server_name: Option<String>,
    app: ProtocolSlot<dyn Protocol>,
    /// The socket's transport, from `connection_made` to `connection_lost`.
    lower: RefCell<Option<Transport>>,
    stage: Cell<Stage>,
    /// Whether to call the application's `connection_made` once the
    /// handshake is done (`start_tls` upgrades a protocol that has had it).
    call_connection_made: bool,
    /// Whether the application has a transport (and so is owed a
    /// `connection_lost`).
    app_has_transport: Cell<bool>,
    /// Ciphertext that came in and rustls has not taken yet: less than one
    /// read of the socket, because reading stops while it is here.
    incoming: RefCell<Vec<u8>>,
    /// The application called `pause_reading`.
    reading_paused: Cell<bool>,
    /// The socket's EOF has come.
    peer_eof: Cell<bool>,
    /// The peer's `close_notify` has come.
    peer_closed: Cell<bool>,
    /// A pause or resume of writing that the application, busy in a method
    /// of its own, has yet to hear: `process` delivers it on its way out.
    app_flow_news: FlowNews,
    /// `process` is running: a nested call only asks it to go round again.
    processing: Cell<bool>,
    again: Cell<bool>,
    handshake: Handshake,
    timer: RefCell<Option<TimerHandle>>,
    handshake_timeout: Duration,
    shutdown_timeout: Duration,
}
// ANCHOR_END: tls_layer

/// The outcome of the handshake, for whoever waits on it.
#[derive(Default)]
struct Handshake {
    outcome: RefCell<Option<io::Result<()>>>,
    done: Event,
}

impl Handshake {
    /// The handshake is over, with `outcome`: wake whoever waits.
    fn settle(&self, outcome: io::Result<()>) {
        self.outcome.replace(Some(outcome));
        self.done.set();
    }
}

impl TlsLayer {
    /// A layer over `tls` for the application's `app`.
    pub(crate) fn new(
        tls: rustls::Connection,
        server_name: Option<String>,
        app: Rc<RefCell<dyn Protocol>>,
        ssl: &Ssl,
        call_connection_made: bool,
    ) -> Rc<TlsLayer> {
        Rc::new_cyclic(|this| TlsLayer {
            this: this.clone(),
            tls: RefCell::new(tls),
            server_name,
            app: ProtocolSlot::new(app),
            lower: RefCell::new(None),
            stage: Cell::new(Stage::Handshaking),
            call_connection_made,
            app_has_transport: Cell::new(!call_connection_made),
            incoming: RefCell::new(Vec::new()),
            reading_paused: Cell::new(false),
            peer_eof: Cell::new(false),
            peer_closed: Cell::new(false),
            app_flow_news: FlowNews::default(),
            processing: Cell::new(false),
            again: Cell::new(false),
            handshake: Handshake::default(),
            timer: RefCell::new(None),
            handshake_timeout: ssl.handshake_timeout,
            shutdown_timeout: ssl.shutdown_timeout,
        })
    }

    /// The protocol to give the socket's transport.
    pub(crate) fn lower_protocol(self: &Rc<Self>) -> TlsLower {
        TlsLower(self.clone())
    }

    /// The transport the application writes to.
    pub(crate) fn app_transport(self: &Rc<Self>) -> Transport {
        Transport::new(Rc::new(TlsTransport(self.clone())))
    }

    /// Waits for the handshake; its error, if it failed.
    pub(crate) async fn handshake_done(&self) -> io::Result<()> {
        self.handshake.done.wait().await;
        self.handshake.outcome.borrow_mut().take().unwrap_or(Ok(()))
    }

    // ANCHOR: attach
    /// The socket is connected: keep its transport, start the handshake's
    /// clock, and send the first flight (a client's `ClientHello`).
    pub(crate) fn attach(&self, lower: Transport) {
        self.lower.replace(Some(lower));
        let limit = self.handshake_timeout;
        self.start_timer(limit, move |layer| {
            layer.fail(TlsError::HandshakeTimeout(limit).into());
        });
        self.flush_records();
    }
    // ANCHOR_END: attach

    /// Runs `then` on the layer after `delay`, unless the timer is replaced
    /// or the connection ends first.
    fn start_timer(
        &self,
        delay: Duration,
        then: impl FnOnce(&TlsLayer) + 'static,
    ) {
        let this = self.this.clone();
        let timer = get_running_loop().and_then(|event_loop| {
            event_loop.call_later(delay, move || {
                if let Some(layer) = this.upgrade() {
                    layer.timer.replace(None);
                    then(&layer);
                }
            })
        });
        match timer {
            Ok(timer) => self.replace_timer(Some(timer)),
            Err(error) => logging::error!(
                "aio.tls",
                "could not start the TLS timer ({error}): the connection has \
                 no time limit"
            ),
        }
    }

    fn replace_timer(&self, timer: Option<TimerHandle>) {
        if let Some(old) = self.timer.replace(timer) {
            old.cancel();
        }
    }

    // ANCHOR: process
    /// Moves everything that can move: ciphertext into rustls, records out
    /// to the socket, plaintext up to the application. Runs until nothing
    /// changes; a call from inside it (the application wrote, or resumed
    /// reading, from `data_received`) makes it go round once more.
    fn process(&self) {
        if self.processing.replace(true) {
            self.again.set(true);
            return;
        }
        loop {
            self.again.set(false);
            let taken = match self.feed_rustls() {
                Ok(taken) => taken,
                Err(error) => {
                    self.processing.set(false);
                    self.fail(error);
                    return;
                }
            };
            self.flush_records();
            if self.stage.get() == Stage::Handshaking
                && !self.tls.borrow().is_handshaking()
            {
                self.handshake_finished();
            }
            let delivered = if self.stage.get() == Stage::Handshaking {
                0
            } else {
                self.deliver_plaintext()
            };
            // rustls may have stopped taking ciphertext until its plaintext
            // was read: now that it has been, feed it the rest.
            let more = (taken > 0 || delivered > 0) && self.wants_to_feed();
            if !self.again.get() && !more {
                break;
            }
        }
        self.flush_records(); // what the application wrote meanwhile
        self.processing.set(false);
        self.after_peer_eof();
        self.app_flow_news.deliver(|paused| self.call_app_flow(paused));
    }

    /// Whether ciphertext waits, and may go in.
    fn wants_to_feed(&self) -> bool {
        !self.incoming.borrow().is_empty()
            && !self.reading_paused.get()
            && self.stage.get() != Stage::Closed
    }

    /// Gives rustls the ciphertext that waits, while the application reads,
    /// and has it decrypt. Gives how many bytes it took.
    fn feed_rustls(&self) -> io::Result<usize> {
        let mut total = 0;
        loop {
            if !self.wants_to_feed() {
                return Ok(total);
            }
            let mut incoming = self.incoming.borrow_mut();
            let mut tls = self.tls.borrow_mut();
            let taken = match tls.read_tls(&mut incoming.as_slice()) {
                Ok(taken) => taken,
                // rustls holds as much plaintext as it will: deliver first.
                Err(error) if error.kind() == io::ErrorKind::Other => {
                    return Ok(total);
                }
                Err(error) => return Err(error),
            };
            incoming.drain(..taken);
            if incoming.is_empty() && incoming.capacity() > KEPT_CAPACITY {
                // rustls has its own buffers: ours goes to the spares.
                spares::give(std::mem::take(&mut *incoming));
            }
            total += taken;
            if let Err(error) = tls.process_new_packets() {
                let handshaking = tls.is_handshaking();
                drop(tls);
                drop(incoming);
                self.flush_records(); // the alert that tells the peer why
                let server_name = self.server_name.as_deref();
                let error =
                    TlsError::from_rustls(error, server_name, handshaking);
                return Err(error.into());
            }
            if taken == 0 {
                // Nothing more goes in after the peer's close_notify.
                incoming.clear();
                return Ok(total);
            }
        }
    }
    // ANCHOR_END: process

    // ANCHOR: deliver
    /// Hands the plaintext rustls has decrypted to the application, until
    /// there is no more or the application pauses reading. Gives how many
    /// bytes it took out of rustls.
    fn deliver_plaintext(&self) -> usize {
        let mut chunk = [0u8; 16 * 1024];
        let mut delivered = 0;
        while !self.reading_paused.get() && self.stage.get() != Stage::Closed {
            let read = self.tls.borrow_mut().reader().read(&mut chunk);
            if let Ok(n) = read {
                delivered += n;
            }
            match read {
                Ok(0) => {
                    // The peer's close_notify: a clean end of its data.
                    self.peer_close_notify();
                    break;
                }
                // After our close_notify, what still comes is dropped.
                Ok(_) if self.stage.get() == Stage::ShuttingDown => {}
                Ok(n) => {
                    self.app.call(
                        "protocol.data_received()",
                        |app| app.data_received(&chunk[..n]),
                        || self.abort(),
                    );
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    break;
                }
                Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                    // The socket ended with no close_notify: don't pass it
                    // off as a clean EOF.
                    self.fail(TlsError::NoCloseNotify.into());
                    break;
                }
                Err(error) => {
                    self.fail(error);
                    break;
                }
            }
        }
        delivered
    }
    // ANCHOR_END: deliver

    /// The peer sent `close_notify`. While open, that is the application's
    /// EOF, and, since TLS has no half-close, the end: we answer with our
    /// own and close, as asyncio does. While shutting down, it is the answer
    /// we waited for.
    fn peer_close_notify(&self) {
        if self.peer_closed.replace(true) {
            return;
        }
        match self.stage.get() {
            Stage::Open => {
                let keep_open = self.app.call(
                    "protocol.eof_received()",
                    |app| app.eof_received(),
                    || self.abort(),
                );
                if keep_open == Some(true) {
                    logging::warn!(
                        "aio.tls",
                        "eof_received() returned true, which has no effect \
                         over TLS: TLS has no half-close, so the connection \
                         closes (return false to keep this quiet)"
                    );
                }
                self.close();
            }
            Stage::ShuttingDown => self.close_lower(),
            Stage::Handshaking | Stage::Closed => {}
        }
    }

    /// The socket's EOF came: rustls is told, and it decides whether that
    /// was clean.
    fn after_peer_eof(&self) {
        if !self.peer_eof.get()
            || !self.incoming.borrow().is_empty()
            || self.stage.get() == Stage::Closed
        {
            return;
        }
        match self.stage.get() {
            Stage::Handshaking => {
                self.fail(TlsError::ClosedDuringHandshake.into());
            }
            Stage::ShuttingDown => self.close_lower(),
            Stage::Open if !self.peer_closed.get() => {
                // Let rustls see the EOF, then read: it reports a missing
                // close_notify as `UnexpectedEof`. While its plaintext is
                // full, it can't take even the EOF: deliver, and try again.
                while !self.reading_paused.get() {
                    let seen = self.tls.borrow_mut().read_tls(&mut io::empty());
                    self.deliver_plaintext();
                    if seen.is_ok() || self.stage.get() == Stage::Closed {
                        break;
                    }
                }
            }
            Stage::Open | Stage::Closed => {}
        }
    }

    // ANCHOR: flush_records
    /// Sends every record rustls has ready (handshake messages, encrypted
    /// data, alerts) to the socket's transport, which buffers what the
    /// socket does not take at once.
    fn flush_records(&self) {
        let mut records = Vec::new();
        {
            let mut tls = self.tls.borrow_mut();
            while tls.wants_write() {
                if tls.write_tls(&mut records).is_err() {
                    break; // a Vec always takes it; nothing to lose here
                }
            }
        }
        if records.is_empty() {
            return;
        }
        let lower = self.lower.borrow().clone();
        if let Some(lower) = lower
            && let Err(error) = lower.write(&records)
        {
            self.app.fail(error);
        }
    }
    // ANCHOR_END: flush_records

    // ANCHOR: handshake_finished
    /// The handshake is done: stop its clock, tell whoever waits, and give
    /// the application its transport.
    fn handshake_finished(&self) {
        self.stage.set(Stage::Open);
        self.replace_timer(None);
        self.handshake.settle(Ok(()));
        let Some(this) = self.this.upgrade() else { return };
        if self.call_connection_made {
            self.app_has_transport.set(true);
            let transport = this.app_transport();
            self.app.call(
                "protocol.connection_made()",
                |app| app.connection_made(transport),
                || self.abort(),
            );
        }
    }
    // ANCHOR_END: handshake_finished

    // ANCHOR: fail
    /// Ends the connection because of `error`: a failed handshake goes to
    /// whoever waits for it (and a server logs it, and carries on); a failure
    /// later goes to the application's `connection_lost`.
    fn fail(&self, error: io::Error) {
        if self.stage.get() == Stage::Closed {
            return;
        }
        if self.stage.get() == Stage::Handshaking {
            if self.is_server() {
                let peer = self.peername();
                logging::warn!(
                    "aio.tls",
                    "TLS handshake with {peer} failed: {error}; the server \
                     carries on"
                );
            }
            self.handshake.settle(Err(error));
        } else {
            self.app.fail(error);
        }
        // The alert, if any, is queued on the socket: close sends it first.
        self.close_lower();
    }
    // ANCHOR_END: fail

    fn peername(&self) -> String {
        let lower = self.lower.borrow();
        match lower.as_ref().and_then(Transport::peername) {
            Some(peer) => peer.to_string(),
            None => "the peer".to_owned(),
        }
    }

    /// Whether this is the server's side of the connection.
    fn is_server(&self) -> bool {
        matches!(*self.tls.borrow(), rustls::Connection::Server(_))
    }

    /// TLS is done: the socket's transport closes once it has flushed (the
    /// last alert, or our `close_notify`).
    fn close_lower(&self) {
        self.end_lower(Transport::close);
    }

    /// Ends the connection at once: no `close_notify`, no waiting.
    fn abort(&self) {
        self.end_lower(Transport::abort);
    }

    fn end_lower(&self, end: fn(&Transport)) {
        self.stage.set(Stage::Closed);
        self.replace_timer(None);
        let lower = self.lower.borrow().clone();
        if let Some(lower) = lower {
            end(&lower);
        }
    }

    /// Tells the application to pause (`true`) or resume writing: at once,
    /// or, if it is busy in a method of its own (it wrote from
    /// `data_received`), as soon as `process` has finished calling it.
    fn tell_app_flow(&self, paused: bool) {
        self.app_flow_news.tell(paused, |paused| self.call_app_flow(paused));
    }

    /// Calls `pause_writing` or `resume_writing`; `None` if the application
    /// could not be told now.
    fn call_app_flow(&self, paused: bool) -> Option<()> {
        let abort = || self.abort();
        if paused {
            self.app.call(
                "protocol.pause_writing()",
                |app| app.pause_writing(),
                abort,
            )
        } else {
            self.app.call(
                "protocol.resume_writing()",
                |app| app.resume_writing(),
                abort,
            )
        }
    }

    // ANCHOR: close
    /// The application's `close`: send `close_notify`, then wait for the
    /// peer's, for the shutdown timeout at most. If the peer's came first,
    /// there is nothing to wait for.
    fn close(&self) {
        match self.stage.get() {
            Stage::Open => {}
            Stage::Handshaking => return self.abort(),
            Stage::ShuttingDown | Stage::Closed => return,
        }
        self.stage.set(Stage::ShuttingDown);
        self.tls.borrow_mut().send_close_notify();
        self.flush_records();
        if self.peer_closed.get() || self.peer_eof.get() {
            return self.close_lower();
        }
        if get_running_loop().is_err() {
            // The loop is closing (a writer dropped as it drops its tasks):
            // nothing will wait for the peer's close_notify, or time it.
            return self.close_lower();
        }
        let limit = self.shutdown_timeout;
        self.start_timer(limit, move |layer| {
            layer.app.fail(TlsError::ShutdownTimeout(limit).into());
            layer.abort();
        });
    }
    // ANCHOR_END: close

    /// What rustls has negotiated, by asyncio's names.
    fn tls_info(&self, name: &str) -> Option<ExtraInfo> {
        let tls = self.tls.borrow();
        match name {
            "version" => {
                Some(ExtraInfo::Version(version_name(tls.protocol_version()?)))
            }
            "cipher" => {
                let suite = tls.negotiated_cipher_suite()?;
                let name = suite.suite().as_str()?.to_owned();
                Some(ExtraInfo::Cipher {
                    secret_bits: secret_bits(&name),
                    name,
                    version: version_name(suite.version().version),
                })
            }
            "peercert" => {
                let chain = tls.peer_certificates()?;
                Some(ExtraInfo::PeerCertificate(chain.first()?.to_vec()))
            }
            _ => None,
        }
    }
}

/// Python's name for a TLS version (`TLSv1.3`).
fn version_name(version: rustls::ProtocolVersion) -> String {
    match version {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The key size of a cipher suite, from its name.
fn secret_bits(suite: &str) -> u32 {
    if suite.contains("AES_128") { 128 } else { 256 }
}

// ANCHOR: tls_lower
/// The layer as the socket's transport sees it: a protocol that takes in
/// ciphertext.
pub(crate) struct TlsLower(Rc<TlsLayer>);

impl Protocol for TlsLower {
    fn connection_made(&mut self, transport: Transport) {
        self.0.attach(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        let layer = &self.0;
        {
            let mut incoming = layer.incoming.borrow_mut();
            if incoming.capacity() == 0 {
                *incoming = spares::take();
            }
            incoming.extend_from_slice(data);
        }
        layer.process();
        if !layer.incoming.borrow().is_empty()
            && let Some(lower) = layer.lower.borrow().as_ref()
        {
            // The application paused: hold what came, and read no more.
            lower.pause_reading();
        }
    }

    fn eof_received(&mut self) -> bool {
        self.0.peer_eof.set(true);
        self.0.process();
        true // the layer closes the socket itself, once TLS is done
    }

    fn connection_lost(&mut self, error: Option<io::Error>) {
        let layer = &self.0;
        let was = layer.stage.replace(Stage::Closed);
        layer.replace_timer(None);
        layer.lower.replace(None);
        layer.incoming.take();
        if was == Stage::Handshaking {
            let error = error.unwrap_or_else(|| {
                io::Error::from(TlsError::ClosedDuringHandshake)
            });
            layer.handshake.settle(Err(error));
            layer.app.end(None, |_, _| {}); // it never had a transport
            return;
        }
        if layer.app_has_transport.get() {
            layer.app.end(error, |app, error| app.connection_lost(error));
        } else {
            layer.app.end(None, |_, _| {});
        }
    }

    // The socket's buffer is the TLS transport's buffer: its pauses are the
    // application's.
    fn pause_writing(&mut self) {
        self.0.tell_app_flow(true);
    }

    fn resume_writing(&mut self) {
        self.0.tell_app_flow(false);
    }
}
// ANCHOR_END: tls_lower

// ANCHOR: tls_transport
/// The layer as the application sees it: a transport that encrypts.
struct TlsTransport(Rc<TlsLayer>);

impl TransportOps for TlsTransport {
    fn write(&self, data: &[u8]) -> io::Result<()> {
        let layer = &self.0;
        if layer.stage.get() != Stage::Open {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "cannot write: the TLS transport is closing or closed; write \
                 everything before closing, or open a new connection",
            ));
        }
        // With no buffer limit, rustls takes it all, as records to send.
        layer.tls.borrow_mut().writer().write_all(data)?;
        // A write from inside `data_received` (an echo, a reply) waits for
        // the end of `process`, which sends every record it made at once:
        // plaintext comes up 16 KiB at a time, and flushing each write made
        // a send, and a buffer, per record (seven for a 100 KiB message).
        if !layer.processing.get() {
            layer.flush_records();
        }
        Ok(())
    }

    fn write_eof(&self) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "TLS has no half-close: write_eof() can't end one direction; \
             send an end marker of your own, or close()",
        ))
    }

    fn can_write_eof(&self) -> bool {
        false
    }

    fn close(&self) {
        self.0.close();
    }

    fn abort(&self) {
        self.0.abort();
    }

    fn is_closing(&self) -> bool {
        self.0.stage.get() != Stage::Open
    }

    fn get_extra_info(&self, name: &str) -> Option<ExtraInfo> {
        match name {
            "peername" | "sockname" => {
                self.0.lower.borrow().as_ref()?.get_extra_info(name)
            }
            _ => self.0.tls_info(name),
        }
    }

    fn pause_reading(&self) {
        self.0.reading_paused.set(true);
        if let Some(lower) = self.0.lower.borrow().as_ref() {
            lower.pause_reading();
        }
    }

    fn resume_reading(&self) {
        let layer = &self.0;
        if !layer.reading_paused.replace(false) {
            return;
        }
        if let Some(lower) = layer.lower.borrow().as_ref() {
            lower.resume_reading();
        }
        // What waits in rustls and in `incoming` goes up on a later turn,
        // never from inside the caller's own code.
        let this = Rc::downgrade(layer);
        let resumed = get_running_loop().and_then(|event_loop| {
            event_loop.call_soon(move || {
                if let Some(layer) = this.upgrade() {
                    layer.process();
                }
            })
        });
        if resumed.is_err() {
            layer.process();
        }
    }

    fn is_reading(&self) -> bool {
        !self.0.reading_paused.get() && !self.is_closing()
    }

    fn set_write_buffer_limits(&self, high: usize, low: Option<usize>) {
        if let Some(lower) = self.0.lower.borrow().as_ref() {
            lower.set_write_buffer_limits(high, low);
        }
    }

    fn get_write_buffer_limits(&self) -> (usize, usize) {
        let lower = self.0.lower.borrow();
        lower.as_ref().map_or((0, 0), Transport::get_write_buffer_limits)
    }

    fn get_write_buffer_size(&self) -> usize {
        let lower = self.0.lower.borrow();
        lower.as_ref().map_or(0, Transport::get_write_buffer_size)
    }

    fn set_protocol(&self, protocol: Rc<RefCell<dyn Protocol>>) {
        self.0.app.replace(protocol);
    }

    fn describe(&self) -> String {
        format!(
            "TlsTransport {{ peer: {}, stage: {:?} }}",
            self.0.peername(),
            self.0.stage.get()
        )
    }
}
// ANCHOR_END: tls_transport

#[cfg(test)]
mod tests {
    //! The layer alone, on a pretend socket: rustls on the other side runs
    //! in memory, and the ciphertext goes across in pieces of any size, with
    //! the application pausing and resuming as it likes.

    use super::*;
    use crate::ch01_coroutines::event_loop::EventLoop;
    use crate::ch02_scheduling::sleep::sleep;
    use crate::ch09_tls::context::SslContext;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A socket's transport that keeps what is written to it.
    #[derive(Default)]
    struct PretendSocket {
        sent: RefCell<Vec<u8>>,
        reading_paused: Cell<bool>,
        closed: Cell<bool>,
    }

    impl TransportOps for PretendSocket {
        fn write(&self, data: &[u8]) -> io::Result<()> {
            self.sent.borrow_mut().extend_from_slice(data);
            Ok(())
        }
        fn write_eof(&self) -> io::Result<()> {
            Ok(())
        }
        fn can_write_eof(&self) -> bool {
            true
        }
        fn close(&self) {
            self.closed.set(true);
        }
        fn abort(&self) {
            self.closed.set(true);
        }
        fn is_closing(&self) -> bool {
            self.closed.get()
        }
        fn get_extra_info(&self, _: &str) -> Option<ExtraInfo> {
            None
        }
        fn pause_reading(&self) {
            self.reading_paused.set(true);
        }
        fn resume_reading(&self) {
            self.reading_paused.set(false);
        }
        fn is_reading(&self) -> bool {
            !self.reading_paused.get()
        }
        fn set_write_buffer_limits(&self, _: usize, _: Option<usize>) {}
        fn get_write_buffer_limits(&self) -> (usize, usize) {
            (0, 0)
        }
        fn get_write_buffer_size(&self) -> usize {
            0
        }
        fn set_protocol(&self, _: Rc<RefCell<dyn Protocol>>) {}
        fn describe(&self) -> String {
            "PretendSocket".to_owned()
        }
    }

    /// The application: keeps what arrives, and its transport, and pauses
    /// reading from inside `data_received` every `pause_every` calls.
    #[derive(Default)]
    struct Collector {
        received: Rc<RefCell<Vec<u8>>>,
        transport: Rc<RefCell<Option<Transport>>>,
        pause_every: usize,
        calls: usize,
    }

    impl Protocol for Collector {
        fn connection_made(&mut self, transport: Transport) {
            self.transport.replace(Some(transport));
        }
        fn data_received(&mut self, data: &[u8]) {
            self.received.borrow_mut().extend_from_slice(data);
            self.calls += 1;
            if self.calls.is_multiple_of(self.pause_every)
                && let Some(transport) = self.transport.borrow().as_ref()
            {
                transport.pause_reading();
            }
        }
    }

    /// One certificate for every case: (server config, client config).
    fn configs() -> &'static (SslContext, SslContext) {
        static CONFIGS: OnceLock<(SslContext, SslContext)> = OnceLock::new();
        CONFIGS.get_or_init(|| {
            let issued =
                rcgen::generate_simple_self_signed(vec!["localhost".into()])
                    .unwrap();
            let cert = issued.cert.pem();
            let key = issued.signing_key.serialize_pem();
            let server =
                SslContext::server_from_pem(cert.as_bytes(), key.as_bytes())
                    .unwrap();
            let client =
                SslContext::client_with_ca_pem(cert.as_bytes()).unwrap();
            (server, client)
        })
    }

    /// Feeds `bytes` to the layer in pieces of `sizes` (cycled), as a
    /// socket's transport would: while the layer has paused it, it reads
    /// nothing, so the application is resumed (a turn later, as the
    /// application's own code would) before the next piece.
    async fn feed_in_pieces(
        lower: &mut TlsLower,
        socket: &PretendSocket,
        app: &Rc<RefCell<Option<Transport>>>,
        bytes: &[u8],
        sizes: &[usize],
        largest_held: &mut usize,
    ) {
        let mut at = 0;
        let mut piece = 0;
        while at < bytes.len() {
            while socket.reading_paused.get() {
                // Only the application's pause may stop the socket: a pause
                // of the layer's own would never be lifted.
                assert!(lower.0.reading_paused.get(), "the layer stalled");
                let transport = app.borrow().clone();
                transport.expect("paused by the application").resume_reading();
                sleep(Duration::ZERO).await; // the resume runs soon
            }
            let size = sizes[piece % sizes.len()].min(bytes.len() - at);
            lower.data_received(&bytes[at..at + size]);
            at += size;
            piece += 1;
            *largest_held =
                (*largest_held).max(lower.0.incoming.borrow().len());
        }
    }

    /// Shakes hands with `peer` over `lower`, the flights going across
    /// whole, then sends `message` in `piece`-sized reads.
    async fn handshake_and_send(
        lower: &mut TlsLower,
        socket: &PretendSocket,
        app: &Rc<RefCell<Option<Transport>>>,
        peer: &mut rustls::Connection,
        message: &[u8],
        piece: usize,
    ) {
        let mut largest = 0;
        for _ in 0..4 {
            let mut flight = Vec::new();
            while peer.wants_write() {
                peer.write_tls(&mut flight).unwrap();
            }
            feed_in_pieces(lower, socket, app, &flight, &[piece], &mut largest)
                .await;
            let answer = socket.sent.take();
            let mut answer = answer.as_slice();
            while !answer.is_empty() {
                peer.read_tls(&mut answer).unwrap();
                peer.process_new_packets().unwrap();
            }
            if !peer.is_handshaking() && app.borrow().is_some() {
                break;
            }
        }
        peer.writer().write_all(message).unwrap();
        let mut records = Vec::new();
        while peer.wants_write() {
            peer.write_tls(&mut records).unwrap();
        }
        feed_in_pieces(lower, socket, app, &records, &[piece], &mut largest)
            .await;
    }

    #[test]
    fn ciphertext_taken_in_leaves_no_buffer_behind() {
        let (server, client) = configs();
        let event_loop = EventLoop::builder().virtual_clock().build().unwrap();
        let (received, kept) = event_loop
            .run_until_complete(async move {
                let ssl = Ssl::new(server.clone());
                let tls = ssl.server_connection().unwrap();
                let app =
                    Collector { pause_every: usize::MAX, ..<_>::default() };
                let (received, transport) =
                    (app.received.clone(), app.transport.clone());
                let app = Rc::new(RefCell::new(app));
                let layer = TlsLayer::new(tls, None, app, &ssl, true);
                let socket = Rc::new(PretendSocket::default());
                let mut lower = layer.lower_protocol();
                lower.connection_made(Transport::new(socket.clone()));
                let (mut peer, _) = Ssl::new(client.clone())
                    .client_connection("localhost")
                    .unwrap();
                let message = vec![7u8; 100 * 1024];
                let piece = 64 * 1024; // a socket's read
                handshake_and_send(
                    &mut lower, &socket, &transport, &mut peer, &message, piece,
                )
                .await;
                let kept = layer.incoming.borrow().capacity();
                (received.take().len(), kept)
            })
            .unwrap();
        event_loop.close().unwrap();
        assert_eq!(received, 100 * 1024, "the message came through");
        assert!(kept <= KEPT_CAPACITY, "the layer keeps {kept} bytes of room");
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 48, failure_persistence: None, ..ProptestConfig::default()
        })]

        /// However the ciphertext is cut, and however the application
        /// pauses, what it receives is what was sent, in order, and the
        /// layer holds at most one piece of unread ciphertext.
        #[test]
        fn any_cutting_and_pausing_delivers_the_plaintext_in_order(
            message in proptest::collection::vec(any::<u8>(), 1..100_000),
            sizes in proptest::collection::vec(1usize..=65_536, 1..8),
            pause_every in 1usize..6,
        ) {
            let (server, client) = configs();
            let event_loop =
                EventLoop::builder().virtual_clock().build().unwrap();
            let piece = *sizes.iter().max().unwrap();
            let (received, largest, message) = event_loop.run_until_complete(async move {
                let ssl = Ssl::new(server.clone());
                let tls = ssl.server_connection().unwrap();
                let app = Collector { pause_every, ..Collector::default() };
                let (received, transport) =
                    (app.received.clone(), app.transport.clone());
                let layer = TlsLayer::new(
                    tls, None, Rc::new(RefCell::new(app)), &ssl, true,
                );
                let socket = Rc::new(PretendSocket::default());
                let mut lower = layer.lower_protocol();
                lower.connection_made(Transport::new(socket.clone()));
                let (mut peer, _) =
                    Ssl::new(client.clone()).client_connection("localhost").unwrap();
                let mut largest = 0;
                // The handshake, then the message, each way as it comes.
                for _ in 0..4 {
                    let mut flight = Vec::new();
                    while peer.wants_write() {
                        peer.write_tls(&mut flight).unwrap();
                    }
                    feed_in_pieces(&mut lower, &socket, &transport, &flight,
                        &sizes, &mut largest).await;
                    let answer = socket.sent.take();
                    let mut answer = answer.as_slice();
                    while !answer.is_empty() {
                        peer.read_tls(&mut answer).unwrap();
                        peer.process_new_packets().unwrap();
                    }
                    if !peer.is_handshaking() && transport.borrow().is_some() {
                        break;
                    }
                }
                peer.writer().write_all(&message).unwrap();
                let mut records = Vec::new();
                while peer.wants_write() {
                    peer.write_tls(&mut records).unwrap();
                }
                feed_in_pieces(&mut lower, &socket, &transport, &records,
                    &sizes, &mut largest).await;
                // What the layer still holds comes up as the application
                // keeps resuming.
                let transport = transport.borrow().clone().unwrap();
                for _ in 0..100_000 {
                    // Once the application reads, all must come, with no
                    // more ciphertext to push it along.
                    if !layer.reading_paused.get() {
                        break;
                    }
                    transport.resume_reading();
                    sleep(Duration::ZERO).await;
                }
                (received.take(), largest, message)
            }).unwrap();
            event_loop.close().unwrap();
            prop_assert_eq!(received.len(), message.len());
            prop_assert!(received == message, "the plaintext changed");
            prop_assert!(largest <= piece, "held {} > {}", largest, piece);
        }
    }
}
