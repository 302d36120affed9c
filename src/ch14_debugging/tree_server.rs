//! Chapter 14 (debugging): the task tree, asked for from another process.
//!
//! Python 3.14's `python -m asyncio pstree PID` prints the task tree of a
//! running program by reading its memory. aio asks instead: a loop in debug
//! mode listens on a Unix socket named after its process
//! ([`tree_socket_path`]) and answers each connection with its task tree as
//! text, then closes it. [`request_task_tree`] is the client, and chapter
//! 14's `aio_ps PID` command prints what it returns.
//!
//! The server is not a task, so it never shows in the tree it prints, and it
//! works before the loop runs: its sockets are registered with the loop's
//! poller directly, and their listeners do the work in the poller's hands,
//! between two ticks. Every call is non-blocking, a connection being answered
//! holds only the answer, and what a client sends is never read.

use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::event_loop::{EventLoop, WeakLoop};
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::poller::{ReadinessListener, SourceKey};
use crate::ch07_protocols::socket::{ByteStream, Connection, Listener};
use crate::ch07_protocols::unix::bind_unix_listener;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::ErrorKind::WouldBlock;
use std::io::{self, Read};
use std::os::unix::fs::PermissionsExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Waker;
use std::time::Duration;

/// How many answers can be under way at once. A connection beyond them is
/// closed unanswered: clients that connect and never read cannot make the
/// loop hold tree after tree.
const MAX_ANSWERS: usize = 8;

/// How long [`request_task_tree`] waits for the answer: only a guard against
/// a loop that never answers (a blocked loop answers nobody).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The socket a loop in debug mode serves its task tree on, in process
/// `pid`: `aio-<pid>.sock` in the temporary directory (`$TMPDIR`, or
/// `/tmp`).
pub fn tree_socket_path(pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("aio-{pid}.sock"))
}

/// A running task-tree server. Dropping it closes its sockets and removes
/// its socket file.
pub(crate) struct TreeServer {
    listening: Rc<Listening>,
    event_loop: WeakLoop,
}

/// Whether a loop of this process serves its tree: the socket is named
/// after the process, so only one loop can at a time.
static SERVING: AtomicBool = AtomicBool::new(false);

/// Serves `event_loop`'s task tree on [`tree_socket_path`] of this process,
/// until the returned server is dropped. `None` if another loop of this
/// process serves already (the first to turn debug mode on), and if the
/// socket cannot be made (with a warning in the log).
pub(crate) fn start_tree_server(event_loop: &EventLoop) -> Option<TreeServer> {
    if SERVING.swap(true, Ordering::AcqRel) {
        return None;
    }
    let server = serve_at(event_loop, &tree_socket_path(std::process::id()));
    if server.is_none() {
        SERVING.store(false, Ordering::Release);
    }
    server
}

/// [`start_tree_server`] on the socket at `path`.
fn serve_at(event_loop: &EventLoop, path: &Path) -> Option<TreeServer> {
    match listen(event_loop, path) {
        Ok(listening) => {
            Some(TreeServer { listening, event_loop: event_loop.downgrade() })
        }
        Err(error) => {
            logging::warn!(
                "aio.debug",
                "debug mode cannot serve the task tree: {error}; `aio_ps {}` \
                 will not find this program (make the temporary directory \
                 writable, or point TMPDIR at one that is)",
                std::process::id()
            );
            None
        }
    }
}

/// Binds the socket at `path`, for its owner only, and registers it.
fn listen(event_loop: &EventLoop, path: &Path) -> io::Result<Rc<Listening>> {
    let listener = bind_unix_listener(path)?;
    // Only our own user may connect: the tree names the program's tasks.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    let listening = Rc::new(Listening {
        socket: Registered::default(),
        answers: RefCell::default(),
        event_loop: event_loop.downgrade(),
    });
    let listener_of_events: Rc<dyn ReadinessListener> = listening.clone();
    listening.socket.register(event_loop, listener, listener_of_events)?;
    Ok(listening)
}

impl Drop for TreeServer {
    fn drop(&mut self) {
        let answers = std::mem::take(&mut *self.listening.answers.borrow_mut());
        for answer in answers {
            answer.socket.close(&self.event_loop);
        }
        // Dropping the listener removes the socket file, if it is still ours.
        self.listening.socket.close(&self.event_loop);
        SERVING.store(false, Ordering::Release);
    }
}

impl fmt::Debug for TreeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TreeServer")
            .field("listener", &self.listening.socket.source.borrow())
            .field("answers", &self.listening.answers.borrow().len())
            .finish()
    }
}

/// One socket of the server, registered with the loop's poller: the
/// listener, or a connection being answered.
struct Registered<S> {
    source: RefCell<Option<S>>,
    key: Cell<Option<SourceKey>>,
}

impl<S> Default for Registered<S> {
    fn default() -> Self {
        Registered { source: RefCell::new(None), key: Cell::new(None) }
    }
}

impl<S: mio::event::Source> Registered<S> {
    /// Registers `source`, whose events go to `listener`, and keeps it.
    fn register(
        &self,
        event_loop: &EventLoop,
        mut source: S,
        listener: Rc<dyn ReadinessListener>,
    ) -> io::Result<()> {
        let key = event_loop.register_source(&mut source, listener)?;
        self.key.set(Some(key));
        self.source.replace(Some(source));
        Ok(())
    }

    /// Calls `operation` on the socket, unless it is closed.
    fn with<R>(&self, operation: impl FnOnce(&S) -> R) -> Option<R> {
        self.source.borrow().as_ref().map(operation)
    }

    fn is_open(&self) -> bool {
        self.source.borrow().is_some()
    }

    /// Deregisters and closes the socket, unless it is closed already.
    fn close(&self, event_loop: &WeakLoop) {
        let source = self.source.borrow_mut().take();
        if let (Some(mut source), Some(key), Some(event_loop)) =
            (source, self.key.take(), event_loop.upgrade())
        {
            event_loop.deregister_source(&mut source, key);
        }
    }

    /// The loop is closing, and closes the socket itself (see
    /// [`ReadinessListener::close_for_loop`]).
    fn close_for_loop(&self) -> Option<String> {
        let source = self.source.try_borrow_mut().ok()?.take();
        drop(source);
        // Not the program's own I/O: nothing to warn about.
        None
    }
}

/// The listening socket, and the connections being answered.
struct Listening {
    socket: Registered<Listener>,
    answers: RefCell<Vec<Rc<Answer>>>,
    event_loop: WeakLoop,
}

// ANCHOR: accept
impl ReadinessListener for Listening {
    /// Accepts every waiting connection, and answers each with the task tree
    /// (taken once for all of them).
    fn on_event(&self, _: &mio::event::Event, _: &mut Vec<Waker>) {
        let Some(event_loop) = self.event_loop.upgrade() else { return };
        let mut tree = None;
        loop {
            match self.socket.with(Listener::accept) {
                Some(Ok(connection)) => {
                    self.answer(&event_loop, connection, &mut tree);
                }
                Some(Err(error)) if error.kind() != WouldBlock => {
                    let what = "could not accept a task-tree request";
                    logging::warn!("aio.debug", "{what}: {error}");
                    return;
                }
                _ => return, // all accepted (or the socket is closed)
            }
        }
    }

    fn close_for_loop(&self) -> Option<String> {
        self.socket.close_for_loop()
    }
}
// ANCHOR_END: accept

impl Listening {
    /// Answers `connection` with the task tree, taken now unless `tree`
    /// holds it already. Beyond [`MAX_ANSWERS`] under way, or if taking the
    /// tree fails, the connection is closed unanswered.
    fn answer(
        &self,
        event_loop: &EventLoop,
        connection: Connection,
        tree: &mut Option<Rc<[u8]>>,
    ) {
        self.answers.borrow_mut().retain(|answer| answer.socket.is_open());
        if self.answers.borrow().len() >= MAX_ANSWERS {
            return; // dropping the connection closes it
        }
        if tree.is_none() {
            *tree = tree_text(event_loop);
        }
        if let Some(text) = tree {
            self.send(event_loop, connection, text.clone());
        }
    }

    // ANCHOR: send
    /// Sends `text` on `connection`: at once if the socket takes it all (the
    /// usual case), otherwise the rest as the socket drains, then closes it.
    fn send(
        &self,
        event_loop: &EventLoop,
        connection: Connection,
        text: Rc<[u8]>,
    ) {
        let sent = Cell::new(0);
        if send_rest(&connection, &text, &sent) {
            return; // over: dropping the connection closes it
        }
        let answer = Rc::new(Answer {
            socket: Registered::default(),
            text,
            sent,
            event_loop: self.event_loop.clone(),
        });
        let listener: Rc<dyn ReadinessListener> = answer.clone();
        if answer.socket.register(event_loop, connection, listener).is_ok() {
            self.answers.borrow_mut().push(answer);
        }
    }
    // ANCHOR_END: send
}

/// The loop's task tree as text, or `None` if taking it panicked (a bug,
/// logged: the loop carries on).
fn tree_text(event_loop: &EventLoop) -> Option<Rc<[u8]>> {
    let taken =
        catch_unwind(AssertUnwindSafe(|| event_loop.task_tree().to_string()));
    match taken {
        Ok(text) => Some(text.into_bytes().into()),
        Err(payload) => {
            let message = panic_message(&*payload);
            logging::error!(
                "aio.debug",
                "taking the task tree panicked: {message}; the request is \
                 closed unanswered, and the loop carries on"
            );
            None
        }
    }
}

/// A connection whose answer the socket has not taken all of yet.
struct Answer {
    socket: Registered<Connection>,
    text: Rc<[u8]>,
    sent: Cell<usize>,
    event_loop: WeakLoop,
}

impl ReadinessListener for Answer {
    /// Sends more of the answer, and closes the connection once it is over.
    fn on_event(&self, _: &mio::event::Event, _: &mut Vec<Waker>) {
        let over = self
            .socket
            .with(|connection| send_rest(connection, &self.text, &self.sent));
        if over == Some(true) {
            self.socket.close(&self.event_loop);
        }
    }

    fn close_for_loop(&self) -> Option<String> {
        self.socket.close_for_loop()
    }
}

/// Writes on `connection` what it takes of `text` after the first `sent`
/// bytes. True once the answer is over: all sent, or the client gone (then
/// there is nobody to tell).
fn send_rest(connection: &Connection, text: &[u8], sent: &Cell<usize>) -> bool {
    while sent.get() < text.len() {
        match connection.write(&text[sent.get()..]) {
            Ok(0) => return true,
            Ok(written) => sent.set(sent.get() + written),
            Err(error) => match error.kind() {
                io::ErrorKind::Interrupted => {}
                WouldBlock => return false,
                _ => return true,
            },
        }
    }
    true
}

// ANCHOR: request_task_tree
/// Asks the aio program running as process `pid` for its task tree, and
/// waits for the answer (the client of `aio_ps PID`). The program must have
/// debug mode on (`AIO_DEBUG=1`) and its loop must be running: a loop that
/// is blocked answers nobody, and that is an answer too.
pub fn request_task_tree(pid: u32) -> io::Result<String> {
    let path = tree_socket_path(pid);
    let explained = |error| explain(error, pid, &path);
    let mut stream =
        std::os::unix::net::UnixStream::connect(&path).map_err(explained)?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT)).map_err(explained)?;
    let mut tree = String::new();
    stream.read_to_string(&mut tree).map_err(explained)?;
    if tree.is_empty() {
        // Even a loop with no tasks says so: this is a refusal.
        return Err(explained(io::ErrorKind::ConnectionAborted.into()));
    }
    Ok(tree)
}
// ANCHOR_END: request_task_tree

/// `error`, in words that say what to do about it.
fn explain(error: io::Error, pid: u32, path: &Path) -> io::Error {
    use io::ErrorKind::{
        ConnectionAborted, ConnectionRefused, NotFound, PermissionDenied,
        TimedOut,
    };
    let path = path.display();
    let message = match error.kind() {
        NotFound => format!(
            "no aio program with debug mode on is running as PID {pid} \
             (start it with AIO_DEBUG=1): there is no {path}"
        ),
        ConnectionRefused => format!(
            "no aio program is serving {path}: the one that made it has \
             ended without removing it (was it killed?); remove the file, \
             and check the PID"
        ),
        PermissionDenied => format!(
            "{path} belongs to another user: run this as the user that \
             runs PID {pid}"
        ),
        WouldBlock | TimedOut => format!(
            "PID {pid} did not answer within {REQUEST_TIMEOUT:?}: its loop \
             is blocked (in a callback or a task step that does not return) \
             or not running"
        ),
        ConnectionAborted => format!(
            "PID {pid} closed the connection unanswered: it is answering \
             too many requests at once (try again), or taking its tree \
             failed (see its log)"
        ),
        _ => format!("could not read the task tree of PID {pid}: {error}"),
    };
    io::Error::new(error.kind(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch01_coroutines::logging::{Level, set_log_sink};
    use crate::ch10_dns::oneshot;
    use std::sync::Mutex;

    /// The tests of this process share its socket path: one at a time.
    static ONE_SERVER: Mutex<()> = Mutex::new(());

    fn one_server() -> std::sync::MutexGuard<'static, ()> {
        ONE_SERVER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A loop on the real clock, out of debug mode even with `AIO_DEBUG`
    /// set: these tests start their servers themselves.
    fn real_loop() -> EventLoop {
        let event_loop = EventLoop::builder()
            .clock(crate::ch01_coroutines::clock::ClockKind::Real)
            .build()
            .unwrap();
        event_loop.set_debug(false);
        event_loop
    }

    /// Warnings and errors logged on this thread while `during` runs.
    fn warnings_during(during: impl FnOnce()) -> Vec<String> {
        let warnings: Rc<RefCell<Vec<String>>> = Rc::default();
        let sink = warnings.clone();
        let previous = set_log_sink(Some(Box::new(move |record| {
            if record.level >= Level::Warn {
                sink.borrow_mut().push(record.message.to_string());
            }
        })));
        during();
        set_log_sink(previous);
        warnings.take()
    }

    /// An answer far bigger than a socket's buffer arrives whole: the rest
    /// is sent as the client reads.
    #[test]
    fn a_big_answer_arrives_whole_as_the_socket_drains() {
        let event_loop = real_loop();
        let listening = listening(&event_loop);
        let text: Vec<u8> =
            (0..4_000_000).map(|i| b'a' + (i % 26) as u8).collect();
        let (server_end, mut client_end) = connection_pair();
        listening.send(&event_loop, server_end, text.clone().into());
        assert_eq!(listening.answers.borrow().len(), 1, "not sent at once");
        let read = event_loop.run_until_complete(async move {
            let (sender, receiver) = oneshot::channel();
            std::thread::spawn(move || {
                let mut read = Vec::new();
                let mut chunk = [0; 4096];
                loop {
                    match client_end.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => read.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = sender.send(read);
            });
            receiver.await.unwrap()
        });
        assert!(read.unwrap() == text, "the answer arrived whole");
        assert!(!listening.answers.borrow()[0].socket.is_open());
        event_loop.close().unwrap();
    }

    /// A listener for hand-made connections, answered by [`Listening::answer`].
    fn listening(event_loop: &EventLoop) -> Rc<Listening> {
        Rc::new(Listening {
            socket: Registered::default(),
            answers: RefCell::default(),
            event_loop: event_loop.downgrade(),
        })
    }

    /// A connected pair: the server's end, non-blocking, and the client's.
    fn connection_pair() -> (Connection, std::os::unix::net::UnixStream) {
        let (server_end, client_end) =
            std::os::unix::net::UnixStream::pair().unwrap();
        server_end.set_nonblocking(true).unwrap();
        let server_end = mio::net::UnixStream::from_std(server_end);
        (Connection::Unix(server_end), client_end)
    }

    #[test]
    fn a_client_that_never_reads_holds_nothing_open() {
        let event_loop = real_loop();
        let listening = listening(&event_loop);
        let (server_end, mut client_end) = connection_pair();
        let text = vec![b'x'; 4_000_000];
        listening.send(&event_loop, server_end, text.into());
        assert_eq!(listening.answers.borrow().len(), 1, "not sent at once");
        // The unsent answer keeps neither the loop running nor time still.
        let nap = Duration::from_millis(1);
        event_loop
            .run_until_complete(crate::ch02_scheduling::sleep::sleep(nap))
            .unwrap();
        let warnings = warnings_during(|| event_loop.close().unwrap());
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut read = Vec::new();
        client_end.set_read_timeout(Some(REQUEST_TIMEOUT)).unwrap();
        client_end.read_to_end(&mut read).expect("closed, not left open");
        assert!(read.len() < 4_000_000, "{} bytes", read.len());
    }

    #[test]
    fn serves_the_tree_until_its_loop_closes() {
        let _one = one_server();
        let event_loop = real_loop();
        let server = start_tree_server(&event_loop).expect("serving");
        let path = tree_socket_path(std::process::id());
        let pid = std::process::id();
        let remote = event_loop.remote();
        let (answer, tree) = event_loop
            .run_until_complete(async move {
                let (sender, receiver) = oneshot::channel();
                std::thread::spawn(move || {
                    let answer = request_task_tree(pid);
                    // The tree as the loop sees it, before its task moves on
                    // (the task still awaits `receiver`).
                    let _ = remote.call_soon_threadsafe(move || {
                        let tree = crate::get_running_loop()
                            .map(|event_loop| event_loop.task_tree());
                        let _ =
                            sender.send((answer, tree.map(|t| t.to_string())));
                    });
                });
                receiver.await.unwrap()
            })
            .unwrap();
        assert_eq!(answer.unwrap(), tree.unwrap());
        // Closed with the server still there: the loop closes its socket,
        // removes the file, and does not call it left open.
        let warnings = warnings_during(|| event_loop.close().unwrap());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(!path.exists(), "{} is still there", path.display());
        drop(server);
    }

    #[test]
    fn dropping_the_server_removes_its_socket_file() {
        let _one = one_server();
        let event_loop = real_loop();
        let path = tree_socket_path(std::process::id());
        // A stale socket file, as a killed process would leave: replaced.
        drop(std::os::unix::net::UnixListener::bind(&path));
        assert!(path.exists());
        let server = start_tree_server(&event_loop).expect("serving");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "for its owner only");
        drop(server);
        assert!(!path.exists(), "{} is still there", path.display());
        let warnings = warnings_during(|| event_loop.close().unwrap());
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_socket_that_cannot_be_made_is_a_warning() {
        let event_loop = real_loop();
        let path = Path::new("/nonexistent-aio-dir/aio-1.sock");
        let mut server = None;
        let warnings = warnings_during(|| {
            server = serve_at(&event_loop, path);
        });
        assert!(server.is_none());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("TMPDIR"), "{}", warnings[0]);
        event_loop.close().unwrap();
    }

    #[test]
    fn a_failed_request_says_what_to_do() {
        let nobody = u32::MAX - 1;
        let error = request_task_tree(nobody).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        let expected = format!(
            "no aio program with debug mode on is running as PID {nobody} \
             (start it with AIO_DEBUG=1)"
        );
        assert!(error.to_string().starts_with(&expected), "{error}");
        // A socket file whose program has ended (killed) answers nobody.
        let ended = u32::MAX;
        let path = tree_socket_path(ended);
        drop(std::os::unix::net::UnixListener::bind(&path));
        let error = request_task_tree(ended).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
        assert!(error.to_string().contains("remove the file"), "{error}");
    }

    #[test]
    fn clients_that_never_read_cannot_pile_up_answers() {
        let _one = one_server();
        let event_loop = real_loop();
        let server = start_tree_server(&event_loop).expect("serving");
        let mut silent = Vec::new();
        for _ in 0..MAX_ANSWERS {
            let (server_end, client_end) = connection_pair();
            let text = vec![b'x'; 4_000_000];
            server.listening.send(&event_loop, server_end, text.into());
            silent.push(client_end);
        }
        let pid = std::process::id();
        let refused = event_loop
            .run_until_complete(async move {
                let (sender, receiver) = oneshot::channel();
                std::thread::spawn(move || {
                    let _ = sender.send(request_task_tree(pid));
                });
                receiver.await.unwrap()
            })
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionAborted);
        assert!(refused.to_string().contains("unanswered"), "{refused}");
        drop(server);
        event_loop.close().unwrap();
    }
}
