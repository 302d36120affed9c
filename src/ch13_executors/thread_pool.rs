//! Chapter 13 (executors): `ThreadPoolExecutor`, a pool of threads that run
//! blocking jobs.
//!
//! Chapter 10 started a thread per call. A pool keeps its threads: a job goes
//! into one queue (a `VecDeque` behind a mutex), and a condition variable
//! wakes an idle thread to take it. Threads start lazily, one per job that
//! finds no idle thread, up to `max_workers`; a thread that finds no work for
//! `idle_timeout` exits, as tokio's blocking pool does (Python's never do).
//! Each job carries the [`Completer`] of its [`ConcurrentFuture`]: the
//! thread marks it running (skipping a job cancelled meanwhile), runs it
//! with panics caught, and completes it.
//!
//! `shutdown` refuses new jobs; with `cancel_futures` it drops the queued
//! ones (their futures say cancelled); with `wait` it joins the threads.
//! Every job is either run or dropped, never lost: the loom models at the
//! end check it.

use crate::ch01_coroutines::error::panic_message;
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{
    Arc, Condvar, IdCounter, JoinHandle, Mutex, MutexGuard, ThreadBuilder,
};
use crate::ch13_executors::concurrent_future::{
    Completer, ConcurrentFuture, concurrent_pair,
};
use crate::ch13_executors::executor_error::ExecutorError;
use std::collections::VecDeque;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How long a thread waits for work before it exits (tokio's default).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Numbers the pools, for their threads' names (`ThreadPoolExecutor-N_M`).
static POOLS_CREATED: IdCounter = IdCounter::new(0);

/// A job, ready to run on a pool thread.
type Job = Box<dyn FnOnce() + Send>;

// ANCHOR: pool_state
/// What the pool's threads share.
struct Pool {
    state: Mutex<PoolState>,
    /// Signalled when a job is queued, or at shutdown.
    work_ready: Condvar,
    max_workers: usize,
    name_prefix: String,
    idle_timeout: Duration,
}

struct PoolState {
    queue: VecDeque<Job>,
    /// Threads waiting for work right now.
    idle: usize,
    /// Threads alive.
    threads: usize,
    /// Threads ever started: the number in the next one's name.
    started: usize,
    shutdown: bool,
    /// Every thread's handle, to join at shutdown.
    handles: Vec<JoinHandle<()>>,
}
// ANCHOR_END: pool_state

/// Python's `concurrent.futures.ThreadPoolExecutor`: a pool of up to
/// `max_workers` threads that run blocking jobs.
///
/// Cloning gives another handle to the same pool. Dropping the last handle
/// shuts the pool down without waiting: queued jobs still run, then the
/// threads exit.
#[derive(Clone)]
pub struct ThreadPoolExecutor {
    handle: Arc<PoolHandle>,
}

/// Shuts the pool down when the last [`ThreadPoolExecutor`] goes.
struct PoolHandle {
    pool: Arc<Pool>,
}

impl Drop for PoolHandle {
    fn drop(&mut self) {
        self.pool.shutdown(false, false);
    }
}

/// Builds a [`ThreadPoolExecutor`] with settings of your own.
#[derive(Debug, Clone)]
pub struct ThreadPoolBuilder {
    max_workers: usize,
    thread_name_prefix: Option<String>,
    idle_timeout: Duration,
}

impl ThreadPoolBuilder {
    /// At most this many threads (Python's default: the CPUs plus 4, at
    /// most 32).
    pub fn max_workers(mut self, max_workers: usize) -> Self {
        self.max_workers = max_workers;
        self
    }

    /// Names the threads `{prefix}_0`, `{prefix}_1`, ... (Python's
    /// `thread_name_prefix`).
    pub fn thread_name_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.thread_name_prefix = Some(prefix.into());
        self
    }

    /// How long an idle thread waits for work before it exits.
    pub fn idle_timeout(mut self, idle_timeout: Duration) -> Self {
        self.idle_timeout = idle_timeout;
        self
    }

    /// The pool. No thread starts until the first job.
    pub fn build(self) -> Result<ThreadPoolExecutor, ExecutorError> {
        if self.max_workers == 0 {
            return Err(ExecutorError::ZeroWorkers);
        }
        let name_prefix = self.thread_name_prefix.unwrap_or_else(|| {
            let number = POOLS_CREATED.fetch_add(1, Ordering::Relaxed);
            format!("ThreadPoolExecutor-{number}")
        });
        let pool = Pool {
            state: Mutex::new(PoolState {
                queue: VecDeque::new(),
                idle: 0,
                threads: 0,
                started: 0,
                shutdown: false,
                handles: Vec::new(),
            }),
            work_ready: Condvar::new(),
            max_workers: self.max_workers,
            name_prefix,
            idle_timeout: self.idle_timeout,
        };
        let pool = Arc::new(pool);
        Ok(ThreadPoolExecutor { handle: Arc::new(PoolHandle { pool }) })
    }
}

/// Python's default `max_workers`: `min(32, os.cpu_count() + 4)`.
pub(crate) fn default_max_workers() -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    (cpus + 4).min(32)
}

impl ThreadPoolExecutor {
    /// A pool of at most `max_workers` threads, named like Python's.
    pub fn new(
        max_workers: usize,
    ) -> Result<ThreadPoolExecutor, ExecutorError> {
        ThreadPoolExecutor::builder().max_workers(max_workers).build()
    }

    /// A builder, with Python's defaults and a 10-second idle timeout.
    pub fn builder() -> ThreadPoolBuilder {
        ThreadPoolBuilder {
            max_workers: default_max_workers(),
            thread_name_prefix: None,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }

    // ANCHOR: submit
    /// Queues `job` and returns its future (Python's `executor.submit`).
    /// A panic in the job fails that future only.
    pub fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<ConcurrentFuture<T>, ExecutorError> {
        self.submit_fallible(move || Ok(job()))
    }

    /// Queues a job that may fail with an [`ExecutorError`] of its own (the
    /// process pool's dispatch does).
    pub(crate) fn submit_fallible<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, ExecutorError> + Send + 'static,
    ) -> Result<ConcurrentFuture<T>, ExecutorError> {
        let (completer, future) = concurrent_pair();
        Pool::queue(
            &self.handle.pool,
            Box::new(move || run_job(completer, job)),
        )?;
        Ok(future)
    }
    // ANCHOR_END: submit

    /// Stops taking jobs. With `cancel_futures`, the queued jobs are dropped
    /// and their futures say cancelled; otherwise they still run. With
    /// `wait`, returns once every thread has exited.
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.handle.pool.shutdown(wait, cancel_futures);
    }

    /// The most threads this pool runs at once.
    pub fn max_workers(&self) -> usize {
        self.handle.pool.max_workers
    }

    /// The threads alive now.
    pub fn thread_count(&self) -> usize {
        self.handle.pool.lock().threads
    }
}

// ANCHOR: run_job
/// What a pool thread does with one job: skip it if it was cancelled, run
/// it with panics caught, and complete its future.
fn run_job<T>(
    completer: Completer<T>,
    job: impl FnOnce() -> Result<T, ExecutorError>,
) {
    if !completer.start() {
        return; // cancelled while queued
    }
    let outcome = catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|panic| {
        Err(ExecutorError::Panicked { message: panic_message(&*panic) })
    });
    completer.complete(outcome);
}
// ANCHOR_END: run_job

impl Pool {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    // ANCHOR: queue
    /// Queues `job`, and starts a thread if no idle one will take it.
    fn queue(pool: &Arc<Pool>, job: Job) -> Result<(), ExecutorError> {
        let mut state = pool.lock();
        if state.shutdown {
            return Err(ExecutorError::Shutdown);
        }
        state.queue.push_back(job);
        if state.idle >= state.queue.len() {
            drop(state);
            pool.work_ready.notify_one();
            return Ok(());
        }
        if state.threads < pool.max_workers
            && let Err(error) = Pool::start_thread(pool, &mut state)
        {
            if state.threads == 0 {
                // Nobody would ever run it: give the job back as an error.
                drop(state.queue.pop_back());
                return Err(ExecutorError::Spawn(error));
            }
            logging::warn!(
                "aio.executor",
                "could not start another pool thread ({error}); the job waits \
                 for one of the {} running",
                state.threads
            );
        }
        Ok(())
    }
    // ANCHOR_END: queue

    fn start_thread(
        pool: &Arc<Pool>,
        state: &mut PoolState,
    ) -> std::io::Result<()> {
        let name = format!("{}_{}", pool.name_prefix, state.started);
        let pool = Arc::clone(pool);
        let handle =
            ThreadBuilder::new().name(name).spawn(move || pool.work())?;
        state.started += 1;
        state.threads += 1;
        forget_finished(&mut state.handles);
        state.handles.push(handle);
        Ok(())
    }

    // ANCHOR: work
    /// A pool thread's life: take jobs until shutdown, or until no job came
    /// for `idle_timeout`.
    fn work(&self) {
        let mut state = self.lock();
        loop {
            if let Some(job) = state.queue.pop_front() {
                drop(state);
                job();
                state = self.lock();
                continue;
            }
            if state.shutdown {
                break;
            }
            state.idle += 1;
            let (next, waited) = self
                .work_ready
                .wait_timeout(state, self.idle_timeout)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = next;
            state.idle -= 1;
            if waited.timed_out() && state.queue.is_empty() {
                break;
            }
        }
        state.threads -= 1;
    }
    // ANCHOR_END: work

    // ANCHOR: shutdown
    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let mut state = self.lock();
        state.shutdown = true;
        let cancelled = if cancel_futures {
            std::mem::take(&mut state.queue)
        } else {
            VecDeque::new()
        };
        let handles =
            if wait { std::mem::take(&mut state.handles) } else { Vec::new() };
        drop(state);
        self.work_ready.notify_all();
        // Dropping a job drops its completer, which cancels its future.
        drop(cancelled);
        for handle in handles {
            join_unless_current(handle);
        }
    }
    // ANCHOR_END: shutdown
}

/// Joins a pool thread, unless it is this one (a job that shuts its own
/// pool down): that one exits when the job returns.
fn join_unless_current(handle: JoinHandle<()>) {
    #[cfg(not(aio_loom))]
    let current = std::thread::current().id();
    #[cfg(aio_loom)]
    let current = loom::thread::current().id();
    if handle.thread().id() != current {
        // A pool thread never panics: jobs run under `catch_unwind`.
        let _ = handle.join();
    }
}

/// Drops the handles of threads that have already exited (std only: loom's
/// handles cannot tell).
fn forget_finished(handles: &mut Vec<JoinHandle<()>>) {
    #[cfg(not(aio_loom))]
    handles.retain(|handle| !handle.is_finished());
    #[cfg(aio_loom)]
    let _ = handles;
}

impl fmt::Debug for ThreadPoolExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pool = &self.handle.pool;
        let state = pool.lock();
        f.debug_struct("ThreadPoolExecutor")
            .field("name_prefix", &pool.name_prefix)
            .field("max_workers", &pool.max_workers)
            .field("threads", &state.threads)
            .field("queued", &state.queue.len())
            .field("shutdown", &state.shutdown)
            .finish()
    }
}

#[cfg(all(test, aio_loom))]
pub(crate) mod loom_models {
    //! Models of the pool: run with `RUSTFLAGS="--cfg aio_loom" cargo test
    //! --lib loom`.

    use super::*;
    use crate::ch01_coroutines::loom::AtomicU8;
    use loom::thread;

    fn one_worker_pool() -> ThreadPoolExecutor {
        ThreadPoolExecutor::builder().max_workers(1).build().unwrap()
    }

    /// Two jobs, and a shutdown that cancels the queue, from another
    /// thread: each job either ran (and its future has its value) or was
    /// dropped (and its future says cancelled). None is lost, so `result`
    /// returns for both, and the pool's thread is joined.
    #[test]
    fn loom_shutdown_races_the_queue_and_no_job_is_lost() {
        loom::model(|| {
            let pool = one_worker_pool();
            let ran = Arc::new(AtomicU8::new(0));
            let futures: Vec<_> = (0..2)
                .map(|job| {
                    let ran = ran.clone();
                    pool.submit(move || {
                        ran.fetch_add(1, loom::sync::atomic::Ordering::SeqCst);
                        job
                    })
                    .unwrap()
                })
                .collect();
            let stopper = {
                let pool = pool.clone();
                thread::spawn(move || pool.shutdown(false, true))
            };
            let mut values = 0;
            for (job, future) in futures.iter().enumerate() {
                match future.result(None) {
                    Ok(value) => {
                        assert_eq!(value, job);
                        values += 1;
                    }
                    Err(ExecutorError::Cancelled) => {}
                    Err(other) => panic!("job {job}: {other:?}"),
                }
            }
            stopper.join().unwrap();
            pool.shutdown(true, false);
            assert_eq!(values, ran.load(loom::sync::atomic::Ordering::SeqCst));
            assert!(matches!(pool.submit(|| 0), Err(ExecutorError::Shutdown)));
        });
    }

    /// A job submitted while the only thread finishes another is run by
    /// that thread, whether or not it was already waiting: the "idle"
    /// count never lets a job sit in the queue with nobody to take it.
    #[test]
    fn loom_a_job_queued_as_the_thread_goes_idle_is_run() {
        loom::model(|| {
            let pool = one_worker_pool();
            let first = pool.submit(|| 1).unwrap();
            let second = {
                let pool = pool.clone();
                thread::spawn(move || pool.submit(|| 2).unwrap().result(None))
            };
            assert_eq!(first.result(None).ok(), Some(1));
            assert_eq!(second.join().unwrap().ok(), Some(2));
            pool.shutdown(true, false);
        });
    }
}
