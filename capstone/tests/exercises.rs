//! The capstone's grader: the book's examples, run on the reader's runtime.
//!
//! `cargo test -p capstone --test exercises` grades `src/exercises/`; with
//! `--features solutions` it grades the reference runtime in `solutions/`.
//!
//! Each test runs one of `capstone::programs` on your `MyRuntime` and on aio
//! (`capstone::aio_runtime::AioRuntime`), and passes if the two logs are the
//! same, line for line, virtual times included. The modules follow the
//! book's suggested steps: `ticks` needs `block_on`, `call_soon` and wakes;
//! `timers` adds `call_later`, `sleep` and the clock; `tasks` adds `spawn`
//! and join handles; `control` runs chapter 5's combinators on all of it.

mod my_runtime {
    pub use capstone::aio_runtime::AioRuntime as Aio;
    pub use capstone::exercises::my_runtime::MyRuntime as Mine;
    pub use capstone::programs;

    pub use crate::grading::grade;

    mod ticks {
        use super::*;

        #[test]
        fn coroutine_chain() {
            grade(
                "coroutine_chain",
                programs::coroutine_chain::<Mine>,
                programs::coroutine_chain::<Aio>,
                "block_on runs main as a task and returns its output; \
                 awaiting a ready future runs it inline",
            );
        }

        #[test]
        fn call_soon() {
            grade(
                "call_soon",
                programs::call_soon::<Mine>,
                programs::call_soon::<Aio>,
                "call_soon appends to the ready queue, and the queue runs \
                 first in, first out",
            );
        }

        #[test]
        fn wakes_join_the_back() {
            grade(
                "wakes_join_the_back",
                programs::wakes_join_the_back::<Mine>,
                programs::wakes_join_the_back::<Aio>,
                "a wake appends the task to the back of the ready queue, and \
                 a task already queued is not queued again (many wakes, one \
                 poll)",
            );
        }

        #[test]
        fn main_finishes_its_tick() {
            grade(
                "main_finishes_its_tick",
                programs::main_finishes_its_tick::<Mine>,
                programs::main_finishes_its_tick::<Aio>,
                "block_on returns once the tick in which main finished has \
                 run to its end, and runs no further tick",
            );
        }
    }

    mod timers {
        use super::*;

        #[test]
        fn call_later() {
            grade(
                "call_later",
                programs::call_later::<Mine>,
                programs::call_later::<Aio>,
                "callbacks queued with call_soon run before any timer, and \
                 timers fire by deadline, not in the order they were set",
            );
        }

        #[test]
        fn equal_deadlines() {
            grade(
                "equal_deadlines",
                programs::equal_deadlines::<Mine>,
                programs::equal_deadlines::<Aio>,
                "timers with equal deadlines fire in the order they were \
                 set (keep an insertion counter next to the deadline)",
            );
        }

        #[test]
        fn tick_boundaries() {
            grade(
                "tick_boundaries",
                programs::tick_boundaries::<Mine>,
                programs::tick_boundaries::<Aio>,
                "a tick runs only what was ready when it began, after \
                 moving the due timers to the BACK of the ready queue; what \
                 it queues waits for the next tick",
            );
        }

        #[test]
        fn sleep_zero_yields() {
            grade(
                "sleep_zero_yields",
                programs::sleep_zero_yields::<Mine>,
                programs::sleep_zero_yields::<Aio>,
                "sleep(ZERO) sets no timer: the task wakes itself at once, \
                 to the back of the queue (a yield)",
            );
        }

        #[test]
        fn virtual_clock() {
            grade(
                "virtual_clock",
                programs::virtual_clock::<Mine>,
                programs::virtual_clock::<Aio>,
                "the clock stands still while anything is ready and jumps to \
                 the next deadline only when nothing is; a sleep counts from \
                 its first poll",
            );
        }
    }

    mod tasks {
        use super::*;

        #[test]
        fn tasks_take_turns() {
            grade(
                "tasks_take_turns",
                programs::tasks_take_turns::<Mine>,
                programs::tasks_take_turns::<Aio>,
                "spawn queues the task's first step; a task that yields goes \
                 to the back of the queue, so two yielding tasks take turns",
            );
        }

        #[test]
        fn create_task() {
            grade(
                "create_task",
                programs::create_task::<Mine>,
                programs::create_task::<Aio>,
                "a new task does not run inside spawn, only when its creator \
                 yields; awaiting its handle gives its output",
            );
        }

        #[test]
        fn ensure_future() {
            grade(
                "ensure_future",
                programs::ensure_future::<Mine>,
                programs::ensure_future::<Aio>,
                "a handle can be awaited anywhere, by a future the task's \
                 creator awaits",
            );
        }

        #[test]
        fn spawn_order() {
            grade(
                "spawn_order",
                programs::spawn_order::<Mine>,
                programs::spawn_order::<Aio>,
                "spawn queues the first step exactly as call_soon queues a \
                 callback: one FIFO queue for both",
            );
        }

        #[test]
        fn join_wakes_the_awaiter() {
            grade(
                "join_wakes_the_awaiter",
                programs::join_wakes_the_awaiter::<Mine>,
                programs::join_wakes_the_awaiter::<Aio>,
                "a finishing task wakes its awaiter to the back of the \
                 queue (never runs it inline); a finished task's handle is \
                 ready at once",
            );
        }

        #[test]
        fn detached_task() {
            grade(
                "detached_task",
                programs::detached_task::<Mine>,
                programs::detached_task::<Aio>,
                "dropping a handle does not cancel its task",
            );
        }
    }

    mod control {
        use super::*;

        #[test]
        fn gather_phases() {
            grade(
                "gather_phases",
                programs::gather_phases::<Mine>,
                programs::gather_phases::<Aio>,
                "gather's results come in argument order, and it ends when \
                 the longest task does",
            );
        }

        #[test]
        fn wait_all() {
            grade(
                "wait_all",
                programs::wait_all::<Mine>,
                programs::wait_all::<Aio>,
                "wait polls every handle with one waker; each finishing task \
                 must wake it",
            );
        }

        #[test]
        fn wait_first_completed() {
            grade(
                "wait_first_completed",
                programs::wait_first_completed::<Mine>,
                programs::wait_first_completed::<Aio>,
                "a handle that was polled and not ready must still deliver \
                 its output to a later await",
            );
        }

        #[test]
        fn wait_timeout() {
            grade(
                "wait_timeout",
                programs::wait_timeout::<Mine>,
                programs::wait_timeout::<Aio>,
                "the timeout's timer was set before phase 1's, with the same \
                 deadline, so it fires first (FIFO among equal deadlines)",
            );
        }

        #[test]
        fn as_completed() {
            grade(
                "as_completed",
                programs::as_completed::<Mine>,
                programs::as_completed::<Aio>,
                "each answer arrives when its task finishes, in finishing \
                 order",
            );
        }
    }
}

/// Runs the programs and compares their logs.
mod grading {
    use crate::shared_grading::{Unfinished, on_thread, panic_message};
    use std::time::Duration;

    // ANCHOR: run
    /// How long a program may take in real time: everything runs on the
    /// virtual clock, so a correct runtime takes milliseconds.
    const DEADLINE: Duration = Duration::from_secs(10);

    /// Runs `program` on a thread of its own, and gives up after
    /// `DEADLINE`: a runtime that loops forever fails instead of hanging.
    fn run(
        who: &str,
        program: fn() -> Vec<String>,
    ) -> Result<Vec<String>, String> {
        match on_thread(who, DEADLINE, program) {
            Ok(log) => Ok(log),
            Err(Unfinished::Panicked(payload)) => {
                Err(format!("panicked: {}", panic_message(&*payload)))
            }
            Err(Unfinished::TimedOut) => Err(format!(
                "did not return within {DEADLINE:?} of real time: a tick that \
                 never ends, or a wait for something that never comes"
            )),
        }
    }
    // ANCHOR_END: run

    // ANCHOR: grade
    /// Fails unless `mine` logs exactly what `aio` logs; `rule` is the rule
    /// a difference breaks.
    pub fn grade(
        name: &str,
        mine: fn() -> Vec<String>,
        aio: fn() -> Vec<String>,
        rule: &str,
    ) {
        let expected = match run("aio", aio) {
            Ok(log) => log,
            Err(problem) => panic!("`{name}` on aio {problem}: aio is wrong?"),
        };
        let actual = match run("MyRuntime", mine) {
            Ok(log) => log,
            Err(problem) => panic!(
                "`{name}` on MyRuntime {problem}\n\naio's log:\n{}",
                indent(&expected)
            ),
        };
        if actual == expected {
            return;
        }
        let line =
            actual.iter().zip(&expected).take_while(|(a, e)| a == e).count();
        let show = |log: &[String]| {
            log.get(line).map_or("(the log ends)", String::as_str).to_owned()
        };
        panic!(
            "`{name}` on MyRuntime differs from aio at line {}:\n  \
             yours: {}\n  aio's: {}\nThe rule: {rule}.\n\nyour log:\n{}\n\
             aio's log:\n{}",
            line + 1,
            show(&actual),
            show(&expected),
            indent(&actual),
            indent(&expected)
        );
    }
    // ANCHOR_END: grade

    fn indent(log: &[String]) -> String {
        log.iter().map(|line| format!("  {line}\n")).collect()
    }
}

#[path = "../../tests/support/grading.rs"]
mod shared_grading;
