//! The graders of chapter 13's exercises, one module per exercise.
//!
//! `cargo test -p ch13-executors --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.
//!
//! The jobs here wait for each other through `grading::Board`, so what
//! they prove (that jobs ran at once, or in turn) never rests on timing;
//! every wait is bounded by `grading::HANG_GUARD`, so a wrong answer fails
//! instead of hanging.

use aio::{ClockKind, EventLoop, ExecutorError, ThreadPoolExecutor};
use grading::{Board, HANG_GUARD};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

/// Runs `future` on a new loop on the real clock, for jobs that wait for
/// each other, failing the test after [`HANG_GUARD`]s.
fn run<F: Future + 'static>(future: F) -> F::Output
where
    F::Output: 'static,
{
    run_on(ClockKind::Real, future)
}

/// [`run`] on the virtual clock: a timeout on a job still owed waits for
/// it in real time, as the real clock would.
fn run_virtual<F: Future + 'static>(future: F) -> F::Output
where
    F::Output: 'static,
{
    run_on(ClockKind::Virtual, future)
}

fn run_on<F: Future + 'static>(clock: ClockKind, future: F) -> F::Output
where
    F::Output: 'static,
{
    let event_loop = EventLoop::builder().clock(clock).build().expect("a loop");
    let outcome =
        event_loop.run_until_complete(aio::wait_for(future, HANG_GUARD * 3));
    event_loop.close().expect("the loop closes");
    let outcome = outcome.expect("the loop runs");
    outcome.expect("finished within the hang guard (does a job wait forever?)")
}

/// A pool of `workers` threads.
fn pool(workers: usize) -> ThreadPoolExecutor {
    ThreadPoolExecutor::new(workers).expect("a pool")
}

/// The message of a `Panicked` error, or a description of what came.
fn panic_message<T: std::fmt::Debug>(
    outcome: &Result<T, ExecutorError>,
) -> String {
    match outcome {
        Err(ExecutorError::Panicked { message }) => message.clone(),
        other => format!("not a panic: {other:?}"),
    }
}

/// Sets a flag when dropped.
#[derive(Debug)]
struct SetsOnDrop(Arc<AtomicBool>);

impl Drop for SetsOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

mod executor_map {
    use super::*;
    use ch13_executors::exercises::executor_map::map;

    #[test]
    fn values_come_in_the_jobs_order_though_they_finish_in_reverse() {
        let pool = pool(4);
        let finished = Board::new();
        // Job i waits until every job after it has finished: they must all
        // run at once, and they finish last to first.
        let jobs: Vec<_> = (0..4)
            .map(|i| {
                let finished = finished.clone();
                move || {
                    let in_turn = finished.wait_for_posts(3 - i);
                    finished.post(i);
                    if in_turn { i * i } else { usize::MAX }
                }
            })
            .collect();
        let values = run(async move { map(&pool, jobs).await });
        assert_eq!(
            values.ok(),
            Some(vec![0, 1, 4, 9]),
            "map must return every job's value, in the jobs' order. (A \
             usize::MAX means job i waited in vain for the jobs after it: \
             submit every job before awaiting any.)"
        );
        assert_eq!(finished.posts(), [3, 2, 1, 0], "the jobs' finishing order");
    }

    #[test]
    fn the_first_failure_in_order_is_the_answer() {
        let pool = pool(2);
        let jobs = (0..3).map(|i| {
            move || {
                assert!(i != 1, "job {i} failed on purpose");
                i
            }
        });
        let outcome = run(async move { map(&pool, jobs).await });
        assert!(
            panic_message(&outcome).contains("job 1 failed on purpose"),
            "a job that panics makes map fail with its Panicked error, \
             got {outcome:?}"
        );
    }

    #[test]
    fn any_executor_will_do_the_loop_s_default_one_too() {
        let jobs = (0..3)
            .map(|i| move || (i, thread::current().name().map(str::to_owned)));
        let outcome =
            run(async move { map(&aio::DefaultExecutor, jobs).await });
        let values = outcome.expect("the jobs' values");
        let numbers: Vec<_> = values.iter().map(|(i, _)| *i).collect();
        assert_eq!(numbers, [0, 1, 2], "the jobs' order: {values:?}");
        let on_default = |(_, name): &(_, Option<String>)| {
            name.as_deref().is_some_and(|name| name.starts_with("aio_"))
        };
        assert!(
            values.iter().all(on_default),
            "with aio::DefaultExecutor the jobs run on the loop's default \
             pool, whose threads are aio_0, aio_1, ...: {values:?}"
        );
    }
}

mod cancelling_timeout {
    use super::*;
    use aio::{ConcurrentFuture, Executor};
    use ch13_executors::exercises::cancelling_timeout::{
        Overdue, run_with_timeout,
    };
    use std::sync::mpsc;

    const A_MOMENT: Duration = Duration::from_millis(100);

    /// A pool of one thread, kept busy until `release` sends or is
    /// dropped.
    fn busy_pool() -> (ThreadPoolExecutor, mpsc::Sender<()>) {
        let pool = pool(1);
        let (release, released) = mpsc::channel::<()>();
        let busy = pool.submit(move || {
            let _ = released.recv_timeout(HANG_GUARD);
        });
        busy.expect("the busy job is queued");
        (pool, release)
    }

    /// An executor whose `submit_job` returns only once the job has
    /// started on `pool`: a timeout then always finds it running.
    struct StartedFirst(ThreadPoolExecutor);

    impl<F, T> Executor<F> for StartedFirst
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        type Output = T;

        fn submit_job(
            &self,
            job: F,
        ) -> Result<ConcurrentFuture<T>, ExecutorError> {
            let (started, has_started) = mpsc::channel();
            let future = self.0.submit(move || {
                let _ = started.send(());
                job()
            })?;
            has_started.recv_timeout(HANG_GUARD).expect("the job starts");
            Ok(future)
        }
    }

    #[test]
    fn a_job_done_in_time_gives_its_value() {
        let pool = pool(1);
        let outcome = run_virtual(async move {
            run_with_timeout(&pool, || 6 * 7, HANG_GUARD).await
        });
        assert!(
            matches!(outcome, Ok(42)),
            "a job done within the limit gives its value: {outcome:?}"
        );
    }

    #[test]
    fn a_job_still_queued_is_cancelled_and_never_runs() {
        let (pool, release) = busy_pool();
        let ran = Arc::new(AtomicBool::new(false));
        let job = {
            let ran = Arc::clone(&ran);
            move || ran.store(true, Ordering::SeqCst)
        };
        let waiting = pool.clone();
        let outcome = run_virtual(async move {
            run_with_timeout(&waiting, job, A_MOMENT).await
        });
        drop(release);
        pool.shutdown(true, false); // a job still queued would run now
        assert!(
            matches!(outcome, Err(Overdue::NeverStarted)),
            "the pool's only thread was busy, so the job never started: \
             expected Err(NeverStarted), got {outcome:?}"
        );
        assert!(
            !ran.load(Ordering::SeqCst),
            "the job ran after its timeout: a job that had not started must \
             be cancelled (ConcurrentFuture::cancel)"
        );
    }

    #[test]
    fn a_job_that_started_runs_on_and_its_value_is_dropped() {
        let pool = pool(1);
        let (release, released) = mpsc::channel::<()>();
        let finished = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicBool::new(false));
        let job = {
            let finished = Arc::clone(&finished);
            let dropped = Arc::clone(&dropped);
            move || {
                let _ = released.recv_timeout(HANG_GUARD);
                finished.store(true, Ordering::SeqCst);
                SetsOnDrop(dropped)
            }
        };
        let started_first = StartedFirst(pool.clone());
        let outcome = run_virtual(async move {
            run_with_timeout(&started_first, job, A_MOMENT).await
        });
        let left_running = matches!(outcome, Err(Overdue::LeftRunning));
        drop(outcome);
        let _ = release.send(());
        pool.shutdown(true, false);
        assert!(
            left_running,
            "the job had started when the limit passed: expected \
             Err(LeftRunning)"
        );
        assert!(
            finished.load(Ordering::SeqCst),
            "a job that has started runs to its end"
        );
        assert!(
            dropped.load(Ordering::SeqCst),
            "the value of a job left running is dropped when it comes"
        );
    }

    #[test]
    fn a_job_that_panics_in_time_fails() {
        let pool = pool(1);
        let job = || -> u32 { panic!("the job failed on purpose") };
        let outcome = run_virtual(async move {
            run_with_timeout(&pool, job, HANG_GUARD).await
        });
        let failed = match &outcome {
            Err(Overdue::Failed(ExecutorError::Panicked { message })) => {
                message.contains("the job failed on purpose")
            }
            _ => false,
        };
        assert!(
            failed,
            "a job that panics within the limit gives \
             Err(Failed(Panicked {{ .. }})) with its message: {outcome:?}"
        );
    }
}

mod bounded_threads {
    use super::*;
    use ch13_executors::exercises::bounded_threads::BoundedThreads;
    use std::collections::HashSet;
    use std::sync::atomic::AtomicUsize;
    use std::sync::mpsc;

    #[test]
    fn each_job_runs_on_a_new_thread_off_the_loop() {
        let threads = BoundedThreads::new(4);
        let runs: Vec<_> = (0..6)
            .map(|_| {
                let threads = threads.clone();
                async move { threads.run(|| thread::current().id()).await }
            })
            .collect();
        let outcomes =
            run(async move { aio::gather(runs).await }).expect("gather");
        let ids: Result<Vec<_>, _> = outcomes.into_iter().collect();
        let ids = ids.expect("every job gives its value");
        let distinct: HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 6, "a new thread per job: {ids:?}");
        assert!(
            !ids.contains(&thread::current().id()),
            "a job ran on the loop's thread, which it blocks: {ids:?}"
        );
    }

    #[test]
    fn never_more_than_the_limit_at_once_and_the_limit_is_reached() {
        const LIMIT: usize = 3;
        const JOBS: usize = 4 * LIMIT;
        let threads = BoundedThreads::new(LIMIT);
        let (arrived, released) = (Board::new(), Board::new());
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let runs: Vec<_> = (0..JOBS)
            .map(|_| {
                let threads = threads.clone();
                let (arrived, released) = (arrived.clone(), released.clone());
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                let job = move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Each job waits until its batch of LIMIT has arrived,
                    // then until the test releases the batch.
                    let batch = arrived.post(0) / LIMIT;
                    let met = arrived.wait_for_posts((batch + 1) * LIMIT)
                        && released.wait_for_posts(batch + 1);
                    running.fetch_sub(1, Ordering::SeqCst);
                    met
                };
                async move { threads.run(job).await }
            })
            .collect();
        // Releases each batch once it has all arrived, by way of another
        // thread: time for any job started beyond the limit to show.
        let release_batches = async move {
            for batch in 0..JOBS / LIMIT {
                let arrived = arrived.clone();
                let waited =
                    move || arrived.wait_for_posts((batch + 1) * LIMIT);
                let _ = aio::to_thread(waited).await;
                released.post(batch);
            }
        };
        let outcomes = run(async move {
            let releasing = aio::spawn(release_batches).expect("a task");
            let outcomes = aio::gather(runs).await;
            releasing.cancel(); // done already, unless some job never came
            outcomes
        });
        let outcomes = outcomes.expect("gather");
        let most = most.load(Ordering::SeqCst);
        assert!(
            most <= LIMIT,
            "{most} jobs ran at once with a limit of {LIMIT}: take a permit \
             before a thread starts, and give it back when it has answered"
        );
        assert!(
            outcomes.iter().all(|met| matches!(met, Ok(true))),
            "{LIMIT} jobs must be able to run at once, but some waited in \
             vain for the others of their batch: {outcomes:?}"
        );
    }

    #[test]
    fn a_job_that_panics_fails_alone_and_gives_its_permit_back() {
        let threads = BoundedThreads::new(1);
        let (failed, next) = run(async move {
            let failed = threads
                .run(|| -> u32 { panic!("job 0 failed on purpose") })
                .await;
            let next = aio::wait_for(threads.run(|| 5), HANG_GUARD).await;
            (failed, next)
        });
        assert!(
            panic_message(&failed).contains("job 0 failed on purpose"),
            "a job that panics gives Err(Panicked) with its message: \
             {failed:?}"
        );
        assert!(
            matches!(next, Ok(Ok(5))),
            "after a job panicked, the next one must still get its permit \
             and run: {next:?}"
        );
    }

    #[test]
    fn a_job_dropped_while_it_waits_for_a_permit_never_starts() {
        let threads = BoundedThreads::new(1);
        let ran = Arc::new(AtomicBool::new(false));
        let (release, released) = mpsc::channel::<()>();
        let first = {
            let threads = threads.clone();
            async move {
                let job = move || released.recv_timeout(HANG_GUARD).is_ok();
                threads.run(job).await
            }
        };
        let second = {
            let ran = Arc::clone(&ran);
            async move {
                threads.run(move || ran.store(true, Ordering::SeqCst)).await
            }
        };
        let first = run(async move {
            let first = aio::spawn(first).expect("a task");
            let second = aio::spawn(second).expect("a task");
            // Both tasks run up to their first wait: the second one's is
            // for the permit the first holds.
            aio::sleep(Duration::ZERO).await;
            aio::sleep(Duration::ZERO).await;
            second.cancel();
            aio::sleep(Duration::ZERO).await;
            let _ = release.send(());
            first.await
        });
        assert!(
            matches!(first, Ok(Ok(true))),
            "the first job must run and give its value: {first:?}"
        );
        assert!(
            !ran.load(Ordering::SeqCst),
            "the second job ran though it was dropped while waiting for the \
             permit: take the permit before starting the thread"
        );
    }
}

mod loop_thread {
    use super::*;
    use crate::shared_grading::{Unfinished, on_thread};
    use ch13_executors::exercises::loop_thread::LoopThread;
    use std::cell::Cell;
    use std::collections::HashSet;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::panic::resume_unwind;
    use std::sync::mpsc;

    const HOUR: Duration = Duration::from_secs(3600);

    /// Starts a loop thread named `name`.
    fn start(name: &str) -> LoopThread {
        LoopThread::start(name).expect("LoopThread::start")
    }

    /// Whether a thread of this process is named `name`.
    fn thread_alive(name: &str) -> bool {
        let tasks = std::fs::read_dir("/proc/self/task").expect("/proc");
        tasks.flatten().any(|task| {
            let comm = std::fs::read_to_string(task.path().join("comm"));
            comm.is_ok_and(|comm| comm.trim_end() == name)
        })
    }

    /// Runs `what` on a thread of its own, failing the test if it has not
    /// returned after [`HANG_GUARD`].
    fn returns(what: &str, call: impl FnOnce() + Send + 'static) {
        match on_thread(what, HANG_GUARD, call) {
            Ok(()) => {}
            Err(Unfinished::Panicked(payload)) => resume_unwind(payload),
            Err(Unfinished::TimedOut) => {
                panic!("{what} did not return within {HANG_GUARD:?}")
            }
        }
    }

    /// Submits a coroutine that says when it has started and sets `dropped`
    /// when its task is dropped, and waits until it has started.
    fn submit_pending(
        loop_thread: &LoopThread,
        dropped: &Arc<AtomicBool>,
    ) -> aio::ConcurrentFuture<()> {
        let (started, has_started) = mpsc::channel();
        let dropped = SetsOnDrop(Arc::clone(dropped));
        let handle = loop_thread.submit(move || async move {
            let _dropped = dropped;
            let _ = started.send(());
            aio::sleep(HOUR).await;
        });
        let handle = handle.expect("a running loop takes the coroutine");
        has_started.recv_timeout(HANG_GUARD).expect("the coroutine starts");
        handle
    }

    #[test]
    fn runs_coroutines_on_its_own_thread() {
        let loop_thread = start("ex-loop-1");
        let handle = loop_thread.submit(|| async {
            aio::sleep(Duration::from_millis(1)).await;
            let name = thread::current().name().map(str::to_owned);
            (name, aio::get_running_loop().is_ok())
        });
        let outcome = handle.expect("submitted").result(Some(HANG_GUARD));
        assert_eq!(
            outcome.ok(),
            Some((Some("ex-loop-1".to_owned()), true)),
            "the coroutine runs in the loop, on the thread named ex-loop-1"
        );
    }

    #[test]
    fn opens_a_connection_from_the_loop() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
        let port = listener.local_addr().expect("its address").port();
        let (accepted, connection) = mpsc::channel();
        thread::spawn(move || {
            let _ = accepted.send(listener.accept());
        });
        let loop_thread = start("ex-loop-2");
        let handle = loop_thread.submit(move || async move {
            let (_, writer) = aio::open_connection("127.0.0.1", port).await?;
            writer.write(b"hello from the loop\n")?;
            writer.drain().await?;
            writer.close();
            writer.wait_closed().await;
            Ok::<_, std::io::Error>(())
        });
        let sent = handle.expect("submitted").result(Some(HANG_GUARD));
        assert!(matches!(sent, Ok(Ok(()))), "the coroutine: {sent:?}");
        let connection = connection.recv_timeout(HANG_GUARD).expect("accept");
        let (stream, _) = connection.expect("a connection");
        stream.set_read_timeout(Some(HANG_GUARD)).expect("a timeout");
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).expect("a line");
        assert_eq!(line, "hello from the loop\n");
    }

    thread_local! {
        /// Counts the coroutines run on a thread.
        static RUN_HERE: Cell<u32> = const { Cell::new(0) };
    }

    #[test]
    fn threads_share_the_one_loop() {
        let loop_thread = start("ex-loop-3");
        let counts: Vec<(u32, u64)> = thread::scope(|scope| {
            let submitters: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let handles: Vec<_> = (0..5)
                            .map(|_| {
                                loop_thread.submit(|| async {
                                    let count = RUN_HERE.get() + 1;
                                    RUN_HERE.set(count);
                                    let id = aio::get_running_loop()
                                        .expect("a running loop")
                                        .id();
                                    (count, id)
                                })
                            })
                            .collect();
                        handles
                            .into_iter()
                            .map(|handle| {
                                let handle = handle.expect("submitted");
                                handle.result(Some(HANG_GUARD)).expect("run")
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            submitters.into_iter().flat_map(|s| s.join().unwrap()).collect()
        });
        let mut numbers: Vec<u32> = counts.iter().map(|(n, _)| *n).collect();
        numbers.sort_unstable();
        assert_eq!(
            numbers,
            (1..=20).collect::<Vec<_>>(),
            "the 20 coroutines of 4 threads all run on one thread, one after \
             another"
        );
        let loops: HashSet<u64> = counts.iter().map(|(_, id)| *id).collect();
        assert_eq!(loops.len(), 1, "one loop runs them all: {loops:?}");
    }

    #[test]
    fn stop_drops_what_is_left_joins_its_thread_and_refuses_more() {
        let loop_thread = Arc::new(start("ex-loop-4"));
        let dropped = Arc::new(AtomicBool::new(false));
        let pending = submit_pending(&loop_thread, &dropped);
        let stopping = Arc::clone(&loop_thread);
        returns("stop()", move || stopping.stop());
        assert!(
            dropped.load(Ordering::SeqCst),
            "stop() must close the loop, which drops the tasks still pending"
        );
        let outcome = pending.result(Some(HANG_GUARD));
        assert!(
            matches!(
                outcome,
                Err(ExecutorError::Cancelled | ExecutorError::LoopClosed)
            ),
            "the handle of a coroutine the loop dropped says so: {outcome:?}"
        );
        assert!(
            !thread_alive("ex-loop-4"),
            "stop() must wait until the loop's thread has ended"
        );
        let refused = loop_thread.submit(|| async {});
        assert!(
            matches!(refused, Err(ExecutorError::LoopClosed)),
            "after stop(), submit is Err(LoopClosed): {refused:?}"
        );
        returns("a second stop()", move || loop_thread.stop());
    }

    /// Takes `value`, and drops it.
    fn take<T>(value: T) {
        let _value = value;
    }

    #[test]
    fn dropping_it_stops_the_loop_and_joins_its_thread() {
        let loop_thread = start("ex-loop-5");
        let dropped = Arc::new(AtomicBool::new(false));
        let _pending = submit_pending(&loop_thread, &dropped);
        // Dropped there, through a function: the starter has no `Drop`.
        returns("dropping the LoopThread", move || take(loop_thread));
        assert!(
            dropped.load(Ordering::SeqCst),
            "dropping a LoopThread must stop and close its loop, which drops \
             the tasks still pending"
        );
        assert!(
            !thread_alive("ex-loop-5"),
            "dropping a LoopThread must wait until its thread has ended"
        );
    }

    #[test]
    fn a_panicking_coroutine_fails_only_its_own_handle() {
        let loop_thread = start("ex-loop-6");
        let failed = loop_thread
            .submit(|| async { panic!("the coroutine failed on purpose") })
            .expect("submitted")
            .result(Some(HANG_GUARD));
        let failed: Result<(), _> = failed;
        assert!(
            panic_message(&failed).contains("the coroutine failed on purpose"),
            "a coroutine that panics fails its handle with Panicked: \
             {failed:?}"
        );
        let next = loop_thread.submit(|| async { 2 }).expect("submitted");
        let next = next.result(Some(HANG_GUARD));
        assert!(matches!(next, Ok(2)), "the loop goes on: {next:?}");
    }
}

/// What the graders share: a board that jobs on different threads post to
/// and wait on, with every wait bounded.
mod grading {
    use std::sync::{Arc, Condvar, Mutex, MutexGuard};
    use std::time::{Duration, Instant};

    /// How long anything may wait (a hang guard, not a timing: every wait
    /// here should take milliseconds).
    pub const HANG_GUARD: Duration = Duration::from_secs(10);

    /// Numbers posted by jobs, in the order they came, and waits for a
    /// count of them. Once one wait has run out, the rest give up at once,
    /// so a wrong answer costs one hang guard, not one per job.
    #[derive(Clone, Default)]
    pub struct Board {
        shared: Arc<(Mutex<Posts>, Condvar)>,
    }

    #[derive(Default)]
    struct Posts {
        posted: Vec<usize>,
        gave_up: bool,
    }

    impl Board {
        /// An empty board.
        pub fn new() -> Board {
            Board::default()
        }

        fn lock(&self) -> MutexGuard<'_, Posts> {
            self.shared.0.lock().unwrap_or_else(|p| p.into_inner())
        }

        /// Posts `number`, and returns how many were posted before it.
        pub fn post(&self, number: usize) -> usize {
            let mut posts = self.lock();
            posts.posted.push(number);
            self.shared.1.notify_all();
            posts.posted.len() - 1
        }

        /// Waits until `count` numbers have been posted: `false` if that
        /// did not happen within [`HANG_GUARD`], or an earlier wait gave up.
        pub fn wait_for_posts(&self, count: usize) -> bool {
            let deadline = Instant::now() + HANG_GUARD;
            let mut posts = self.lock();
            while posts.posted.len() < count {
                let left = deadline.saturating_duration_since(Instant::now());
                if posts.gave_up || left.is_zero() {
                    posts.gave_up = true;
                    self.shared.1.notify_all();
                    return false;
                }
                posts = self
                    .shared
                    .1
                    .wait_timeout(posts, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            true
        }

        /// The numbers posted so far.
        pub fn posts(&self) -> Vec<usize> {
            self.lock().posted.clone()
        }
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
