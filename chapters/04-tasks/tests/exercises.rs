//! The graders of chapter 4's exercises, one module per exercise.
//!
//! `cargo test -p ch04-tasks --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod cancel_guard {
    use crate::shared_grading::{ms, now, run};
    use ch04_tasks::exercises::cancel_guard::{OnCancel, nap};
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn dropping_the_guard_runs_it_and_disarming_does_not() {
        let ran = Rc::new(Cell::new(0));
        let counter = Rc::clone(&ran);
        drop(OnCancel::new(move || counter.set(counter.get() + 1)));
        assert_eq!(
            ran.get(),
            1,
            "dropping an armed OnCancel must run its closure once: that drop \
             is the only thing a cancelled task gets to run"
        );
        let counter = Rc::clone(&ran);
        OnCancel::new(move || counter.set(counter.get() + 1)).disarm();
        assert_eq!(
            ran.get(),
            1,
            "a disarmed OnCancel ran its closure: `disarm` must switch it off \
             before the guard is dropped"
        );
    }

    #[test]
    fn a_nap_that_ends_returns_rested_and_records_nothing() {
        let (value, took, slept) = run(async {
            let slept = Rc::new(Cell::new(None));
            let start = now();
            let value = nap(ms(100), Rc::clone(&slept)).await;
            (value, now() - start, slept.get())
        });
        assert_eq!(value, "rested", "a nap that ends returns \"rested\"");
        assert_eq!(took, ms(100), "nap(100 ms) must sleep exactly 100 ms");
        assert_eq!(
            slept, None,
            "a nap that was not cancelled recorded a time: disarm the guard \
             once the sleep is over"
        );
    }

    #[test]
    fn only_a_nap_cancelled_mid_sleep_records_how_long_it_slept() {
        let (early, late) = run(async {
            let early = Rc::new(Cell::new(None));
            let late = Rc::new(Cell::new(None));
            let never_started = aio::spawn(nap(ms(100), Rc::clone(&early)))
                .expect("spawn inside the loop");
            let sleeping = aio::spawn(nap(ms(100), Rc::clone(&late)))
                .expect("spawn inside the loop");
            never_started.cancel();
            aio::sleep(ms(30)).await;
            sleeping.cancel();
            let _ = never_started.await;
            let _ = sleeping.await;
            (early.get(), late.get())
        });
        assert_eq!(
            late,
            Some(ms(30)),
            "a nap cancelled 30 ms into its sleep must record Some(30 ms), \
             read from the loop's clock when the guard is dropped"
        );
        assert_eq!(
            early, None,
            "a nap cancelled before it ever ran recorded a time: its body \
             never started, so no guard existed (make the guard inside the \
             async body, not before it)"
        );
    }
}

mod cancel_message {
    use crate::shared_grading::{ms, run};
    use ch04_tasks::exercises::cancel_message::{Stopped, spawn_with_message};

    async fn sleeper(delay: u64) -> &'static str {
        aio::sleep(ms(delay)).await;
        "slept"
    }

    #[test]
    fn the_awaiter_sees_the_message() {
        let (accepted, outcome) = run(async {
            let task = spawn_with_message(sleeper(100)).expect("spawn");
            aio::sleep(ms(10)).await;
            let accepted = task.cancel_with("shutting down");
            (accepted, task.await)
        });
        assert!(
            accepted,
            "cancel_with on a sleeping task must return true, as cancel() does"
        );
        assert_eq!(
            outcome,
            Err(Stopped::Cancelled { message: Some("shutting down".into()) }),
            "awaiting a task cancelled with a message must give \
             Stopped::Cancelled with that message"
        );
    }

    #[test]
    fn a_task_cancelled_before_it_ran_keeps_the_message() {
        let outcome = run(async {
            let task = spawn_with_message(sleeper(100)).expect("spawn");
            assert!(
                task.cancel_with("never mind"),
                "cancel_with on a task that has not run yet must return true"
            );
            task.await
        });
        assert_eq!(
            outcome,
            Err(Stopped::Cancelled { message: Some("never mind".into()) }),
            "a task cancelled before it ever ran is cancelled too, message \
             and all"
        );
    }

    #[test]
    fn the_first_accepted_message_wins_as_in_asyncio() {
        let (answers, outcome) = run(async {
            let task = spawn_with_message(sleeper(100)).expect("spawn");
            aio::sleep(ms(10)).await;
            let answers =
                (task.cancel_with("first"), task.cancel_with("second"));
            (answers, task.await)
        });
        assert_eq!(
            answers,
            (true, true),
            "a second cancel while the task is still cancelling returns true, \
             as in asyncio"
        );
        assert_eq!(
            outcome,
            Err(Stopped::Cancelled { message: Some("first".into()) }),
            "asyncio keeps the first message of a task cancelled while it \
             waits; keep it, and ignore the second"
        );
    }

    #[test]
    fn a_finished_task_refuses_and_keeps_its_value() {
        let (accepted, outcome) = run(async {
            let task = spawn_with_message(sleeper(5)).expect("spawn");
            aio::sleep(ms(10)).await;
            let accepted = task.cancel_with("too late");
            (accepted, task.await)
        });
        assert!(
            !accepted,
            "cancel_with on a finished task must return false, as cancel() does"
        );
        assert_eq!(
            outcome,
            Ok("slept"),
            "a task that finished before the cancel keeps its value"
        );
    }

    #[test]
    fn a_panic_is_not_a_cancellation() {
        let outcome = run(async {
            let task = spawn_with_message(async {
                aio::sleep(ms(5)).await;
                panic!("boom");
            })
            .expect("spawn");
            let outcome: Result<(), Stopped> = task.await;
            outcome
        });
        assert_eq!(
            outcome,
            Err(Stopped::Failed(aio::TaskError::Panicked {
                message: "boom".into()
            })),
            "a task that panicked must give Stopped::Failed with the task's \
             own TaskError, not a cancellation"
        );
    }
}

mod task_group {
    use crate::shared_grading::{Alive, ms, now, run};
    use ch04_tasks::exercises::task_group::TaskGroup;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A child that sleeps `delay` ms, holding `alive`, then returns `value`.
    async fn child(
        delay: u64,
        value: &'static str,
        alive: Alive,
    ) -> &'static str {
        let _held = alive.hold();
        aio::sleep(ms(delay)).await;
        value
    }

    fn spawn_into(
        group: &mut TaskGroup<&'static str>,
        future: impl Future<Output = &'static str> + 'static,
    ) -> aio::TaskRef {
        group.spawn(future).unwrap_or_else(|error| {
            panic!("TaskGroup::spawn failed inside a running loop: {error}")
        })
    }

    #[test]
    fn values_come_back_in_spawn_order() {
        let (values, took) = run(async {
            let alive = Alive::default();
            let mut group = TaskGroup::new();
            for (delay, value) in [(30, "a"), (10, "b"), (20, "c")] {
                spawn_into(&mut group, child(delay, value, alive.clone()));
            }
            let start = now();
            let values = group.join().await;
            (values, now() - start)
        });
        assert_eq!(
            values,
            Ok(vec!["a", "b", "c"]),
            "join must give every child's value, in spawn order"
        );
        assert_eq!(took, ms(30), "join must return when the last child ends");
    }

    #[test]
    fn an_empty_group_joins_at_once() {
        let values = run(async {
            let empty: TaskGroup<u32> = TaskGroup::default();
            let mut group: TaskGroup<u32> = TaskGroup::new();
            group.spawn(async { 7 }).expect("spawn inside the loop");
            (empty.join().await, group.join().await)
        });
        assert_eq!(
            values,
            (Ok(vec![]), Ok(vec![7])),
            "an empty group joins with no values; a group of one gives its one"
        );
    }

    #[test]
    fn a_panic_cancels_the_others_and_join_waits_until_they_are_gone() {
        let (outcome, took, alive_at_return, finished) = run(async {
            let alive = Alive::default();
            let finished = Rc::new(Cell::new(0));
            let mut group = TaskGroup::new();
            for delay in [100, 200] {
                let (alive, finished) = (alive.clone(), Rc::clone(&finished));
                spawn_into(&mut group, async move {
                    let value = child(delay, "slow", alive).await;
                    finished.set(finished.get() + 1);
                    value
                });
            }
            spawn_into(&mut group, async {
                aio::sleep(ms(10)).await;
                panic!("child failed");
            });
            let start = now();
            let outcome = group.join().await;
            let took = now() - start;
            let alive_at_return = alive.count();
            aio::sleep(ms(300)).await;
            (outcome, took, alive_at_return, finished.get())
        });
        assert_eq!(
            outcome,
            Err(aio::TaskError::Panicked { message: "child failed".into() }),
            "join must return the first failure, the panic"
        );
        assert_eq!(
            took,
            ms(10),
            "join must end at the panic, 10 ms in, by cancelling the slower \
             children, not wait for them to finish"
        );
        assert_eq!(
            alive_at_return, 0,
            "when join returned, cancelled children were still alive: \
             cancel() only requests, so join must wait until their tasks end"
        );
        assert_eq!(finished, 0, "a cancelled child ran on to its end");
    }

    #[test]
    fn a_child_cancelled_from_outside_ends_the_group() {
        let (outcome, alive_at_return) = run(async {
            let alive = Alive::default();
            let mut group = TaskGroup::new();
            spawn_into(&mut group, child(100, "a", alive.clone()));
            let victim = spawn_into(&mut group, child(100, "b", alive.clone()));
            spawn_into(&mut group, child(100, "c", alive.clone()));
            let canceller = aio::spawn(async move {
                aio::sleep(ms(20)).await;
                victim.cancel();
            })
            .expect("spawn");
            let outcome = group.join().await;
            let _ = canceller.await;
            (outcome, alive.count())
        });
        assert_eq!(
            outcome,
            Err(aio::TaskError::Cancelled),
            "a child cancelled through its TaskRef ends the group with \
             TaskError::Cancelled"
        );
        assert_eq!(
            alive_at_return, 0,
            "the other children were still alive when join returned"
        );
    }

    #[test]
    fn dropping_a_group_cancels_its_children() {
        let (alive, finished) = run(async {
            let alive = Alive::default();
            let finished = Rc::new(Cell::new(false));
            let mut group = TaskGroup::new();
            let flag = Rc::clone(&finished);
            let held = alive.clone();
            spawn_into(&mut group, async move {
                let value = child(50, "a", held).await;
                flag.set(true);
                value
            });
            aio::sleep(ms(10)).await;
            drop(group);
            aio::sleep(ms(100)).await;
            (alive.count(), finished.get())
        });
        assert!(
            !finished,
            "a child of a dropped group ran to its end: the group's Drop must \
             cancel its children"
        );
        assert_eq!(alive, 0, "a child of a dropped group is still alive");
    }

    #[test]
    fn cancelling_the_joining_task_cancels_the_children() {
        let (alive, finished, joiner_cancelled) = run(async {
            let alive = Alive::default();
            let finished = Rc::new(Cell::new(false));
            let mut group = TaskGroup::new();
            let flag = Rc::clone(&finished);
            let held = alive.clone();
            spawn_into(&mut group, async move {
                let value = child(50, "a", held).await;
                flag.set(true);
                value
            });
            let joiner = aio::spawn(group.join()).expect("spawn");
            aio::sleep(ms(10)).await;
            joiner.cancel();
            let joiner_cancelled =
                joiner.await == Err(aio::TaskError::Cancelled);
            aio::sleep(ms(100)).await;
            (alive.count(), finished.get(), joiner_cancelled)
        });
        assert!(joiner_cancelled, "the joining task was not cancelled");
        assert!(
            !finished,
            "the child ran to its end after the task awaiting join() was \
             cancelled: dropping the join future drops the group, which must \
             cancel its children"
        );
        assert_eq!(alive, 0, "the child is still alive");
    }
}

/// The graders' helpers.
#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
