//! What the exercises' graders share: every crate's `tests/exercises.rs`
//! but chapter 12's includes this file with `#[path]`, as
//! `mod shared_grading`; the helpers that only one chapter needs stay in
//! that grader's own `mod grading`.
//!
//! - fresh loops: [`virtual_loop`], [`real_loop`], and a [`ClosingLoop`]
//!   that closes when dropped (chapters 1, 2, 3, 7 and 14);
//! - one test body run on a fresh loop within a [`Limit`] of loop time, the
//!   tasks it left behind cancelled and ended, the loop closed:
//!   [`run_on_virtual_clock`] (or [`run`], with the usual limit) and
//!   [`run_on_real_clock`] (chapters 4, 5, 6, 8 and 9), with [`ms`] and
//!   [`now`] for the times inside;
//! - work run on a thread of its own with a real-time deadline, so that a
//!   broken answer fails instead of hanging: [`within`] and [`on_thread`]
//!   (chapters 2, 10, 11 and 13, and the capstone);
//! - a [`CountingWaker`] that counts its wakes (chapters 1, 2, 3 and 5);
//! - a [`LineClient`] of a line-based server, each wait bounded (chapters 8
//!   and 9);
//! - a [`Journal`] of what tasks and callbacks did (chapters 1, 3 and 6),
//!   and a [`HeardLog`] of what the runtime logged (chapters 8 and 14);
//! - [`Alive`], a count of the values a test made that are still alive
//!   (chapters 4 and 5).

#![allow(dead_code)] // each grader uses a different part

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

/// `n` milliseconds.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The running loop's time.
pub fn now() -> Duration {
    aio::get_running_loop().expect("inside the loop").time()
}

/// A loop on the virtual clock: sleeps end at once, in order, and times are
/// exact.
pub fn virtual_loop() -> aio::EventLoop {
    aio::EventLoop::builder().virtual_clock().build().expect("a poller")
}

/// A loop on the real clock, for real sockets and work that other threads
/// do.
pub fn real_loop() -> aio::EventLoop {
    aio::EventLoop::builder()
        .clock(aio::ClockKind::Real)
        .build()
        .expect("a poller")
}

/// A loop that is closed when dropped, as a test is done with it.
pub struct ClosingLoop(aio::EventLoop);

impl ClosingLoop {
    /// A [`virtual_loop`] that closes when dropped.
    pub fn virtual_clock() -> ClosingLoop {
        ClosingLoop(virtual_loop())
    }

    /// A [`real_loop`] that closes when dropped.
    pub fn real_clock() -> ClosingLoop {
        ClosingLoop(real_loop())
    }
}

impl std::ops::Deref for ClosingLoop {
    type Target = aio::EventLoop;

    fn deref(&self) -> &aio::EventLoop {
        &self.0
    }
}

impl Drop for ClosingLoop {
    fn drop(&mut self) {
        let _ = self.0.close();
    }
}

/// How long a test may take, and what it most likely means when it takes
/// longer: the failure message says both.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// The time allowed: loop time for a test on a loop, real time for work
    /// on a thread.
    pub time: Duration,
    /// What an answer that overruns it is likely doing wrong.
    pub overrun_means: &'static str,
}

impl Limit {
    /// `seconds` allowed; overrunning them means `overrun_means`.
    pub const fn seconds(seconds: u64, overrun_means: &'static str) -> Limit {
        Limit { time: Duration::from_secs(seconds), overrun_means }
    }

    /// Fails the test: it did not finish within the limit.
    fn overrun(&self, of_what: &str) -> ! {
        panic!(
            "the test did not finish within {:?}{of_what}: {}",
            self.time, self.overrun_means
        )
    }
}

/// Runs `test` on a fresh loop on the virtual clock, within `limit` of loop
/// time (which passes at once while everything waits, so an answer that
/// waits forever fails instead of hanging); then cancels the tasks it left
/// behind, lets them end, and closes the loop.
pub fn run_on_virtual_clock<T: 'static>(
    limit: Limit,
    test: impl Future<Output = T> + 'static,
) -> T {
    match run_bounded(virtual_loop(), limit, test) {
        Some(value) => value,
        None => limit.overrun(" of loop time"),
    }
}

/// Runs `test` as [`run_on_virtual_clock`] does, within ten seconds of loop
/// time.
pub fn run<T: 'static>(test: impl Future<Output = T> + 'static) -> T {
    const TEN_SECONDS: Limit =
        Limit::seconds(10, "something waits for an event that never comes");
    run_on_virtual_clock(TEN_SECONDS, test)
}

/// Runs `test`, which uses real sockets, on a fresh loop on the real clock,
/// within `limit`; then cancels the tasks it left behind (a server's
/// connections), lets them end, and closes the loop. An I/O error the test
/// returns fails it.
pub fn run_on_real_clock<T: 'static>(
    limit: Limit,
    test: impl Future<Output = io::Result<T>> + 'static,
) -> T {
    match run_bounded(real_loop(), limit, test) {
        Some(Ok(value)) => value,
        Some(Err(error)) => panic!("the test failed with {error}"),
        None => limit.overrun(""),
    }
}

/// Runs `test` on `event_loop` within `limit`, ends the other tasks and
/// closes the loop; `None` if the test overran.
fn run_bounded<T: 'static>(
    event_loop: aio::EventLoop,
    limit: Limit,
    test: impl Future<Output = T> + 'static,
) -> Option<T> {
    let outcome = event_loop.run_until_complete(async move {
        let outcome = aio::wait_for(test, limit.time).await.ok();
        let ended = end_the_others(limit.time).await;
        (outcome, ended)
    });
    let (outcome, ended) = match outcome {
        Ok(outcome) => outcome,
        Err(error) => panic!("the loop failed: {error}"),
    };
    assert!(
        ended,
        "the tasks the test left behind did not end within {:?} of being \
         cancelled: does one of them keep running when cancelled?",
        limit.time
    );
    event_loop.close().expect("the loop closes");
    outcome
}

/// Cancels every task but the current one, as `aio::run` does at the end,
/// and waits (at most `limit`) until they have ended, so that the loop
/// closes with none pending; whether they all ended.
async fn end_the_others(limit: Duration) -> bool {
    let this = aio::current_task();
    let is_this = |task: &aio::TaskRef| {
        this.as_ref().is_some_and(|this| this.same_task(task))
    };
    let others: Vec<_> =
        aio::all_tasks().into_iter().filter(|task| !is_this(task)).collect();
    for task in &others {
        task.cancel();
    }
    // On the virtual clock a 1 ms sleep ends once the loop has nothing
    // else to do, so every task that can run, runs.
    let all_ended = async {
        while others.iter().any(|task| !task.done()) {
            aio::sleep(ms(1)).await;
        }
    };
    aio::wait_for(all_ended, limit).await.is_ok()
}

/// Why work run by [`on_thread`] gave no value.
pub enum Unfinished {
    /// It panicked, with this payload.
    Panicked(Box<dyn Any + Send>),
    /// It was still running at the deadline (and is left to run on).
    TimedOut,
}

/// Runs `work` on a new thread named `name` and gives its value, or why
/// there is none: it panicked, or it had not returned after `deadline` of
/// real time. A grader that calls the reader's code this way fails instead
/// of hanging when that code never returns.
pub fn on_thread<T: Send + 'static>(
    name: &str,
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Unfinished> {
    let (done, finished) = mpsc::channel();
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = done.send(panic::catch_unwind(AssertUnwindSafe(work)));
        })
        .expect("a thread starts");
    match finished.recv_timeout(deadline) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(payload)) => Err(Unfinished::Panicked(payload)),
        Err(_) => Err(Unfinished::TimedOut),
    }
}

/// Runs `test` on a thread of its own (named after the calling test) and
/// gives its value; fails if it takes longer than `limit` of real time, and
/// with the test's own panic if it panics.
pub fn within<T: Send + 'static>(
    limit: Limit,
    test: impl FnOnce() -> T + Send + 'static,
) -> T {
    let name = thread::current().name().unwrap_or("test").to_owned();
    match on_thread(&name, limit.time, test) {
        Ok(value) => value,
        Err(Unfinished::Panicked(payload)) => panic::resume_unwind(payload),
        Err(Unfinished::TimedOut) => limit.overrun(""),
    }
}

/// The message of a panic, from its payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// A waker that counts how often it is woken. Made with [`new`], it wakes
/// nobody; made by [`await_counting_wakes`], it passes each wake on to the
/// waker of the task that awaits.
///
/// [`new`]: CountingWaker::new
#[derive(Clone, Default)]
pub struct CountingWaker(Arc<Wakes>);

/// The count that the wakers of a [`CountingWaker`] share.
#[derive(Default)]
struct Wakes {
    count: AtomicUsize,
    /// The waker each wake is passed on to, if any.
    forward_to: Mutex<Option<Waker>>,
}

impl Wakes {
    fn forward_to(&self) -> MutexGuard<'_, Option<Waker>> {
        self.forward_to.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Wake for Wakes {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.count.fetch_add(1, Ordering::SeqCst);
        if let Some(waker) = self.forward_to().as_ref() {
            waker.wake_by_ref();
        }
    }
}

impl CountingWaker {
    /// A counter at zero, whose wakers wake nobody.
    pub fn new() -> CountingWaker {
        CountingWaker::default()
    }

    /// A waker that adds to this count.
    pub fn waker(&self) -> Waker {
        Waker::from(Arc::clone(&self.0))
    }

    /// Polls `future` once with one of this counter's wakers.
    pub fn poll<F: Future + ?Sized>(
        &self,
        future: Pin<&mut F>,
    ) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(&self.waker()))
    }

    /// How often its wakers were woken.
    pub fn wakes(&self) -> usize {
        self.0.count.load(Ordering::SeqCst)
    }

    /// How many hold this count: its `CountingWaker` handles and the wakers
    /// made from it that are still alive. Two readings, before and after,
    /// show whether the code under test kept a waker or let it go.
    pub fn holders(&self) -> usize {
        Arc::strong_count(&self.0)
    }
}

/// Awaits `future`, polling it with a [`CountingWaker`] that passes each
/// wake on to this task's waker; gives its output and the counter, which
/// goes on counting after the future is done.
pub async fn await_counting_wakes<F: Future>(
    future: F,
) -> (F::Output, CountingWaker) {
    let counter = CountingWaker::new();
    let mut future = pin!(future);
    let output = std::future::poll_fn(|cx| {
        *counter.0.forward_to() = Some(cx.waker().clone());
        counter.poll(future.as_mut())
    })
    .await;
    (output, counter)
}

/// How long a [`LineClient`] waits for one line, or for the server to close
/// (a hang guard: a server that never answers fails the test).
const PATIENCE: Duration = Duration::from_secs(5);

/// A client of a line-based server on 127.0.0.1: its two streams, and reads
/// that give up after [`PATIENCE`].
pub struct LineClient {
    /// What the server sends.
    pub reader: aio::StreamReader,
    /// What goes to the server.
    pub writer: aio::StreamWriter,
}

impl LineClient {
    /// Connects to the server at `port`.
    pub async fn connect(port: u16) -> io::Result<LineClient> {
        let (reader, writer) = aio::open_connection("127.0.0.1", port).await?;
        Ok(LineClient { reader, writer })
    }

    /// The next line from the server, as text: empty if it closed the
    /// connection.
    pub async fn line(&self) -> String {
        match aio::wait_for(self.reader.readline(), PATIENCE).await {
            Ok(Ok(line)) => String::from_utf8_lossy(&line).into_owned(),
            Ok(Err(error)) => panic!("reading a line failed: {error}"),
            Err(_) => {
                panic!("no line came from the server within {PATIENCE:?}")
            }
        }
    }

    /// The server's reply: its next line, which must come.
    pub async fn reply(&self) -> String {
        let line = self.line().await;
        assert!(!line.is_empty(), "the server closed instead of replying");
        line
    }

    /// Sends `command` as a line and gives the reply.
    pub async fn ask(&self, command: &str) -> String {
        let sent = self.writer.write(format!("{command}\n").as_bytes());
        sent.expect("the command is sent");
        self.reply().await
    }

    /// Everything until the server closes, as text.
    pub async fn read_to_end(&self) -> String {
        match aio::wait_for(self.reader.read_to_end(), PATIENCE).await {
            Ok(Ok(all)) => String::from_utf8_lossy(&all).into_owned(),
            Ok(Err(error)) => panic!("reading failed: {error}"),
            Err(_) => panic!(
                "the server did not close the connection within {PATIENCE:?}"
            ),
        }
    }
}

/// What the tasks and callbacks of a program did, in order: a list that
/// clones of it append to.
#[derive(Clone, Default)]
pub struct Journal(Rc<RefCell<Vec<String>>>);

impl Journal {
    /// Appends `entry`.
    pub fn log(&self, entry: impl Into<String>) {
        self.0.borrow_mut().push(entry.into());
    }

    /// The entries so far, oldest first.
    pub fn entries(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// The messages the runtime logs on this thread, from the one that installs
/// it until it is dropped (which removes its log sink).
pub struct HeardLog(Journal);

impl HeardLog {
    /// Installs a log sink that keeps every message at `lowest` or above.
    pub fn install(lowest: aio::Level) -> HeardLog {
        let heard = Journal::default();
        let keep = heard.clone();
        aio::set_log_sink(Some(Box::new(move |record| {
            if record.level >= lowest {
                keep.log(record.message.to_string());
            }
        })));
        HeardLog(heard)
    }

    /// The messages heard so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        self.0.entries()
    }
}

impl Drop for HeardLog {
    fn drop(&mut self) {
        aio::set_log_sink(None);
    }
}

/// Counts the values it handed out that are still alive, and all it made.
#[derive(Clone, Default)]
pub struct Alive(Rc<Counts>);

/// The counts an [`Alive`] and its [`Held`] values share.
#[derive(Default)]
struct Counts {
    alive: Cell<usize>,
    made: Cell<usize>,
}

impl Alive {
    /// A new value, alive until dropped.
    pub fn hold(&self) -> Held {
        self.0.alive.set(self.0.alive.get() + 1);
        self.0.made.set(self.0.made.get() + 1);
        Held(Rc::clone(&self.0))
    }

    /// How many are alive.
    pub fn count(&self) -> usize {
        self.0.alive.get()
    }

    /// How many were made.
    pub fn made(&self) -> usize {
        self.0.made.get()
    }
}

/// A value handed out by [`Alive::hold`]: counted as alive until dropped.
pub struct Held(Rc<Counts>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.alive.set(self.0.alive.get() - 1);
    }
}
