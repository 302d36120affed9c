//! The graders of chapter 14's exercises, one module per exercise.
//!
//! `cargo test -p ch14-debugging --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod poll_stats {
    use super::grading::closing_loop;
    use aio::trace::Event;
    use ch14_debugging::exercises::poll_stats::measured;
    use std::thread;
    use std::time::Duration;

    /// Gives way `times` times.
    async fn gives_way(times: u32) {
        for _ in 0..times {
            aio::sleep(Duration::ZERO).await;
        }
    }

    #[test]
    fn it_counts_every_poll_the_loop_made() {
        let (outcome, trace) = aio::trace::record(|| {
            let event_loop = closing_loop();
            event_loop.run_until_complete(measured(async {
                gives_way(4).await;
                "done"
            }))
        });
        let (output, stats) = outcome.expect("the loop ran");
        assert_eq!(output, "done", "awaiting it must give the output");
        let polls = trace
            .events()
            .iter()
            .filter(|event| matches!(event, Event::PollEnded { .. }))
            .count() as u32;
        assert_eq!(
            stats.polls, polls,
            "the loop polled the task {polls} times (once per give-way, and \
             once to finish), but the stats say {}",
            stats.polls
        );
    }

    #[test]
    fn it_finds_the_slow_poll_and_adds_up_the_busy_time() {
        let event_loop = closing_loop();
        let outcome = event_loop.run_until_complete(measured(async {
            // Poll 1 blocks for 20 ms and gives way; poll 2 only gives
            // way; poll 3 blocks for 150 ms and gives way; poll 4 finishes.
            thread::sleep(Duration::from_millis(20));
            gives_way(1).await;
            gives_way(1).await;
            thread::sleep(Duration::from_millis(150));
            gives_way(1).await;
        }));
        let ((), stats) = outcome.expect("the loop ran");
        assert_eq!(stats.polls, 4, "four polls: {stats:?}");
        assert_eq!(
            stats.slowest_poll, 3,
            "the third poll blocked for 150 ms, and was the slowest: {stats:?}"
        );
        assert!(
            stats.slowest >= Duration::from_millis(150),
            "the slowest poll took at least the 150 ms it blocked: {stats:?}"
        );
        assert!(
            stats.busy >= Duration::from_millis(170)
                && stats.busy > stats.slowest,
            "busy is the sum of every poll's time, at least the 20 ms and \
             150 ms blocks: {stats:?}"
        );
    }

    #[test]
    fn the_time_spent_waiting_between_polls_is_not_busy() {
        let (block, wait) =
            (Duration::from_millis(100), Duration::from_millis(600));
        let outcome = aio::run(measured(async move {
            thread::sleep(block);
            // The loop waits for the thread's answer: real time passes
            // between two polls, even on the virtual clock.
            aio::to_thread(move || thread::sleep(wait)).await
        }));
        let (slept, stats) = outcome.expect("the loop ran");
        slept.expect("the thread slept");
        assert!(
            stats.busy >= block && stats.busy < wait,
            "the polls held the thread for about {block:?}, the future then \
             waited {wait:?} for another thread: busy must count only the \
             time inside the inner polls: {stats:?}"
        );
    }
}

mod lock_cycle {
    use super::grading::closing_loop;
    use aio::{TaskNode, TaskTree, WaitNode};
    use ch14_debugging::exercises::lock_cycle::{deadlock, waiting_on};
    use std::time::Duration;

    /// Every task node in `tree`, wherever it is, with its waits.
    fn all_tasks(tree: &TaskTree) -> Vec<&TaskNode> {
        fn walk<'a>(task: &'a TaskNode, found: &mut Vec<&'a TaskNode>) {
            found.push(task);
            task.waits_on.iter().for_each(|wait| visit(wait, found));
        }
        fn visit<'a>(wait: &'a WaitNode, found: &mut Vec<&'a TaskNode>) {
            match wait {
                WaitNode::Task(task) => walk(task, found),
                WaitNode::Group { members, .. } => {
                    members.iter().for_each(|member| visit(member, found));
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        tree.roots.iter().for_each(|root| walk(root, &mut found));
        found
    }

    #[test]
    fn the_deadlock_shows_left_and_right_each_waiting_on_a_lock() {
        let event_loop = closing_loop();
        let tree = event_loop.run_until_complete(async {
            // The timeout only guards against a program that never returns.
            let tree = aio::wait_for(deadlock(), Duration::from_secs(60)).await;
            // Cancel the deadlocked pair, for a clean close.
            let me = aio::current_task().expect("in a task");
            for task in aio::all_tasks() {
                if !task.same_task(&me) {
                    task.cancel();
                }
            }
            tree
        });
        let tree = tree.expect("the loop ran");
        let tree = tree.expect("deadlock() returned within 60 s").unwrap();
        let tasks = all_tasks(&tree);
        for name in ["left", "right"] {
            let task = tasks.iter().find(|task| task.name == name);
            let task = task.unwrap_or_else(|| {
                panic!("no task named {name:?} in the tree:\n{tree}")
            });
            assert_eq!(
                task.waits_on,
                [WaitNode::Primitive { kind: "Lock" }],
                "{name:?} must be waiting on a Lock (is debug mode on, and \
                 has it had the ticks to get stuck?):\n{tree}"
            );
        }
    }

    #[test]
    fn it_finds_every_task_waiting_on_a_kind_of_primitive() {
        let tree = super::grading::known_tree();
        assert_eq!(
            waiting_on(&tree, "Event"),
            ["alone", "gathered event"],
            "the tasks waiting on an Event, sorted, in:\n{tree}"
        );
        assert_eq!(
            waiting_on(&tree, "Lock"),
            ["gathered lock", "locked"],
            "the tasks waiting on a Lock, sorted, in:\n{tree}"
        );
        assert_eq!(
            waiting_on(&tree, "Semaphore"),
            [] as [&str; 0],
            "no task waits on a Semaphore in:\n{tree}"
        );
    }
}

mod tree_rows {
    use super::grading::Target;
    use aio::{TaskNode, TaskTree, WaitNode};
    use ch14_debugging::exercises::tree_rows::{TreeRow, parse_tree, ps};
    use std::time::Duration;

    fn task(name: &str, state: &'static str, waits: Vec<WaitNode>) -> TaskNode {
        TaskNode {
            id: 0,
            name: name.into(),
            state,
            created_at: format!("src/{}.rs:1:2", name.len()),
            waits_on: waits,
        }
    }

    /// A tree with every kind of node: tasks under a gather and under a
    /// task, a task shown twice, waits that are not tasks, odd names.
    fn every_kind_of_node() -> TaskTree {
        let timer = WaitNode::Timer { deadline: Duration::from_secs(1) };
        let lock = WaitNode::Primitive { kind: "Lock" };
        let deep = task("deep", "cancelling", vec![lock]);
        let odd = task("it's odd", "pending", vec![WaitNode::Task(deep)]);
        let nap = task("nap 1", "pending", vec![timer]);
        let gather = WaitNode::Group {
            kind: "gather",
            created_at: "src/main.rs:3:4".into(),
            members: vec![WaitNode::Task(nap), WaitNode::Task(odd)],
        };
        let promise = WaitNode::Promise { created_at: "src/p.rs:5:6".into() };
        let main = task("main", "running", vec![gather, promise]);
        let again = WaitNode::Again { id: 0, name: "nap 1".into() };
        let lone = task("lone", "pending", vec![again]);
        let quoted = task("x' y", "pending", vec![]);
        TaskTree { roots: vec![main, lone, quoted] }
    }

    /// The rows the tree holds, from the tree itself rather than its text.
    fn rows_of(tree: &TaskTree) -> Vec<TreeRow> {
        fn walk(task: &TaskNode, depth: usize, rows: &mut Vec<TreeRow>) {
            rows.push(TreeRow {
                depth,
                name: task.name.clone(),
                state: task.state.into(),
                created_at: task.created_at.clone(),
            });
            task.waits_on.iter().for_each(|w| visit(w, depth + 1, rows));
        }
        fn visit(wait: &WaitNode, depth: usize, rows: &mut Vec<TreeRow>) {
            match wait {
                WaitNode::Task(task) => walk(task, depth, rows),
                WaitNode::Group { members, .. } => {
                    members.iter().for_each(|m| visit(m, depth, rows));
                }
                _ => {}
            }
        }
        let mut rows = Vec::new();
        tree.roots.iter().for_each(|root| walk(root, 0, &mut rows));
        rows
    }

    #[test]
    fn it_reads_every_task_of_a_tree_back_with_its_depth() {
        for tree in [
            every_kind_of_node(),
            super::grading::known_tree(),
            TaskTree { roots: Vec::new() },
        ] {
            let text = tree.to_string();
            assert_eq!(
                parse_tree(&text),
                rows_of(&tree),
                "the rows of this tree: one per task line, in order; a \
                 depth counts the tasks above, not the gather or other \
                 lines between; `(shown above)` is no row:\n{text}"
            );
        }
    }

    #[test]
    fn ps_reads_the_tasks_of_a_live_program() {
        let target = Target::start();
        let rows = ps(target.pid());
        drop(target);
        let rows = rows.expect("tree_target answers");
        let parent = rows.iter().position(|row| row.name == "parent");
        let parent = parent.unwrap_or_else(|| {
            panic!("tree_target has a task 'parent': {rows:?}")
        });
        let naps = &rows[parent + 1..];
        assert_eq!(rows[parent].state, "pending", "{rows:?}");
        assert_eq!(naps.len(), 3, "three naps after 'parent': {rows:?}");
        for nap in naps {
            assert_eq!(
                nap.depth,
                rows[parent].depth + 1,
                "'parent' gathers the naps, so they are one deeper: {rows:?}"
            );
        }
    }

    #[test]
    fn ps_of_a_program_without_a_tree_fails() {
        // A process that has ended serves nothing.
        let mut child =
            std::process::Command::new("true").spawn().expect("`true` runs");
        let pid = child.id();
        child.wait().expect("`true` ends");
        let rows = ps(pid);
        assert!(
            rows.is_err(),
            "process {pid} has ended, so asking it must fail, as \
             request_task_tree does: {rows:?}"
        );
    }
}

mod debug_report {
    use super::grading::{HeardLog, virtual_loop};
    use ch14_debugging::exercises::debug_report::{LeakedTask, debug_report};
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::thread;
    use std::time::Duration;

    const THRESHOLD: Duration = Duration::from_millis(50);
    const BLOCK: Duration = Duration::from_millis(150);

    /// A callback that holds the thread.
    fn blocks_the_loop() {
        thread::sleep(BLOCK);
    }

    /// A task `hog` that blocks once, a callback that blocks, a task
    /// `quick` that does not.
    async fn slow_program() -> Result<&'static str, aio::Error> {
        let hog = aio::spawn(async { thread::sleep(BLOCK) })?;
        hog.set_name("hog");
        let quick = aio::spawn(aio::sleep(Duration::from_millis(1)))?;
        quick.set_name("quick");
        aio::get_running_loop()?.call_soon(blocks_the_loop)?;
        hog.await?;
        quick.await?;
        aio::sleep(Duration::ZERO).await; // the callback has run
        Ok("slow program done")
    }

    #[test]
    fn it_reports_each_slow_step_once_with_what_ran_and_how_long() {
        let report = debug_report(virtual_loop(), THRESHOLD, slow_program());
        let output = report.output.expect("the program ran");
        assert_eq!(output.ok(), Some("slow program done"));
        let steps = &report.slow_steps;
        let hog: Vec<_> =
            steps.iter().filter(|s| s.step.contains(" name='hog' ")).collect();
        assert_eq!(hog.len(), 1, "one slow step of task 'hog' in {steps:?}");
        assert!(hog[0].step.starts_with("<Task "), "{:?}", hog[0]);
        let callback: Vec<_> = steps
            .iter()
            .filter(|s| s.step == "<Handle blocks_the_loop>")
            .collect();
        assert_eq!(
            callback.len(),
            1,
            "one slow step of the callback `blocks_the_loop` in {steps:?}"
        );
        for step in hog.iter().chain(&callback) {
            assert!(
                step.seconds >= BLOCK.as_secs_f64(),
                "{step:?} blocked for {BLOCK:?}: its seconds are the \
                 number in the warning"
            );
        }
    }

    #[test]
    fn it_reports_a_task_left_pending_with_its_site_and_its_wait() {
        let site = Rc::new(RefCell::new(String::new()));
        let spawned_at = Rc::clone(&site);
        let report =
            debug_report(virtual_loop(), Duration::from_secs(10), async move {
                let leaky = aio::spawn(aio::sleep(Duration::from_secs(5)))?;
                leaky.set_name("leaky");
                *spawned_at.borrow_mut() = leaky.spawned_at().to_string();
                let finished =
                    aio::spawn(aio::sleep(Duration::from_millis(10)))?;
                finished.await?;
                aio::sleep(Duration::from_secs(1)).await;
                Ok::<_, aio::Error>(7)
            });
        let output = report.output.expect("the program ran, the loop closed");
        assert_eq!(output.ok(), Some(7));
        let deadline =
            aio::WaitNode::Timer { deadline: Duration::from_secs(5) };
        assert_eq!(
            report.leaked,
            [LeakedTask {
                name: "leaky".into(),
                created_at: site.borrow().clone(),
                waiting_on: Some(deadline.to_string()),
            }],
            "the one task left pending when the loop closed is 'leaky', \
             waiting on its sleep's timer (the report is logged by close())"
        );
    }

    #[test]
    fn the_sink_before_hears_everything_and_is_back_afterwards() {
        let before = HeardLog::install(aio::Level::Debug);
        let report = debug_report(virtual_loop(), THRESHOLD, async {
            let left = aio::spawn(aio::sleep(Duration::from_secs(5)))?;
            left.set_name("left behind");
            thread::sleep(BLOCK);
            Ok::<_, aio::Error>(())
        });
        let heard = before.messages();
        let reported = report.slow_steps.len() + report.leaked.len();
        let executing =
            heard.iter().filter(|m| m.starts_with("Executing ")).count();
        let destroyed =
            heard.iter().filter(|m| m.contains("destroyed")).count();
        assert!(
            executing >= 1 && destroyed == 1,
            "the sink installed before heard {heard:?}: every record must be \
             passed on to it"
        );
        assert_eq!(
            executing + destroyed,
            reported,
            "the report found {reported} slow steps and leaks, the records \
             say {}",
            executing + destroyed
        );
        // A loop dropped unclosed logs a warning: the old sink must hear it.
        drop(virtual_loop());
        let after = before.messages();
        assert!(
            after.len() > heard.len()
                && after.last().unwrap().contains("unclosed event loop"),
            "after debug_report the sink installed before must be back: \
             {after:?}"
        );
    }
}

/// What the graders share: [`shared_grading`]'s loops and log, a known
/// task tree, and a running target.
mod grading {
    use crate::shared_grading::ClosingLoop;
    pub use crate::shared_grading::{HeardLog, virtual_loop};
    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

    /// A virtual-clock loop that is closed when dropped, as a test is done
    /// with it.
    pub fn closing_loop() -> ClosingLoop {
        ClosingLoop::virtual_clock()
    }

    /// The tree of a known program, in debug mode: `main` gathers two tasks
    /// that wait on an event and a lock; two more tasks wait on their own.
    pub fn known_tree() -> aio::TaskTree {
        let event_loop = closing_loop();
        event_loop.set_debug(true);
        let tree = event_loop.run_until_complete(async {
            let (event, lock) = (aio::Event::new(), aio::Lock::new());
            let held = lock.lock().await;
            let named = |name: &str, task: aio::Task<()>| {
                task.set_name(name);
                task
            };
            let (e, l) = (event.clone(), lock.clone());
            let on_event = async move { e.wait().await };
            let on_lock = async move { drop(l.lock().await) };
            let gatherer = aio::spawn(async move {
                let event = aio::spawn(on_event).unwrap();
                event.set_name("gathered event");
                let lock = aio::spawn(on_lock).unwrap();
                lock.set_name("gathered lock");
                let _ = aio::gather([event, lock]).await;
            })?;
            let gatherer = named("gatherer", gatherer);
            let (e, l) = (event.clone(), lock.clone());
            let alone =
                named("alone", aio::spawn(async move { e.wait().await })?);
            let locked = aio::spawn(async move { drop(l.lock().await) })?;
            let locked = named("locked", locked);
            for _ in 0..3 {
                aio::sleep(Duration::ZERO).await;
            }
            let tree = aio::task_tree()?;
            event.set();
            drop(held);
            for task in [gatherer, alone, locked] {
                let _ = task.await;
            }
            Ok::<_, aio::Error>(tree)
        });
        tree.expect("the loop ran").expect("the program ran")
    }

    /// A running `tree_target`, killed when dropped (a failed assertion
    /// too), its socket file removed.
    pub struct Target(Child);

    impl Target {
        /// Starts `tree_target` on the real clock, and returns once its
        /// naps sleep.
        pub fn start() -> Target {
            let mut child = Command::new(env!("CARGO_BIN_EXE_tree_target"))
                .env("AIO_CLOCK", "real")
                .stdout(Stdio::piped())
                .spawn()
                .expect("tree_target starts");
            let stdout = child.stdout.take().expect("piped");
            let target = Target(child);
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).expect("a line");
            assert_eq!(line, "ready\n", "tree_target says it is ready");
            target
        }

        pub fn pid(&self) -> u32 {
            self.0.id()
        }
    }

    impl Drop for Target {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
            // Killed, it could not remove its socket file.
            let _ = std::fs::remove_file(aio::tree_socket_path(self.pid()));
        }
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
