//! The expected logs, pinned: every program of `capstone::programs` on aio
//! (`AioRuntime`), line for line. The grader compares the reader's runtime
//! with aio at run time; this test makes sure that what aio does cannot
//! drift unnoticed. Each log here was checked by hand against the rules of
//! the `Runtime` trait (and, for the chapters' programs, against the
//! chapters' own output).

use capstone::aio_runtime::AioRuntime;
use capstone::programs;

/// Fails, showing both logs, unless `log` is `expected`.
fn check(log: Vec<String>, expected: &[&str]) {
    let expected: Vec<String> =
        expected.iter().map(|line| (*line).to_owned()).collect();
    assert_eq!(log, expected, "aio's log changed");
}

mod ticks {
    use super::*;

    #[test]
    fn coroutine_chain() {
        check(
            programs::coroutine_chain::<AioRuntime>(),
            &[
                "0.000 s: in outer",
                "0.000 s: waiting for result1",
                "0.000 s: in phase1",
                "0.000 s: waiting for result2",
                "0.000 s: in phase2",
                "0.000 s: return value: (\"result1\", \"result2 derived from result1\")",
            ],
        );
    }

    #[test]
    fn call_soon() {
        check(
            programs::call_soon::<AioRuntime>(),
            &[
                "0.000 s: registering callbacks",
                "0.000 s: callback invoked with 1 and default",
                "0.000 s: callback invoked with 2 and not default",
                "0.000 s: main resumes, behind both callbacks",
            ],
        );
    }

    #[test]
    fn wakes_join_the_back() {
        check(
            programs::wakes_join_the_back::<AioRuntime>(),
            &[
                "0.000 s: main polls (rings: 0)",
                "0.000 s: x rings twice",
                "0.000 s: y, queued before main woke",
                "0.000 s: main polls (rings: 2)",
                "0.000 s: z rings",
                "0.000 s: main polls (rings: 3)",
                "0.000 s: main heard three rings",
            ],
        );
    }

    #[test]
    fn main_finishes_its_tick() {
        check(
            programs::main_finishes_its_tick::<AioRuntime>(),
            &[
                "0.000 s: main polls (rings: 0)",
                "0.000 s: x rings, then queues z",
                "0.000 s: main polls (rings: 1)",
                "0.000 s: main finishes",
                "0.000 s: z, queued behind main, runs in main's last tick",
            ],
        );
    }
}

mod timers {
    use super::*;

    #[test]
    fn call_later() {
        check(
            programs::call_later::<AioRuntime>(),
            &[
                "0.000 s: registering callbacks",
                "0.000 s: callback 3",
                "0.100 s: callback 2",
                "0.200 s: callback 1",
                "0.400 s: main wakes from its sleep",
            ],
        );
    }

    #[test]
    fn equal_deadlines() {
        check(
            programs::equal_deadlines::<AioRuntime>(),
            &[
                "0.050 s: setting c for 0.05 s from now",
                "0.100 s: a, set at 0 s for 0.1 s",
                "0.100 s: b, set at 0 s for 0.1 s",
                "0.100 s: c, set at 0.05 s",
                "0.100 s: main, whose sleep was set before c, runs after c",
            ],
        );
    }

    #[test]
    fn tick_boundaries() {
        check(
            programs::tick_boundaries::<AioRuntime>(),
            &[
                "0.000 s: x1",
                "0.000 s: x2",
                "0.000 s: t1",
                "0.000 s: x3",
                "0.000 s: t2",
                "0.000 s: t3",
                "0.010 s: main done",
            ],
        );
    }

    #[test]
    fn sleep_zero_yields() {
        check(
            programs::sleep_zero_yields::<AioRuntime>(),
            &[
                "0.000 s: a, which queues b",
                "0.000 s: main, back from sleep(ZERO)",
                "0.000 s: b",
                "0.000 s: main done",
            ],
        );
    }

    #[test]
    fn virtual_clock() {
        check(
            programs::virtual_clock::<AioRuntime>(),
            &[
                "0.000 s: made a 1 s sleep; sleeping 0.5 s first",
                "0.500 s: awaiting the 1 s sleep",
                "1.500 s: the 1 s sleep ended, 1 s after it was first polled",
                "1.500 s: busy turn 1: the clock stands still",
                "1.500 s: busy turn 2: the clock stands still",
                "1.500 s: busy turn 3: the clock stands still",
                "1.501 s: the 1 ms timer",
                "3601.500 s: slept an hour",
            ],
        );
    }
}

mod tasks {
    use super::*;

    #[test]
    fn tasks_take_turns() {
        check(
            programs::tasks_take_turns::<AioRuntime>(),
            &[
                "0.000 s: main spawned a and b",
                "0.000 s: a 0",
                "0.000 s: b 0",
                "0.000 s: a 1",
                "0.000 s: b 1",
                "0.000 s: a 2",
                "0.000 s: b 2",
                "0.000 s: main saw both finish",
            ],
        );
    }

    #[test]
    fn create_task() {
        check(
            programs::create_task::<AioRuntime>(),
            &[
                "0.000 s: creating task",
                "0.000 s: waiting for the task",
                "0.000 s: in task_func",
                "0.000 s: task completed",
                "0.000 s: return value: \"the result\"",
            ],
        );
    }

    #[test]
    fn ensure_future() {
        check(
            programs::ensure_future::<AioRuntime>(),
            &[
                "0.000 s: starter: creating task",
                "0.000 s: starter: waiting for inner",
                "0.000 s: inner: starting",
                "0.000 s: inner: waiting for the task",
                "0.000 s: wrapped",
                "0.000 s: inner: task returned \"result\"",
                "0.000 s: starter: inner returned",
            ],
        );
    }

    #[test]
    fn spawn_order() {
        check(
            programs::spawn_order::<AioRuntime>(),
            &[
                "0.000 s: task 1, which spawns task 3 and awaits it",
                "0.000 s: the callback queued between them",
                "0.000 s: task 2",
                "0.000 s: task 3",
                "0.000 s: main saw all three finish",
            ],
        );
    }

    #[test]
    fn join_wakes_the_awaiter() {
        check(
            programs::join_wakes_the_awaiter::<AioRuntime>(),
            &[
                "0.100 s: slow task queues a callback and finishes",
                "0.100 s: the callback it queued",
                "0.100 s: main got 42",
                "0.100 s: main got \"quick result\", which was waiting",
            ],
        );
    }

    #[test]
    fn detached_task() {
        check(
            programs::detached_task::<AioRuntime>(),
            &[
                "0.000 s: main dropped the task's handle",
                "0.050 s: the detached task runs on",
                "0.100 s: main done",
            ],
        );
    }
}

mod control {
    use super::*;

    #[test]
    fn gather_phases() {
        check(
            programs::gather_phases::<AioRuntime>(),
            &[
                "0.000 s: starting main",
                "0.000 s: waiting for phases to complete",
                "0.000 s: in phase 1",
                "0.000 s: in phase 2",
                "1.000 s: done with phase 2",
                "2.000 s: done with phase 1",
                "2.000 s: results: [\"phase 1 result\", \"phase 2 result\"]",
            ],
        );
    }

    #[test]
    fn wait_all() {
        check(
            programs::wait_all::<AioRuntime>(),
            &[
                "0.000 s: starting main",
                "0.000 s: waiting for phases to complete",
                "0.000 s: in phase 0",
                "0.000 s: in phase 1",
                "0.000 s: in phase 2",
                "0.000 s: done with phase 0",
                "0.100 s: done with phase 1",
                "0.200 s: done with phase 2",
                "0.200 s: results: [\"phase 0 result\", \"phase 1 result\", \"phase 2 result\"]",
            ],
        );
    }

    #[test]
    fn wait_first_completed() {
        check(
            programs::wait_first_completed::<AioRuntime>(),
            &[
                "0.000 s: in phase 1",
                "0.000 s: in phase 2",
                "0.000 s: in phase 3",
                "0.100 s: done with phase 1",
                "0.100 s: [\"phase 1 result\"] done, 2 pending",
                "0.200 s: done with phase 2",
                "0.200 s: then \"phase 2 result\"",
                "0.300 s: done with phase 3",
                "0.300 s: then \"phase 3 result\"",
            ],
        );
    }

    #[test]
    fn wait_timeout() {
        check(
            programs::wait_timeout::<AioRuntime>(),
            &[
                "0.000 s: starting main",
                "0.000 s: waiting 0.1 for phases to complete",
                "0.000 s: in phase 0",
                "0.000 s: in phase 1",
                "0.000 s: in phase 2",
                "0.000 s: done with phase 0",
                "0.100 s: 1 completed and 2 pending",
                "0.100 s: done with phase 1",
                "0.100 s: a pending phase finished: \"phase 1 result\"",
                "0.200 s: done with phase 2",
                "0.200 s: a pending phase finished: \"phase 2 result\"",
            ],
        );
    }

    #[test]
    fn as_completed() {
        check(
            programs::as_completed::<AioRuntime>(),
            &[
                "0.000 s: starting main",
                "0.000 s: waiting for phases to complete",
                "0.000 s: in phase 0",
                "0.000 s: in phase 1",
                "0.000 s: in phase 2",
                "0.300 s: done with phase 2",
                "0.300 s: received answer \"phase 2 result\"",
                "0.400 s: done with phase 1",
                "0.400 s: received answer \"phase 1 result\"",
                "0.500 s: done with phase 0",
                "0.500 s: received answer \"phase 0 result\"",
                "0.500 s: results: [\"phase 2 result\", \"phase 1 result\", \"phase 0 result\"]",
            ],
        );
    }
}
