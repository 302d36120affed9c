//! Chapter 13: the process pool, with real worker processes.
//!
//! This test has its own `main` (`harness = false`): the pool's workers are
//! this binary run again, so `main` registers the functions and calls
//! `serve_if_worker` before anything else, as a program using the pool
//! must. Two cases run it once more as a plain child, chosen by
//! `AIO_POOL_TEST_MODE`: a pool's parent that gets `SIGKILL`ed, and a
//! program that forgets to serve. Every case must leave no child process
//! and no extra descriptor behind.

use aio::{ExecutorError, PoolFunction, PoolFunctions, ProcessPoolExecutor};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

const MODE: &str = "AIO_POOL_TEST_MODE";

/// How long anything may take before the test gives up: a hang guard, not
/// a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn square(x: u64) -> u64 {
    x * x
}

/// The worker's pid, and the square: shows which process ran the job.
fn pid_and_square(x: u64) -> (u32, u64) {
    (std::process::id(), x * x)
}

fn shout(text: String) -> String {
    text.to_uppercase() + "!"
}

fn panics(message: String) -> u32 {
    panic!("{message}")
}

/// Ends the worker process in the middle of its job.
fn exits(code: i32) -> u32 {
    std::process::exit(code)
}

/// Writes the file `path` with our pid in it; returns the pid.
fn touch(path: String) -> u32 {
    std::fs::write(&path, std::process::id().to_string())
        .expect("the marker can be written");
    std::process::id()
}

/// Says it started (the file `started`), then waits for `release` to
/// exist: a job that runs until the test lets it go.
fn hold((started, release): (String, String)) -> u32 {
    touch(started);
    while !Path::new(&release).exists() {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::process::id()
}

/// The functions of this program, the same in every run of it.
struct Functions {
    registry: PoolFunctions,
    square: PoolFunction<u64, u64>,
    pid_and_square: PoolFunction<u64, (u32, u64)>,
    shout: PoolFunction<String, String>,
    panics: PoolFunction<String, u32>,
    exits: PoolFunction<i32, u32>,
    touch: PoolFunction<String, u32>,
    hold: PoolFunction<(String, String), u32>,
}

fn functions() -> Functions {
    let mut registry = PoolFunctions::new();
    Functions {
        square: registry.register("square", square).unwrap(),
        pid_and_square: registry
            .register("pid_and_square", pid_and_square)
            .unwrap(),
        shout: registry.register("shout", shout).unwrap(),
        panics: registry.register("panics", panics).unwrap(),
        exits: registry.register("exits", exits).unwrap(),
        touch: registry.register("touch", touch).unwrap(),
        hold: registry.register("hold", hold).unwrap(),
        registry,
    }
}

fn main() {
    let functions = functions();
    let mode = std::env::var(MODE).unwrap_or_default();
    if mode.starts_with("no-serve") {
        return forgets_to_serve(&functions, &mode);
    }
    functions.registry.serve_if_worker();
    if mode == "parent" {
        return parent_of_a_pool(&functions);
    }
    run_cases(&functions);
}

type Case = fn(&Functions);

const CASES: &[(&str, Case)] = &[
    ("results come back from at most max_workers reused workers", results),
    ("zero workers is refused", zero_workers),
    ("a panicking job fails alone and the pool serves on", panicking_job),
    ("a job submitted after shutdown is refused", after_shutdown),
    ("an unregistered function is the worker's refusal", unknown_function),
    ("a result of another type is a codec error", wrong_result_type),
    ("a worker killed from outside breaks its job only", killed_worker),
    ("a worker that exits mid-job breaks its job only", exiting_worker),
    ("a cancelled queued job never runs", cancelled_queued_job),
    ("run_in_executor awaits a call in a task", awaited_in_a_task),
    ("cancelling the awaiting task cancels a queued job", cancelled_task),
    ("shutdown(wait) leaves no process and no descriptor", shutdown_waits),
    ("idle workers are stopped, and so after shutdown(no wait)", idle),
    ("a program that does not serve is told to", program_does_not_serve),
    ("a program that never serves does not hang the pool", program_hangs),
    ("workers die with their parent", workers_die_with_parent),
];

fn run_cases(functions: &Functions) {
    let watchdog = watchdog();
    let mut failed = 0;
    for (name, case) in CASES {
        watchdog.send(name).unwrap();
        match run_case(functions, *case) {
            Ok(()) => println!("test {name} ... ok"),
            Err(problem) => {
                println!("test {name} ... FAILED\n{problem}");
                failed += 1;
            }
        }
    }
    println!("\n{} cases, {failed} failed", CASES.len());
    if failed > 0 {
        std::process::exit(1);
    }
}

/// A thread that ends the test if a case hangs (a shutdown that never
/// returns, say): send it each case's name as the case starts.
fn watchdog() -> std::sync::mpsc::Sender<&'static str> {
    let (started, cases) = std::sync::mpsc::channel::<&str>();
    std::thread::spawn(move || {
        let mut running = cases.recv().ok();
        while let Some(name) = running {
            match cases.recv_timeout(2 * HANG_GUARD) {
                Ok(next) => running = Some(next),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    println!("test {name} ... FAILED: hang guard, it hangs");
                    std::process::exit(1);
                }
            }
        }
    });
    started
}

/// Runs one case, then checks that it left no child and no descriptor.
fn run_case(functions: &Functions, case: Case) -> Result<(), String> {
    let fds_before = open_fds();
    catch_unwind(AssertUnwindSafe(|| case(functions)))
        .map_err(|panic| panic_text(&*panic))?;
    no_children_left()?;
    let fds_after = open_fds();
    if fds_after != fds_before {
        return Err(format!("open fds {fds_before:?} became {fds_after:?}"));
    }
    Ok(())
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
        .unwrap_or_else(|| "a panic".into())
}

/// The descriptors open now.
fn open_fds() -> BTreeSet<String> {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .map(|entry| entry.expect("an fd").file_name().into_string().unwrap())
        .collect()
}

/// `waitpid(-1, WNOHANG)` says there is no child at all, not even one
/// still running or a zombie.
fn no_children_left() -> Result<(), String> {
    let mut status = 0;
    // SAFETY: waitpid with a valid status pointer.
    let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
    let error = std::io::Error::last_os_error();
    match pid {
        -1 if error.raw_os_error() == Some(libc::ECHILD) => Ok(()),
        0 => Err("a child process is still running".into()),
        -1 => Err(format!("waitpid: {error}")),
        pid => Err(format!("child {pid} was left unreaped (a zombie)")),
    }
}

/// Waits for `what` to hold, until the hang guard gives up.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + HANG_GUARD;
    while !done() {
        assert!(Instant::now() < deadline, "hang guard: never {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A fresh folder for a case's marker files.
struct Markers(PathBuf);

impl Markers {
    fn new(case: &str) -> Markers {
        let folder = std::env::temp_dir()
            .join(format!("aio-pool-{}-{case}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        Markers(folder)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    fn exists(&self, name: &str) -> bool {
        self.0.join(name).exists()
    }

    /// The pid a job wrote into marker `name`.
    fn pid(&self, name: &str) -> u32 {
        std::fs::read_to_string(self.0.join(name)).unwrap().parse().unwrap()
    }

    fn release(&self, name: &str) {
        std::fs::write(self.0.join(name), "").unwrap();
    }
}

impl Drop for Markers {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A pool whose workers do not stop for idleness while a case runs.
fn pool(max_workers: usize) -> ProcessPoolExecutor {
    ProcessPoolExecutor::builder()
        .max_workers(max_workers)
        .idle_timeout(HANG_GUARD)
        .build()
        .unwrap()
}

fn wait<T: Send + 'static>(
    future: aio::ConcurrentFuture<T>,
) -> Result<T, ExecutorError> {
    future.result(Some(HANG_GUARD))
}

fn results(f: &Functions) {
    let pool = pool(2);
    let mut pids = BTreeSet::new();
    for round in 0..2 {
        let futures: Vec<_> = (0..8)
            .map(|x| pool.submit(f.pid_and_square.call(x)).unwrap())
            .collect();
        for (x, future) in (0..8).zip(futures) {
            let (pid, squared) = wait(future).unwrap();
            assert_eq!(squared, x * x);
            assert_ne!(pid, std::process::id(), "ran in a worker");
            pids.insert(pid);
        }
        assert!(pids.len() <= 2, "round {round}: workers {pids:?}");
        let live: BTreeSet<u32> = pool.worker_pids().into_iter().collect();
        assert_eq!(live, pids, "the same workers serve every round");
    }
    let shouted = wait(pool.submit(f.shout.call("hi".into())).unwrap());
    assert_eq!(shouted.unwrap(), "HI!");
    pool.shutdown(true, false);
    assert_eq!(pool.worker_pids(), Vec::<u32>::new());
}

fn zero_workers(_: &Functions) {
    let error = ProcessPoolExecutor::new(0).unwrap_err();
    assert!(matches!(error, ExecutorError::ZeroWorkers), "{error:?}");
    let built = ProcessPoolExecutor::builder().max_workers(0).build();
    assert!(matches!(built, Err(ExecutorError::ZeroWorkers)), "{built:?}");
}

fn panicking_job(f: &Functions) {
    let pool = pool(1);
    let before = wait(pool.submit(f.touch.call(scratch("p"))).unwrap());
    let failed = wait(pool.submit(f.panics.call("boom".into())).unwrap());
    match failed {
        Err(ExecutorError::Panicked { message }) => assert_eq!(message, "boom"),
        other => panic!("a panic gave {other:?}"),
    }
    let after = wait(pool.submit(f.touch.call(scratch("p"))).unwrap());
    assert_eq!(before.unwrap(), after.unwrap(), "the same worker serves on");
    pool.shutdown(true, false);
    let _ = std::fs::remove_file(scratch("p"));
}

/// A file of our own in the temporary folder.
fn scratch(name: &str) -> String {
    let file = format!("aio-pool-{}-{name}", std::process::id());
    std::env::temp_dir().join(file).to_string_lossy().into_owned()
}

fn after_shutdown(f: &Functions) {
    let pool = pool(1);
    assert_eq!(wait(pool.submit(f.square.call(4)).unwrap()).unwrap(), 16);
    pool.shutdown(true, false);
    let refused = pool.submit(f.square.call(5));
    assert!(matches!(refused, Err(ExecutorError::Shutdown)), "{refused:?}");
}

fn unknown_function(_: &Functions) {
    // Registered here, after `serve_if_worker`: the workers never have it.
    let mut late = PoolFunctions::new();
    let cube = late.register("cube", |x: u64| x * x * x).unwrap();
    let pool = pool(1);
    match wait(pool.submit(cube.call(2)).unwrap()) {
        Err(ExecutorError::Worker(message)) => {
            assert!(message.contains("no function `cube`"), "{message}");
        }
        other => panic!("an unknown function gave {other:?}"),
    }
    pool.shutdown(true, false);
}

fn wrong_result_type(_: &Functions) {
    // The worker's `square` returns a u64, not a String.
    let mut other = PoolFunctions::new();
    let liar = other.register("square", |x: u64| x.to_string()).unwrap();
    let pool = pool(1);
    match wait(pool.submit(liar.call(9)).unwrap()) {
        Err(ExecutorError::Codec(message)) => {
            assert!(message.contains("`square`"), "{message}");
        }
        other => panic!("a result of the wrong type gave {other:?}"),
    }
    pool.shutdown(true, false);
}

fn killed_worker(f: &Functions) {
    let markers = Markers::new("killed");
    let pool = pool(1);
    let call = f.hold.call((markers.path("started"), markers.path("never")));
    let held = pool.submit(call).unwrap();
    eventually("started", || markers.exists("started"));
    let pid = markers.pid("started");
    assert_eq!(pool.worker_pids(), vec![pid]);
    aio::Signal::KILL.send(pid).unwrap();
    match wait(held) {
        Err(ExecutorError::BrokenWorker { reason }) => {
            for part in [&pid.to_string(), "SIGKILL", "`hold`"] {
                assert!(reason.contains(part), "{part} in {reason}");
            }
        }
        other => panic!("a killed worker gave {other:?}"),
    }
    let (next_pid, nine) = wait(pool.submit(f.pid_and_square.call(3)).unwrap())
        .expect("the pool recovers");
    assert_eq!(nine, 9);
    assert_ne!(next_pid, pid, "a fresh worker");
    assert_eq!(pool.worker_pids(), vec![next_pid]);
    pool.shutdown(true, false);
}

fn exiting_worker(f: &Functions) {
    let pool = pool(1);
    let first = wait(pool.submit(f.pid_and_square.call(1)).unwrap());
    let (pid, _) = first.unwrap();
    match wait(pool.submit(f.exits.call(7)).unwrap()) {
        Err(ExecutorError::BrokenWorker { reason }) => {
            let expected = format!(
                "the worker process {pid} exited with status 7 while running \
                 `exits`"
            );
            assert_eq!(reason, expected);
        }
        other => panic!("an exiting worker gave {other:?}"),
    }
    let (next_pid, _) = wait(pool.submit(f.pid_and_square.call(2)).unwrap())
        .expect("the pool recovers");
    assert_ne!(next_pid, pid, "a fresh worker");
    pool.shutdown(true, false);
}

fn cancelled_queued_job(f: &Functions) {
    let markers = Markers::new("cancel");
    let pool = pool(1);
    let first = f.hold.call((markers.path("started"), markers.path("go")));
    let first = pool.submit(first).unwrap();
    eventually("started", || markers.exists("started"));
    let queued = pool.submit(f.touch.call(markers.path("queued"))).unwrap();
    assert!(queued.cancel(), "a queued job can be cancelled");
    assert!(!first.cancel(), "a running job cannot");
    markers.release("go");
    assert_eq!(wait(first).unwrap(), markers.pid("started"));
    pool.shutdown(true, false);
    assert!(matches!(wait(queued), Err(ExecutorError::Cancelled)));
    assert!(!markers.exists("queued"), "the cancelled job never ran");
}

fn awaited_in_a_task(f: &Functions) {
    let pool = pool(1);
    let (handle, call) = (pool.clone(), f.square.call(3));
    let nine =
        aio::run(async move { aio::run_in_executor(&handle, call).await });
    assert_eq!(nine.unwrap().unwrap(), 9);
    pool.shutdown(true, false);
}

fn cancelled_task(f: &Functions) {
    let markers = Markers::new("task");
    let pool = pool(1);
    let first = f.hold.call((markers.path("started"), markers.path("go")));
    let first = pool.submit(first).unwrap();
    eventually("started", || markers.exists("started"));
    let (handle, queued) = (pool.clone(), f.touch.call(markers.path("queued")));
    let outcome = aio::run(async move {
        let submitted = Rc::new(Cell::new(false));
        let said = Rc::clone(&submitted);
        let task = aio::spawn(async move {
            let job = aio::run_in_executor(&handle, queued);
            said.set(true);
            job.await
        })
        .unwrap();
        while !submitted.get() {
            aio::sleep(Duration::ZERO).await;
        }
        task.cancel();
        task.await
    });
    let outcome = outcome.unwrap();
    assert!(matches!(outcome, Err(aio::TaskError::Cancelled)), "{outcome:?}");
    markers.release("go");
    wait(first).unwrap();
    pool.shutdown(true, false);
    assert!(!markers.exists("queued"), "the cancelled job never ran");
}

fn shutdown_waits(f: &Functions) {
    let markers = Markers::new("shutdown");
    let pool = pool(2);
    let held: Vec<_> = ["a", "b"]
        .iter()
        .map(|name| {
            let call = f.hold.call((markers.path(name), markers.path("go")));
            pool.submit(call).unwrap()
        })
        .collect();
    eventually("both started", || markers.exists("a") && markers.exists("b"));
    let pids: BTreeSet<u32> = pool.worker_pids().into_iter().collect();
    let expected = BTreeSet::from([markers.pid("a"), markers.pid("b")]);
    assert_eq!(pids, expected, "two workers at once");
    markers.release("go");
    pool.shutdown(true, false);
    for future in held {
        wait(future).unwrap();
    }
    assert_eq!(pool.worker_pids(), Vec::<u32>::new());
    // `run_case` checks the children and the descriptors.
}

fn idle(f: &Functions) {
    let idling = ProcessPoolExecutor::builder()
        .max_workers(1)
        .idle_timeout(Duration::from_millis(1))
        .build()
        .unwrap();
    let (pid, _) =
        wait(idling.submit(f.pid_and_square.call(5)).unwrap()).unwrap();
    eventually("the idle worker stopped", || idling.worker_pids().is_empty());
    let (next, _) =
        wait(idling.submit(f.pid_and_square.call(6)).unwrap()).unwrap();
    assert_ne!(next, pid, "a fresh worker after the idle one stopped");
    idling.shutdown(true, false);

    let pool = pool(1);
    wait(pool.submit(f.square.call(7)).unwrap()).unwrap();
    let watch = pool.clone();
    pool.shutdown(false, false);
    drop(pool);
    eventually("the worker stopped", || watch.worker_pids().is_empty());
    // `run_case` checks that each one was reaped.
}

/// Starts this binary again in `mode`, with piped output.
fn this_binary(mode: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.env(MODE, mode).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn program_does_not_serve(_: &Functions) {
    let output = this_binary("no-serve").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("exited with status 3 before saying hello")
            && stdout.contains("call `PoolFunctions::serve_if_worker()`"),
        "the job's error: {stdout}"
    );
    assert!(
        stderr.contains("does not start pools of its own"),
        "the worker's refusal: {stderr}"
    );
}

fn program_hangs(_: &Functions) {
    let output = this_binary("no-serve-hangs").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("did not say hello within 1s (the pool killed it)")
            && stdout.contains("call `PoolFunctions::serve_if_worker()`"),
        "the job's error: {stdout}"
    );
}

/// Modes `no-serve` and `no-serve-hangs`: a program that never calls
/// `serve_if_worker`. Its workers run this `main` too, and either try to
/// start a pool of their own and exit, or hang.
fn forgets_to_serve(f: &Functions, mode: &str) {
    let pool = ProcessPoolExecutor::builder()
        .max_workers(1)
        .start_timeout(Duration::from_secs(1))
        .build();
    if std::env::args().nth(1).as_deref() == Some("--aio-process-pool-worker") {
        eprintln!("{}", pool.unwrap_err());
        if mode == "no-serve-hangs" {
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        std::process::exit(3);
    }
    let pool = pool.unwrap();
    let error = wait(pool.submit(f.square.call(2)).unwrap()).unwrap_err();
    println!("{error}");
    pool.shutdown(true, false);
}

fn workers_die_with_parent(_: &Functions) {
    // Orphans come to us instead of to init, so we can reap them and see
    // what ended them.
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) changes only this process.
    assert_eq!(unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) }, 0);
    let markers = Markers::new("parent");
    let mut parent = this_binary("parent")
        .env("AIO_POOL_TEST_MARKERS", &markers.0)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let stdout = parent.stdout.take().unwrap();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let pids: Vec<u32> = line
        .strip_prefix("workers ")
        .unwrap_or_else(|| panic!("the parent said {line:?}"))
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2, "{line}");
    parent.kill().unwrap();
    parent.wait().unwrap();
    for (pid, status) in pids.iter().zip(reap_orphans(&pids)) {
        assert!(
            libc::WIFSIGNALED(status)
                && libc::WTERMSIG(status) == libc::SIGKILL,
            "worker {pid} ended with status {status:#x}, not SIGKILL"
        );
    }
}

/// Waits for the orphans `pids`, now our children, to end, and gives each
/// one's status. Any that outlive the hang guard are killed and reaped
/// before the case fails, so no worker is left behind.
fn reap_orphans(pids: &[u32]) -> Vec<i32> {
    let deadline = Instant::now() + HANG_GUARD;
    let mut statuses = vec![None; pids.len()];
    while statuses.contains(&None) {
        if Instant::now() > deadline {
            for (pid, _) in pids.iter().zip(&statuses).filter(|s| s.1.is_none())
            {
                let _ = aio::Signal::KILL.send(*pid);
                reap(*pid, 0);
            }
            panic!("hang guard: workers {pids:?} outlived their parent");
        }
        for (pid, status) in pids.iter().zip(&mut statuses) {
            if status.is_none() {
                *status = reap(*pid, libc::WNOHANG);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    statuses.into_iter().flatten().collect()
}

/// `waitpid(pid, flags)`: the status, if `pid` has ended.
fn reap(pid: u32, flags: i32) -> Option<i32> {
    let mut status = 0;
    // SAFETY: waitpid with a valid status pointer.
    let reaped = unsafe { libc::waitpid(pid as i32, &mut status, flags) };
    (reaped == pid as i32).then_some(status)
}

/// Mode `parent`: starts two workers, each held in a job, says their pids,
/// and waits to be killed (or for the test to close our stdin).
fn parent_of_a_pool(f: &Functions) {
    let markers =
        PathBuf::from(std::env::var("AIO_POOL_TEST_MARKERS").unwrap());
    let path = |name: &str| markers.join(name).to_string_lossy().into_owned();
    let pool = pool(2);
    let _held: Vec<_> = ["a", "b"]
        .iter()
        .map(|name| pool.submit(f.hold.call((path(name), path("never")))))
        .collect();
    eventually("started", || {
        markers.join("a").exists() && markers.join("b").exists()
    });
    let pids: Vec<String> =
        pool.worker_pids().iter().map(u32::to_string).collect();
    println!("workers {}", pids.join(" "));
    let _ = std::io::stdin().lines().count();
}
