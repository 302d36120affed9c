//! Chapter 14: debug mode's reports, each made to appear by a program that
//! triggers it and checked absent (or without its debug-mode part) when debug
//! mode is off; and the task tree of a known program.

mod common;

use common::{CapturedLog, virtual_loop};
use std::time::Duration;

/// Spawns on the running loop (the spawn site is the caller's).
#[track_caller]
fn spawn<F: Future + 'static>(future: F) -> aio::Task<F::Output> {
    aio::spawn(future).expect("a loop runs")
}

/// The messages logged at `target`-looking prefixes: the runtime's records.
fn messages(log: &CapturedLog) -> Vec<String> {
    log.records().into_iter().map(|(_, message)| message).collect()
}

fn slow_steps(log: &CapturedLog) -> Vec<String> {
    messages(log).into_iter().filter(|m| m.starts_with("Executing ")).collect()
}

/// A task that blocks the thread for `blocked`, then one that does not.
fn block_then_idle(event_loop: &aio::EventLoop, blocked: Duration) {
    event_loop
        .run_until_complete(async move {
            let slow = spawn(async move { std::thread::sleep(blocked) });
            slow.set_name("slow");
            slow.await.unwrap();
            let quick = spawn(async {});
            quick.set_name("quick");
            quick.await.unwrap();
        })
        .unwrap();
}

#[test]
fn debug_mode_is_off_unless_asked_for_and_the_threshold_is_asyncios() {
    let event_loop = virtual_loop();
    assert!(!event_loop.get_debug());
    assert_eq!(event_loop.slow_callback_duration(), Duration::from_millis(100));
    assert_eq!(aio::DEFAULT_SLOW_CALLBACK_DURATION, Duration::from_millis(100));
    event_loop.set_debug(true);
    assert!(event_loop.get_debug());
    event_loop.set_debug(false);
    assert!(!event_loop.get_debug());
    event_loop.close().unwrap();
}

#[test]
fn a_slow_step_is_reported_with_the_task_its_site_and_how_long_it_took() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    event_loop.set_slow_callback_duration(Duration::from_millis(50));
    block_then_idle(&event_loop, Duration::from_millis(100));
    event_loop.close().unwrap();
    let slow = slow_steps(&log);
    assert_eq!(slow.len(), 1, "only the blocking step: {slow:?}");
    let report = &slow[0];
    assert!(
        report.starts_with("Executing <Task finished name='slow' created at "),
        "{report}"
    );
    let site = format!("{}:", file!());
    assert!(report.contains(&site), "names where it was spawned: {report}");
    let seconds: f64 = report
        .rsplit_once(" took ")
        .and_then(|(_, took)| took.strip_suffix(" seconds"))
        .and_then(|took| took.parse().ok())
        .unwrap_or_else(|| panic!("a duration in seconds: {report}"));
    assert!(seconds >= 0.100, "it blocked for 0.1 s at least: {report}");
}

#[test]
fn a_step_under_the_threshold_is_not_reported() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    // A second is far more than any of these steps takes, even on a loaded
    // machine: nothing is slow.
    event_loop.set_slow_callback_duration(Duration::from_secs(1));
    block_then_idle(&event_loop, Duration::ZERO);
    event_loop.close().unwrap();
    assert_eq!(slow_steps(&log), Vec::<String>::new());
}

#[test]
fn without_debug_mode_a_slow_step_is_not_reported() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop.set_slow_callback_duration(Duration::from_millis(1));
    block_then_idle(&event_loop, Duration::from_millis(20));
    event_loop.close().unwrap();
    assert_eq!(slow_steps(&log), Vec::<String>::new());
}

#[test]
fn a_slow_callback_is_reported_by_its_function() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    event_loop.set_slow_callback_duration(Duration::from_millis(10));
    fn blocks_for_a_while() {
        std::thread::sleep(Duration::from_millis(20));
    }
    event_loop.call_soon(blocks_for_a_while).unwrap();
    event_loop.stop();
    event_loop.run_forever().unwrap();
    event_loop.close().unwrap();
    let slow = slow_steps(&log);
    assert_eq!(slow.len(), 1, "{slow:?}");
    assert!(
        slow[0].starts_with("Executing <Handle blocks_for_a_while> took 0.0"),
        "{slow:?}"
    );
}

/// Runs a loop until `main` is waiting, then closes it with `main`'s task
/// still pending, and returns what was logged.
fn close_with_a_pending_task(debug: bool) -> Vec<String> {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop.set_debug(debug);
    let napper =
        event_loop.create_task(aio::sleep(Duration::from_secs(5))).unwrap();
    napper.set_name("napper");
    event_loop.run_until_complete(aio::sleep(Duration::ZERO)).unwrap();
    event_loop.close().unwrap();
    drop(napper);
    messages(&log)
}

#[test]
fn a_task_destroyed_while_pending_is_reported_with_what_it_waited_on() {
    let with_debug = close_with_a_pending_task(true);
    let destroyed: Vec<_> = with_debug
        .iter()
        .filter(|m| m.starts_with("Task was destroyed but it is pending!"))
        .collect();
    assert_eq!(destroyed.len(), 1, "{with_debug:?}");
    let report = destroyed[0];
    assert!(
        report.contains("<Task pending name='napper' created at "),
        "{report}"
    );
    assert!(report.contains(file!()), "{report}");
    assert!(report.contains("waiting on timer due at 5.000 s"), "{report}");

    // asyncio reports the leak in any mode; debug mode adds the wait.
    let without = close_with_a_pending_task(false);
    let destroyed: Vec<_> = without
        .iter()
        .filter(|m| m.starts_with("Task was destroyed but it is pending!"))
        .collect();
    assert_eq!(destroyed.len(), 1, "{without:?}");
    assert!(!destroyed[0].contains("waiting on"), "{}", destroyed[0]);
}

#[test]
fn a_finished_program_leaves_no_report_of_destroyed_tasks() {
    let log = CapturedLog::start();
    let answer = aio::run(async {
        // A task still sleeping when main returns: aio::run cancels it.
        let _sleeper = spawn(aio::sleep(Duration::from_secs(60)));
        aio::sleep(Duration::ZERO).await;
        7
    });
    assert_eq!(answer.unwrap(), 7);
    let reports = messages(&log);
    assert!(
        !reports.iter().any(|m| m.contains("destroyed")),
        "aio::run cancels its tasks before closing: {reports:?}"
    );
}

#[test]
fn an_exception_never_retrieved_names_where_its_future_was_made() {
    let log = CapturedLog::start();
    let event_loop = virtual_loop();
    event_loop
        .run_until_complete(async {
            let promise = aio::Promise::<u32>::new().unwrap();
            promise.set_exception(aio::Exception::msg("lost")).unwrap();
        })
        .unwrap();
    event_loop.close().unwrap();
    let reports = messages(&log);
    let lost: Vec<_> =
        reports.iter().filter(|m| m.contains("never retrieved")).collect();
    assert_eq!(lost.len(), 1, "{reports:?}");
    assert!(lost[0].contains(file!()), "{}", lost[0]);
    assert!(lost[0].ends_with(": lost"), "{}", lost[0]);
}

/// Opens a server in a task named "opener" and closes the loop with it
/// still open; returns the log.
fn leave_a_server_open(debug: bool) -> Vec<String> {
    let log = CapturedLog::start();
    let event_loop = common::real_loop();
    event_loop.set_debug(debug);
    let server = event_loop
        .run_until_complete(async {
            aio::current_task().unwrap().set_name("opener");
            aio::create_server(|| Quiet, "127.0.0.1", 0).await
        })
        .unwrap()
        .unwrap();
    event_loop.close().unwrap();
    drop(server);
    messages(&log)
}

struct Quiet;
impl aio::Protocol for Quiet {}

#[test]
fn an_unclosed_server_is_reported_and_in_debug_mode_who_opened_it() {
    let with_debug = leave_a_server_open(true);
    let left: Vec<_> =
        with_debug.iter().filter(|m| m.contains("left open")).collect();
    assert_eq!(left.len(), 1, "{with_debug:?}");
    assert!(left[0].contains("opened by opener, created at "), "{}", left[0]);
    assert!(left[0].contains(file!()), "{}", left[0]);

    let without = leave_a_server_open(false);
    let left: Vec<_> =
        without.iter().filter(|m| m.contains("left open")).collect();
    assert_eq!(left.len(), 1, "reported in any mode: {without:?}");
    assert!(!left[0].contains("opened by"), "{}", left[0]);
}

#[test]
fn an_unclosed_loop_is_reported_with_where_it_was_made() {
    let log = CapturedLog::start();
    let line = line!() + 1;
    let event_loop = aio::EventLoop::new().unwrap();
    drop(event_loop);
    let reports = messages(&log);
    let site = format!("{}:{line}:", file!());
    assert!(
        reports
            .iter()
            .any(|m| m.contains("unclosed event loop") && m.contains(&site)),
        "{reports:?}"
    );
}

/// The tree of a known program: a task gathering three sleeps, with debug
/// mode on. Lines name this file, so the snapshot holds them relative to
/// the line of `parent`'s spawn.
#[test]
fn the_tree_of_a_gather_of_three_sleeps_inside_a_task() {
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    let tree = event_loop
        .run_until_complete(async {
            aio::current_task().unwrap().set_name("main");
            let parent = spawn(async {
                let naps = (1..=3).map(|n| async move {
                    aio::current_task().unwrap().set_name(format!("nap {n}"));
                    aio::sleep(Duration::from_secs(n)).await;
                });
                aio::gather(naps).await.unwrap();
            });
            parent.set_name("parent");
            // Two ticks: the parent spawns the naps, and they start to sleep.
            aio::sleep(Duration::ZERO).await;
            aio::sleep(Duration::ZERO).await;
            let tree = aio::task_tree().unwrap();
            parent.await.unwrap();
            tree
        })
        .unwrap();
    event_loop.close().unwrap();

    let [main, parent] = &tree.roots[..] else {
        panic!("main and parent are the roots, main awaits nothing yet: {tree}")
    };
    assert_eq!((main.name.as_str(), main.state), ("main", "running"));
    assert_eq!(parent.name, "parent");
    let [aio::WaitNode::Group { kind: "gather", members, .. }] =
        &parent.waits_on[..]
    else {
        panic!("parent waits on one gather: {tree}")
    };
    assert_eq!(members.len(), 3, "{tree}");
    for (n, member) in (1..=3).zip(members) {
        let aio::WaitNode::Task(nap) = member else { panic!("{tree}") };
        assert_eq!(nap.name, format!("nap {n}"));
        let due = Duration::from_secs(n);
        assert_eq!(nap.waits_on, [aio::WaitNode::Timer { deadline: due }]);
    }
    let file = file!();
    let shown = tree.to_string().replace(file, "tests/debugging.rs");
    insta::assert_snapshot!("gather_of_three_sleeps", redact_lines(&shown));
}

/// `file.rs:12:5` becomes `file.rs:LINE:COL`: edits above the program must
/// not change its snapshot.
fn redact_lines(text: &str) -> String {
    text.lines()
        .map(|line| match line.find(".rs:") {
            Some(at) => format!("{}.rs:LINE:COL", &line[..at]),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn without_debug_mode_the_tree_lists_every_task_but_not_what_it_waits_on() {
    let event_loop = virtual_loop();
    let tree = event_loop
        .run_until_complete(async {
            let sleeper = spawn(aio::sleep(Duration::from_secs(1)));
            aio::sleep(Duration::ZERO).await;
            let tree = aio::task_tree().unwrap();
            sleeper.await.unwrap();
            tree
        })
        .unwrap();
    event_loop.close().unwrap();
    assert_eq!(tree.roots.len(), 2, "{tree}");
    assert!(tree.roots.iter().all(|task| task.waits_on.is_empty()), "{tree}");
}

#[test]
fn the_tree_shows_primitives_promises_and_waits() {
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    let tree = event_loop
        .run_until_complete(async {
            let lock = std::rc::Rc::new(aio::Lock::new());
            let guard = lock.lock().await;
            let waiting_lock = lock.clone();
            let locker = spawn(async move {
                drop(waiting_lock.lock().await);
            });
            let promise = aio::Promise::<u8>::new().unwrap();
            let awaited = promise.clone();
            let promiser = spawn(async move { awaited.await.unwrap() });
            let sleeper = spawn(aio::sleep(Duration::from_secs(2)));
            let watcher = spawn(async move {
                aio::wait(vec![sleeper], None, aio::ReturnWhen::AllCompleted)
                    .await
                    .unwrap();
            });
            aio::sleep(Duration::ZERO).await;
            aio::sleep(Duration::ZERO).await;
            let tree = aio::task_tree().unwrap();
            drop(guard);
            promise.set_result(1).unwrap();
            locker.await.unwrap();
            promiser.await.unwrap();
            watcher.await.unwrap();
            tree
        })
        .unwrap();
    event_loop.close().unwrap();
    let shown = tree.to_string();
    assert!(shown.contains("└── Lock\n"), "{shown}");
    assert!(shown.contains("└── promise made at "), "{shown}");
    assert!(shown.contains("└── wait at "), "{shown}");
    assert!(shown.contains("        └── timer due at 2.000 s"), "{shown}");
}

#[test]
fn task_tree_needs_a_running_loop() {
    assert!(matches!(aio::task_tree(), Err(aio::Error::NoRunningLoop)));
}
