//! Chapter 13: the thread pool, `run_in_executor`, `to_thread`, the default
//! executor, and `run_coroutine_threadsafe`.

use aio::{ConcurrentFuture, ExecutorError, ThreadPoolExecutor};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;
use std::time::Duration;

const HANG_GUARD: Option<Duration> = Some(Duration::from_secs(30));

#[test]
fn zero_workers_is_a_clear_error() {
    let error = ThreadPoolExecutor::new(0).unwrap_err();
    assert!(matches!(error, ExecutorError::ZeroWorkers));
    assert!(error.to_string().contains("at least one worker"), "{error}");
}

#[test]
fn jobs_run_on_named_threads_that_are_reused() {
    let pool = ThreadPoolExecutor::builder()
        .max_workers(2)
        .thread_name_prefix("reused")
        .build()
        .unwrap();
    let names: Vec<String> = (0..6)
        .map(|_| {
            pool.submit(|| thread::current().name().unwrap().to_owned())
                .unwrap()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|future| future.result(HANG_GUARD).unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<_> = names.iter().collect();
    assert!(distinct.len() <= 2, "{names:?}");
    assert!(names.iter().all(|n| n == "reused_0" || n == "reused_1"));
    assert!(pool.thread_count() <= 2);
}

#[test]
fn threads_are_named_like_pythons() {
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let name = pool
        .submit(|| thread::current().name().unwrap().to_owned())
        .unwrap()
        .result(HANG_GUARD)
        .unwrap();
    let (prefix, thread) = name.rsplit_once('_').unwrap();
    assert!(prefix.starts_with("ThreadPoolExecutor-"), "{name}");
    assert!(prefix["ThreadPoolExecutor-".len()..].parse::<u64>().is_ok());
    assert_eq!(thread, "0");
}

#[test]
fn no_more_than_max_workers_run_at_once() {
    let pool = ThreadPoolExecutor::new(3).unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let futures: Vec<_> = (0..12)
        .map(|_| {
            let (running, most) = (running.clone(), most.clone());
            pool.submit(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
            })
            .unwrap()
        })
        .collect();
    for future in futures {
        future.result(HANG_GUARD).unwrap();
    }
    assert!(most.load(Ordering::SeqCst) <= 3);
    assert!(pool.thread_count() <= 3);
}

#[test]
fn three_jobs_that_wait_for_each_other_all_run_at_once() {
    // Each job waits at a barrier for the other two: only a pool that
    // really runs three at once finishes.
    let pool = ThreadPoolExecutor::new(3).unwrap();
    let barrier = Arc::new(Barrier::new(3));
    let futures: Vec<_> = (0..3)
        .map(|job| {
            let barrier = barrier.clone();
            pool.submit(move || {
                barrier.wait();
                job
            })
            .unwrap()
        })
        .collect();
    let values: Vec<_> =
        futures.iter().map(|f| f.result(HANG_GUARD).unwrap()).collect();
    assert_eq!(values, [0, 1, 2]);
}

#[test]
fn a_panicking_job_fails_its_own_future_and_the_pool_serves_on() {
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let failed = pool.submit(|| -> u32 { panic!("job on fire") }).unwrap();
    let error = failed.result(HANG_GUARD).unwrap_err();
    match &error {
        ExecutorError::Panicked { message } => {
            assert_eq!(message, "job on fire")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pool.submit(|| 5).unwrap().result(HANG_GUARD).unwrap(), 5);
}

#[test]
fn a_job_submitted_after_shutdown_is_refused() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    pool.shutdown(true, false);
    let error = pool.submit(|| 1).unwrap_err();
    assert!(matches!(error, ExecutorError::Shutdown));
    assert!(error.to_string().contains("after shutdown"), "{error}");
}

/// A pool of one whose only thread is held until the returned sender is
/// dropped or sent to.
fn blocked_pool() -> (ThreadPoolExecutor, ConcurrentFuture<()>, mpsc::Sender<()>)
{
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let (release, held) = mpsc::channel::<()>();
    let (started, has_started) = mpsc::channel::<()>();
    let blocker = pool
        .submit(move || {
            started.send(()).unwrap();
            let _ = held.recv();
        })
        .unwrap();
    has_started.recv().unwrap();
    (pool, blocker, release)
}

#[test]
fn a_queued_job_can_be_cancelled_and_never_runs() {
    let (pool, blocker, release) = blocked_pool();
    let ran = Arc::new(AtomicUsize::new(0));
    let queued = {
        let ran = ran.clone();
        pool.submit(move || ran.fetch_add(1, Ordering::SeqCst)).unwrap()
    };
    assert!(!queued.running());
    assert!(queued.cancel());
    assert!(queued.cancelled() && queued.done());
    assert!(!blocker.cancel(), "a running job cannot be cancelled");
    assert!(blocker.running());
    drop(release);
    blocker.result(HANG_GUARD).unwrap();
    pool.shutdown(true, false);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    assert!(matches!(queued.result(None), Err(ExecutorError::Cancelled)));
}

#[test]
fn shutdown_with_cancel_futures_cancels_the_queue_and_lets_the_running_job_finish()
 {
    let (pool, blocker, release) = blocked_pool();
    let queued: Vec<_> =
        (0..3).map(|n| pool.submit(move || n).unwrap()).collect();
    let stopper = {
        let pool = pool.clone();
        thread::spawn(move || pool.shutdown(true, true))
    };
    for future in &queued {
        assert!(matches!(
            future.result(HANG_GUARD),
            Err(ExecutorError::Cancelled)
        ));
    }
    release.send(()).unwrap();
    blocker.result(HANG_GUARD).unwrap();
    stopper.join().unwrap();
    assert_eq!(pool.thread_count(), 0);
}

#[test]
fn shutdown_without_cancel_runs_what_was_queued() {
    let (pool, blocker, release) = blocked_pool();
    let queued: Vec<_> =
        (0..3).map(|n| pool.submit(move || n).unwrap()).collect();
    drop(release);
    pool.shutdown(true, false);
    blocker.result(None).unwrap();
    let values: Vec<_> =
        queued.iter().map(|f| f.result(None).unwrap()).collect();
    assert_eq!(values, [0, 1, 2]);
    assert_eq!(pool.thread_count(), 0);
}

#[test]
fn dropping_the_last_handle_still_runs_the_queued_jobs() {
    let (pool, blocker, release) = blocked_pool();
    let queued = pool.submit(|| 9).unwrap();
    drop(pool);
    drop(release);
    blocker.result(HANG_GUARD).unwrap();
    assert_eq!(queued.result(HANG_GUARD).unwrap(), 9);
}

#[test]
fn an_idle_thread_exits_after_its_timeout_and_a_new_one_takes_over() {
    let pool = ThreadPoolExecutor::builder()
        .max_workers(1)
        .thread_name_prefix("idle")
        .idle_timeout(Duration::from_millis(20))
        .build()
        .unwrap();
    let name = || thread::current().name().unwrap().to_owned();
    assert_eq!(
        pool.submit(name).unwrap().result(HANG_GUARD).unwrap(),
        "idle_0"
    );
    let waited = std::time::Instant::now();
    while pool.thread_count() > 0 {
        assert!(waited.elapsed() < Duration::from_secs(30), "never exited");
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        pool.submit(name).unwrap().result(HANG_GUARD).unwrap(),
        "idle_1"
    );
}

#[test]
fn result_times_out_and_can_be_asked_again() {
    let (_pool, blocker, release) = blocked_pool();
    let error = blocker.result(Some(Duration::from_millis(1))).unwrap_err();
    assert!(matches!(error, ExecutorError::TimedOut));
    drop(release);
    blocker.result(HANG_GUARD).unwrap();
    assert!(matches!(blocker.result(None), Err(ExecutorError::ResultTaken)));
}

#[test]
fn a_job_may_shut_its_own_pool_down() {
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let own = pool.clone();
    let future = pool.submit(move || own.shutdown(true, false)).unwrap();
    future.result(HANG_GUARD).unwrap();
    assert!(matches!(pool.submit(|| ()), Err(ExecutorError::Shutdown)));
}

// ---- on the loop ----

#[test]
fn run_in_executor_awaits_a_job_on_the_pool() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let loop_thread = thread::current().id();
    let (value, ran_elsewhere) = aio::run(async move {
        aio::run_in_executor(&pool, move || (6 * 7, thread::current().id()))
            .await
            .unwrap()
    })
    .unwrap();
    assert_eq!(value, 42);
    assert_ne!(ran_elsewhere, loop_thread);
}

#[test]
fn the_loop_runs_other_tasks_while_a_job_blocks() {
    let ticks = aio::run(async {
        let ticker = aio::spawn(async {
            let mut ticks = 0;
            while ticks < 5 {
                aio::sleep(Duration::from_millis(1)).await;
                ticks += 1;
            }
            ticks
        })
        .unwrap();
        let (done, wait) = mpsc::channel::<()>();
        let blocked =
            aio::to_thread(move || wait.recv_timeout(Duration::from_secs(30)));
        let ticks = ticker.await.unwrap();
        done.send(()).unwrap();
        blocked.await.unwrap().unwrap();
        ticks
    })
    .unwrap();
    assert_eq!(ticks, 5);
}

#[test]
fn to_thread_uses_the_default_executor() {
    let names = Arc::new(Mutex::new(Vec::new()));
    let seen = names.clone();
    aio::run(async move {
        for _ in 0..3 {
            let seen = seen.clone();
            aio::to_thread(move || {
                let name = thread::current().name().unwrap().to_owned();
                seen.lock().unwrap().push(name);
            })
            .await
            .unwrap();
        }
    })
    .unwrap();
    let names = names.lock().unwrap();
    assert_eq!(names.len(), 3);
    assert!(names.iter().all(|n| n.starts_with("aio_")), "{names:?}");
}

#[test]
fn run_waits_for_the_default_executors_jobs_before_it_returns() {
    use aio::Executor;
    let finished = Arc::new(AtomicUsize::new(0));
    let job_finished = finished.clone();
    aio::run(async move {
        // Submitted and forgotten: nobody awaits it, and it is still
        // running when the main task returns.
        let forgotten = aio::DefaultExecutor
            .submit_job(move || {
                thread::sleep(Duration::from_millis(50));
                job_finished.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        drop(forgotten);
    })
    .unwrap();
    assert_eq!(finished.load(Ordering::SeqCst), 1, "aio::run joined the pool");
}

#[test]
fn the_default_executor_refuses_jobs_after_its_shutdown() {
    let error = aio::run(async {
        let event_loop = aio::get_running_loop().unwrap();
        aio::to_thread(|| ()).await.unwrap();
        event_loop.shutdown_default_executor(None).await.unwrap();
        aio::to_thread(|| ()).await.unwrap_err()
    })
    .unwrap();
    assert!(matches!(error, ExecutorError::Shutdown), "{error:?}");
}

#[test]
fn set_default_executor_chooses_the_pool() {
    let name = aio::run(async {
        let pool = ThreadPoolExecutor::builder()
            .max_workers(1)
            .thread_name_prefix("mine")
            .build()
            .unwrap();
        aio::get_running_loop().unwrap().set_default_executor(pool);
        aio::to_thread(|| thread::current().name().unwrap().to_owned())
            .await
            .unwrap()
    })
    .unwrap();
    assert_eq!(name, "mine_0");
}

#[test]
fn to_thread_outside_a_loop_says_there_is_none() {
    let job = aio::run_in_executor(&aio::DefaultExecutor, || 1);
    let error = aio::run(job).unwrap().unwrap_err();
    // The job was submitted at the call, outside any loop.
    assert!(matches!(error, ExecutorError::NoRunningLoop), "{error:?}");
}

#[test]
fn cancelling_the_awaiting_task_cancels_a_job_that_has_not_started() {
    let (pool, blocker, release) = blocked_pool();
    let ran = Arc::new(AtomicUsize::new(0));
    let job_ran = ran.clone();
    let outcome = aio::run(async move {
        let queued = aio::spawn(aio::run_in_executor(&pool, move || {
            job_ran.fetch_add(1, Ordering::SeqCst);
        }))
        .unwrap();
        aio::sleep(Duration::from_millis(1)).await;
        queued.cancel();
        let outcome = queued.await;
        drop(release);
        blocker.result(HANG_GUARD).unwrap();
        pool.shutdown(true, false);
        outcome
    })
    .unwrap();
    assert!(matches!(outcome, Err(aio::TaskError::Cancelled)));
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn a_running_job_runs_on_when_its_task_is_cancelled_and_its_result_is_dropped()
{
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let dropped = Arc::new(AtomicUsize::new(0));
    let (release, held) = mpsc::channel::<()>();
    let (started, has_started) = mpsc::channel::<()>();
    let result_dropped = dropped.clone();
    let job_pool = pool.clone();
    aio::run(async move {
        let running = aio::spawn(aio::run_in_executor(&job_pool, move || {
            started.send(()).unwrap();
            held.recv().unwrap();
            Counted(result_dropped)
        }))
        .unwrap();
        has_started.recv().unwrap();
        running.cancel();
        assert!(matches!(running.await, Err(aio::TaskError::Cancelled)));
    })
    .unwrap();
    assert_eq!(dropped.load(Ordering::SeqCst), 0, "it is still running");
    release.send(()).unwrap();
    pool.shutdown(true, false);
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        1,
        "it ran on, and its value was dropped"
    );
}

#[test]
fn the_virtual_clock_waits_for_a_job() {
    // A timer of a virtual hour must not fire before a job that takes a
    // few real milliseconds.
    let event_loop = aio::EventLoop::builder().virtual_clock().build().unwrap();
    let order = event_loop
        .run_until_complete(async {
            let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
            let timer_log = log.clone();
            let timer = aio::spawn(async move {
                aio::sleep(Duration::from_secs(3600)).await;
                timer_log.borrow_mut().push("timer");
            })
            .unwrap();
            aio::to_thread(|| thread::sleep(Duration::from_millis(20)))
                .await
                .unwrap();
            log.borrow_mut().push("job");
            timer.await.unwrap();
            log.take()
        })
        .unwrap();
    event_loop.close().unwrap();
    assert_eq!(order, ["job", "timer"]);
}

// ---- run_coroutine_threadsafe ----

/// A loop running on a thread of its own until `stop` is sent.
fn loop_thread() -> (aio::RemoteLoop, mpsc::Sender<()>, thread::JoinHandle<()>)
{
    let (remote_out, remote_in) = mpsc::channel();
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = thread::spawn(move || {
        aio::run(async move {
            remote_out.send(aio::get_running_loop().unwrap().remote()).unwrap();
            let stopped = Arc::new(Mutex::new(stopped));
            aio::to_thread(move || {
                let _ = stopped.lock().unwrap().recv();
            })
            .await
            .unwrap();
        })
        .unwrap();
    });
    (remote_in.recv().unwrap(), stop, thread)
}

#[test]
fn a_coroutine_sent_from_another_thread_runs_on_the_loop() {
    let (remote, stop, thread) = loop_thread();
    let future = aio::run_coroutine_threadsafe(
        || async {
            aio::sleep(Duration::from_millis(2)).await;
            aio::get_running_loop().unwrap().id()
        },
        &remote,
    );
    let loop_id = future.result(HANG_GUARD).unwrap();
    assert_eq!(
        format!("{remote:?}"),
        format!("RemoteLoop {{ loop_id: {loop_id} }}")
    );
    stop.send(()).unwrap();
    thread.join().unwrap();
}

#[test]
fn cancelling_the_handle_cancels_the_task_on_the_loop() {
    let (remote, stop, thread) = loop_thread();
    let (dropped_tx, dropped_rx) = mpsc::channel::<()>();
    struct Notify(mpsc::Sender<()>);
    impl Drop for Notify {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let future = aio::run_coroutine_threadsafe(
        move || async move {
            let _notify = Notify(dropped_tx);
            started_tx.send(()).unwrap();
            aio::sleep(Duration::from_secs(3600)).await;
        },
        &remote,
    );
    started_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(future.cancel());
    assert!(matches!(future.result(None), Err(ExecutorError::Cancelled)));
    dropped_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the task was cancelled and its future dropped");
    stop.send(()).unwrap();
    thread.join().unwrap();
}

#[test]
fn a_panicking_coroutine_fails_its_handle() {
    let (remote, stop, thread) = loop_thread();
    let future = aio::run_coroutine_threadsafe(
        || async { panic!("coroutine on fire") },
        &remote,
    );
    let error: ExecutorError = future.result(HANG_GUARD).unwrap_err();
    assert!(
        matches!(&error, ExecutorError::Panicked { message } if message == "coroutine on fire"),
        "{error:?}"
    );
    stop.send(()).unwrap();
    thread.join().unwrap();
}

#[test]
fn a_closed_loop_is_reported() {
    let event_loop = aio::EventLoop::new().unwrap();
    let remote = event_loop.remote();
    event_loop.close().unwrap();
    let future = aio::run_coroutine_threadsafe(|| async { 1 }, &remote);
    assert!(matches!(
        future.result(HANG_GUARD),
        Err(ExecutorError::LoopClosed)
    ));
}

#[test]
fn result_on_the_producing_loop_refuses_to_deadlock() {
    let error = aio::run(async {
        let remote = aio::get_running_loop().unwrap().remote();
        let future = aio::run_coroutine_threadsafe(|| async { 1 }, &remote);
        let refused = future.result(None).unwrap_err();
        // Awaiting it is the way.
        assert_eq!(aio::wrap_future(future).await.unwrap(), 1);
        refused
    })
    .unwrap();
    assert!(matches!(error, ExecutorError::WouldDeadlock));
}
