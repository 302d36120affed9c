//! Chapter 13 (executors): `ProcessPoolExecutor`, a pool of worker
//! processes that run registered functions.
//!
//! The pool is a [`ThreadPoolExecutor`] of `max_workers` dispatcher
//! threads, and each thread owns at most one worker process, in a
//! thread-local. A job is one call: the thread writes the request to its
//! worker (starting the worker for its first job) and blocks on the reply.
//! So the thread pool's queue, cancelling and shutdown serve both pools,
//! and there are never more workers than threads. When a thread ends (idle,
//! or at shutdown) its thread-local is dropped: the worker's request pipe
//! closes, the worker exits, and the thread reaps it.
//!
//! A worker that dies while running a job fails that job with
//! [`ExecutorError::BrokenWorker`], which says which worker, how it died,
//! and what it ran. Python then marks the whole pool broken, and every
//! later `submit` fails: it cannot tell which job killed the worker, nor
//! what state the dead worker left. Here each worker belongs to one thread
//! and runs one job at a time, so the dead worker's job is known, and
//! nothing else was lost with it: **the pool recovers**, and that thread's
//! next job starts a fresh worker.

use crate::ch13_executors::concurrent_future::ConcurrentFuture;
use crate::ch13_executors::executor::Executor;
use crate::ch13_executors::executor_error::ExecutorError;
use crate::ch13_executors::pool_functions::{PoolCall, result_of};
use crate::ch13_executors::thread_pool::{
    DEFAULT_IDLE_TIMEOUT, ThreadPoolExecutor,
};
use crate::ch13_executors::worker_process::{
    DEFAULT_START_TIMEOUT, LiveWorkers, WorkerProcess,
};
use crate::ch13_executors::worker_serve::is_worker;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Numbers the pools, for their threads' names (`aio-process-pool-N_M`).
static POOLS_CREATED: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: worker_slot
thread_local! {
    /// The worker process of this dispatcher thread, once it has one.
    /// Dropped when the thread ends, which closes and reaps the worker.
    static WORKER: RefCell<Option<WorkerProcess>> = const {
        RefCell::new(None)
    };
}
// ANCHOR_END: worker_slot

/// Python's `concurrent.futures.ProcessPoolExecutor`: runs calls of
/// registered functions ([`PoolFunctions`](crate::PoolFunctions)) in up to
/// `max_workers` worker processes, each this program run again.
///
/// Cloning gives another handle to the same pool; dropping the last one
/// shuts it down without waiting. Workers are started for jobs, reused,
/// and stopped when idle for the idle timeout, or at shutdown.
///
/// ```no_run
/// fn square(x: u64) -> u64 {
///     x * x
/// }
///
/// fn main() {
///     let mut functions = aio::PoolFunctions::new();
///     let square = functions.register("square", square).unwrap();
///     functions.serve_if_worker(); // workers stop here
///
///     let pool = aio::ProcessPoolExecutor::new(2).unwrap();
///     let nine = pool.submit(square.call(3)).unwrap().result(None);
///     assert_eq!(nine.unwrap(), 9);
///     let awaited = aio::run(async move {
///         aio::run_in_executor(&pool, square.call(4)).await
///     });
///     assert_eq!(awaited.unwrap().unwrap(), 16);
/// }
/// ```
#[derive(Clone)]
pub struct ProcessPoolExecutor {
    threads: ThreadPoolExecutor,
    live: Arc<LiveWorkers>,
    start_timeout: Duration,
}

/// Builds a [`ProcessPoolExecutor`] with settings of your own.
#[derive(Debug, Clone)]
pub struct ProcessPoolBuilder {
    max_workers: usize,
    idle_timeout: Duration,
    start_timeout: Duration,
}

impl ProcessPoolBuilder {
    /// At most this many worker processes (default: the number of CPUs, as
    /// in Python).
    pub fn max_workers(mut self, max_workers: usize) -> Self {
        self.max_workers = max_workers;
        self
    }

    /// How long a worker waits for a job before it is stopped (Python's
    /// workers wait forever, or until `max_tasks_per_child`).
    pub fn idle_timeout(mut self, idle_timeout: Duration) -> Self {
        self.idle_timeout = idle_timeout;
        self
    }

    /// How long a new worker has to start serving before the pool kills it
    /// and fails the job (default: 10 seconds). A worker that does not
    /// serve in time is a program that forgot `serve_if_worker`.
    pub fn start_timeout(mut self, start_timeout: Duration) -> Self {
        self.start_timeout = start_timeout;
        self
    }

    /// The pool. No worker starts until the first job.
    pub fn build(self) -> Result<ProcessPoolExecutor, ExecutorError> {
        if is_worker() {
            return Err(ExecutorError::Worker(
                "this process was started as a process-pool worker, and a \
                 worker does not start pools of its own: call \
                 `PoolFunctions::serve_if_worker()` first thing in `main`"
                    .into(),
            ));
        }
        let number = POOLS_CREATED.fetch_add(1, Ordering::Relaxed);
        let threads = ThreadPoolExecutor::builder()
            .max_workers(self.max_workers)
            .idle_timeout(self.idle_timeout)
            .thread_name_prefix(format!("aio-process-pool-{number}"))
            .build()?;
        let live = Arc::new(LiveWorkers::default());
        let start_timeout = self.start_timeout;
        Ok(ProcessPoolExecutor { threads, live, start_timeout })
    }
}

impl ProcessPoolExecutor {
    /// A pool of at most `max_workers` worker processes.
    pub fn new(
        max_workers: usize,
    ) -> Result<ProcessPoolExecutor, ExecutorError> {
        ProcessPoolExecutor::builder().max_workers(max_workers).build()
    }

    /// A builder: as many workers as CPUs, and a 10-second idle timeout.
    pub fn builder() -> ProcessPoolBuilder {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        ProcessPoolBuilder {
            max_workers: cpus,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            start_timeout: DEFAULT_START_TIMEOUT,
        }
    }

    // ANCHOR: submit
    /// Queues `call` and returns its future (Python's `executor.submit`).
    /// The argument is encoded now, so a value that cannot be encoded is
    /// refused here.
    pub fn submit<A, R>(
        &self,
        call: PoolCall<A, R>,
    ) -> Result<ConcurrentFuture<R>, ExecutorError>
    where
        A: Serialize,
        R: DeserializeOwned + Send + 'static,
    {
        let (function, argument) = call.encode()?;
        let (live, timeout) = (Arc::clone(&self.live), self.start_timeout);
        self.threads.submit_fallible(move || {
            dispatch(&live, timeout, function, &argument)
        })
    }
    // ANCHOR_END: submit

    /// Stops taking jobs. With `cancel_futures`, queued jobs are dropped
    /// and their futures say cancelled; otherwise they still run. With
    /// `wait`, returns once every worker process has exited and been
    /// reaped.
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.threads.shutdown(wait, cancel_futures);
        if wait {
            self.live.wait_until_none();
        }
    }

    /// The most worker processes this pool runs at once.
    pub fn max_workers(&self) -> usize {
        self.threads.max_workers()
    }

    /// The pids of the worker processes alive now, smallest first.
    pub fn worker_pids(&self) -> Vec<u32> {
        self.live.pids()
    }
}

// ANCHOR: dispatch
/// A dispatcher thread's job: run one call in this thread's worker,
/// starting the worker if the thread has none (or its last one died).
fn dispatch<R: DeserializeOwned>(
    live: &Arc<LiveWorkers>,
    start_timeout: Duration,
    function: &'static str,
    argument: &[u8],
) -> Result<R, ExecutorError> {
    let mut worker = match WORKER.take() {
        Some(worker) => worker,
        None => WorkerProcess::start(live, start_timeout)?,
    };
    match worker.call(function, argument) {
        Ok(reply) => {
            WORKER.set(Some(worker)); // kept for this thread's next job
            result_of(function, reply)
        }
        Err(failure) => {
            let reason = worker.died(function, failure);
            Err(ExecutorError::BrokenWorker { reason })
        }
    }
}
// ANCHOR_END: dispatch

impl<A, R> Executor<PoolCall<A, R>> for ProcessPoolExecutor
where
    A: Serialize,
    R: DeserializeOwned + Send + 'static,
{
    type Output = R;

    fn submit_job(
        &self,
        job: PoolCall<A, R>,
    ) -> Result<ConcurrentFuture<R>, ExecutorError> {
        self.submit(job)
    }
}

impl fmt::Debug for ProcessPoolExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessPoolExecutor")
            .field("max_workers", &self.max_workers())
            .field("worker_pids", &self.worker_pids())
            .finish()
    }
}
