//! The graders of chapter 5's exercises, one module per exercise.
//!
//! `cargo test -p ch05-control --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod race {
    use crate::shared_grading::{Alive, ms, now, run};
    use ch05_control::exercises::race::{Either, race};

    /// Sleeps `delay` ms holding `probe` from its first poll, then gives
    /// `value`.
    async fn tracked<T>(delay: u64, value: T, probe: Alive) -> T {
        let _held = probe.hold();
        aio::sleep(ms(delay)).await;
        value
    }

    #[test]
    fn a_faster_second_future_wins_and_the_first_is_dropped() {
        let (winner, took, first) = run(async {
            let first = Alive::default();
            let start = now();
            let winner = race(
                tracked(50, "a", first.clone()),
                tracked(20, 2, Alive::default()),
            )
            .await;
            (winner, now() - start, first)
        });
        assert_eq!(
            winner,
            Either::Right(2),
            "the second future finished first (20 ms against 50 ms), so the \
             race must give Either::Right with its value"
        );
        assert_eq!(took, ms(20), "the race must end when the faster one does");
        assert_eq!(
            first.count(),
            0,
            "the losing future is still alive after the race returned: it \
             must be dropped, which cancels it"
        );
    }

    #[test]
    fn a_faster_first_future_wins_and_the_second_was_raced() {
        let (winner, took, second) = run(async {
            let second = Alive::default();
            let start = now();
            let winner = race(
                tracked(10, "a", Alive::default()),
                tracked(40, 2, second.clone()),
            )
            .await;
            (winner, now() - start, second)
        });
        assert_eq!(
            winner,
            Either::Left("a"),
            "the first future finished first"
        );
        assert_eq!(took, ms(10), "the race must end when the faster one does");
        assert_eq!(
            second.made(),
            1,
            "the second future was never polled: a race polls both, so that \
             both make progress"
        );
        assert_eq!(
            second.count(),
            0,
            "the loser is still alive after the race"
        );
    }

    #[test]
    fn a_tie_goes_to_the_first_argument() {
        let (winner, second) = run(async {
            let second = Alive::default();
            let winner = race(
                tracked(30, 1, Alive::default()),
                tracked(30, 2, second.clone()),
            )
            .await;
            (winner, second)
        });
        assert_eq!(
            winner,
            Either::Left(1),
            "both futures are ready in the same poll: poll `a` first, so the \
             first argument wins a tie"
        );
        assert_eq!(
            second.made(),
            1,
            "the second future was never polled, so it never raced"
        );
        assert_eq!(
            second.count(),
            0,
            "the loser is still alive after the race"
        );
    }
}

mod retry {
    use crate::shared_grading::{ms, now, run};
    use ch05_control::exercises::retry::retry;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    /// When an attempt started, and when it was dropped, in loop time.
    type Span = (Duration, Option<Duration>);

    /// The spans of every attempt so far.
    #[derive(Clone, Default)]
    struct Attempts(Rc<RefCell<Vec<Span>>>);

    struct Running(Attempts, usize);

    impl Drop for Running {
        fn drop(&mut self) {
            (self.0).0.borrow_mut()[self.1].1 = Some(now());
        }
    }

    impl Attempts {
        /// An attempt that takes `delay` ms and gives `value`.
        fn attempt(
            &self,
            delay: u64,
            value: usize,
        ) -> impl Future<Output = usize> + use<> {
            let log = self.clone();
            async move {
                let index = {
                    let mut entries = log.0.borrow_mut();
                    entries.push((now(), None));
                    entries.len() - 1
                };
                let _running = Running(log, index);
                aio::sleep(ms(delay)).await;
                value
            }
        }

        fn entries(&self) -> Vec<Span> {
            self.0.borrow().clone()
        }
    }

    #[test]
    fn a_quick_first_attempt_is_the_answer() {
        let (outcome, took, entries) = run(async {
            let attempts = Attempts::default();
            let start = now();
            let outcome =
                retry(3, ms(30), |i| attempts.attempt(5, i + 100)).await;
            (outcome.ok(), now() - start, attempts.entries())
        });
        assert_eq!(outcome, Some(100), "the first attempt's value, make(0)");
        assert_eq!(took, ms(5), "the first attempt takes 5 ms");
        assert_eq!(
            entries.len(),
            1,
            "an attempt that worked must not be retried"
        );
    }

    #[test]
    fn each_slow_attempt_is_dropped_at_its_deadline() {
        let (outcome, took, entries) = run(async {
            let attempts = Attempts::default();
            let start = now();
            let outcome = retry(5, ms(30), |i| {
                let delay = if i < 2 { 100 } else { 10 };
                attempts.attempt(delay, i)
            })
            .await;
            (outcome.ok(), now() - start, attempts.entries())
        });
        assert_eq!(
            outcome,
            Some(2),
            "attempts 0 and 1 take 100 ms, past the 30 ms limit; attempt 2 \
             takes 10 ms and is the answer"
        );
        assert_eq!(took, ms(70), "30 ms + 30 ms + 10 ms");
        assert_eq!(
            entries,
            vec![
                (ms(0), Some(ms(30))),
                (ms(30), Some(ms(60))),
                (ms(60), Some(ms(70))),
            ],
            "each attempt (started at, dropped at) must start when the one \
             before it timed out, and a slow one must be dropped exactly at \
             its 30 ms deadline"
        );
    }

    #[test]
    fn running_out_of_attempts_is_a_timeout() {
        let (timed_out, took, entries) = run(async {
            let attempts = Attempts::default();
            let start = now();
            let outcome = retry(3, ms(20), |i| attempts.attempt(100, i)).await;
            let timed_out = matches!(outcome, Err(aio::Error::TimedOut));
            (timed_out, now() - start, attempts.entries())
        });
        assert!(
            timed_out,
            "three attempts that all time out must give Err(Error::TimedOut)"
        );
        assert_eq!(took, ms(60), "three attempts of 20 ms each");
        assert_eq!(entries.len(), 3, "exactly `attempts` attempts");
        assert!(
            entries.iter().all(|(_, dropped)| dropped.is_some()),
            "an attempt is still alive after retry returned: {entries:?}"
        );
    }

    #[test]
    fn zero_attempts_time_out_without_trying() {
        let (timed_out, tries) = run(async {
            let attempts = Attempts::default();
            let outcome = retry(0, ms(20), |i| attempts.attempt(1, i)).await;
            (matches!(outcome, Err(aio::Error::TimedOut)), attempts.entries())
        });
        assert!(timed_out, "retry(0, ..) must give Err(Error::TimedOut)");
        assert!(tries.is_empty(), "retry(0, ..) must not call `make`");
    }
}

mod finishing_order {
    use crate::shared_grading::{ms, now, run};
    use ch05_control::exercises::finishing_order::finishing_order;
    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::time::Duration;

    type Child = Pin<Box<dyn Future<Output = usize>>>;

    /// Child `index` sleeps `delay` ms; `yield_first` makes it yield one tick
    /// first, so its timer is queued after those of children made in the
    /// same tick; `panics` makes it panic at the end.
    fn child(
        index: usize,
        delay: u64,
        yield_first: bool,
        panics: bool,
    ) -> Child {
        Box::pin(async move {
            if yield_first {
                aio::sleep(Duration::ZERO).await;
            }
            aio::sleep(ms(delay)).await;
            assert!(!panics, "child {index} fails");
            index
        })
    }

    /// What aio's own `as_completed` hands out for these children: the
    /// index (or the panic) and the loop time, in order.
    fn reference(
        children: fn() -> Vec<Child>,
    ) -> Vec<(Result<usize, String>, Duration)> {
        run(async move {
            let mut stream = aio::as_completed(children(), None);
            let mut seen = Vec::new();
            while let Some(outcome) = stream.next().await {
                seen.push((outcome.map_err(|error| error.to_string()), now()));
            }
            seen
        })
    }

    /// What `finishing_order` hands out, in the same form, checking that the
    /// index of a value is the child's own.
    fn answer(
        children: fn() -> Vec<Child>,
    ) -> Vec<(Result<usize, String>, Duration)> {
        run(async move {
            let mut stream =
                finishing_order(children()).expect("spawn inside the loop");
            let mut seen = Vec::new();
            while let Some((index, outcome)) = stream.next().await {
                if let Ok(value) = &outcome {
                    assert_eq!(
                        *value, index,
                        "result {value} came with the index of child {index}"
                    );
                }
                seen.push((
                    outcome
                        .map_err(|error| aio::Error::Task(error).to_string()),
                    now(),
                ));
                if seen.len() > 10 {
                    break;
                }
            }
            seen
        })
    }

    #[test]
    fn results_come_in_finishing_order_like_as_completed() {
        fn children() -> Vec<Child> {
            [50, 10, 30, 20]
                .into_iter()
                .enumerate()
                .map(|(i, delay)| child(i, delay, false, false))
                .collect()
        }
        assert_eq!(
            answer(children),
            reference(children),
            "(result, loop time) pairs in the order handed out, against aio's \
             as_completed: results must come as their tasks finish"
        );
    }

    #[test]
    fn finishes_in_one_tick_keep_their_order() {
        // All three end at 10 ms, in the tick where their timers fire, and
        // child 0's timer was armed last.
        fn children() -> Vec<Child> {
            vec![
                child(0, 10, true, false),
                child(1, 10, false, false),
                child(2, 10, false, false),
            ]
        }
        assert_eq!(
            answer(children),
            reference(children),
            "three children finish in the same tick, child 0 last: the order \
             must be the order they completed, which a done-callback sees \
             and polling the handles by index does not"
        );
    }

    #[test]
    fn a_panic_is_a_result_in_its_place() {
        fn children() -> Vec<Child> {
            vec![
                child(0, 30, false, false),
                child(1, 10, false, true),
                child(2, 20, false, false),
            ]
        }
        assert_eq!(
            answer(children),
            reference(children),
            "a child that panics gives its Err in its place in the finishing \
             order, and the others still come"
        );
    }

    #[test]
    fn the_tasks_start_at_the_call() {
        let (finished_before_next, count) = run(async {
            let finished = Rc::new(Cell::new(0));
            let children = (0..3).map(|i| {
                let finished = Rc::clone(&finished);
                async move {
                    aio::sleep(ms(10 * (i + 1))).await;
                    finished.set(finished.get() + 1);
                    i
                }
            });
            let mut stream =
                finishing_order(children).expect("spawn inside the loop");
            aio::sleep(ms(100)).await;
            let finished_before_next = finished.get();
            let mut count = 0;
            while stream.next().await.is_some() && count < 10 {
                count += 1;
            }
            (finished_before_next, count)
        });
        assert_eq!(
            finished_before_next, 3,
            "the children must be spawned as tasks by finishing_order itself, \
             and run before anyone calls next()"
        );
        assert_eq!(count, 3, "three children give three results, then None");
    }
}

mod counted_wait {
    use crate::shared_grading::{await_counting_wakes, ms, now, run};
    use aio::{ReturnWhen, Task};
    use ch05_control::exercises::counted_wait::counted_wait;
    use std::time::Duration;

    /// How a child ends: after `delay` ms, by returning, panicking, or
    /// cancelling itself.
    #[derive(Clone, Copy)]
    enum Ends {
        Returns(u64),
        Panics(u64),
        CancelsItself(u64),
    }

    fn spawn_children(children: &[Ends]) -> Vec<Task<u64>> {
        children
            .iter()
            .map(|ends| {
                let ends = *ends;
                aio::spawn(async move {
                    match ends {
                        Ends::Returns(delay) => {
                            aio::sleep(ms(delay)).await;
                            delay
                        }
                        Ends::Panics(delay) => {
                            aio::sleep(ms(delay)).await;
                            panic!("failed at {delay} ms");
                        }
                        Ends::CancelsItself(delay) => {
                            aio::sleep(ms(delay)).await;
                            aio::current_task().expect("a task").cancel();
                            aio::sleep(ms(1000)).await;
                            delay
                        }
                    }
                })
                .expect("spawn inside the loop")
            })
            .collect()
    }

    /// The names in `done` and `pending` and the loop time when the wait
    /// returned, or the error's text.
    type Split = Result<(Vec<String>, Vec<String>, Duration), String>;

    fn names(tasks: &[Task<u64>]) -> Vec<String> {
        tasks.iter().map(Task::name).collect()
    }

    /// `aio::wait` and `counted_wait` on the same children, each on its own
    /// loop: (what aio's wait gave, what counted_wait gave).
    fn both(
        children: &[Ends],
        timeout: Option<Duration>,
        when: ReturnWhen,
    ) -> (Split, Split) {
        let reference = {
            let children = children.to_vec();
            run(async move {
                let tasks = spawn_children(&children);
                let split = aio::wait(tasks, timeout, when).await;
                split
                    .map(|(done, pending)| {
                        (names(&done), names(&pending), now())
                    })
                    .map_err(|error| error.to_string())
            })
        };
        let answer = {
            let children = children.to_vec();
            run(async move {
                let tasks = spawn_children(&children);
                let split = counted_wait(tasks, timeout, when).await;
                split
                    .map(|(done, pending)| {
                        (names(&done), names(&pending), now())
                    })
                    .map_err(|error| error.to_string())
            })
        };
        (reference, answer)
    }

    #[test]
    fn all_completed_answers_like_aio_wait() {
        let children =
            [Ends::Returns(30), Ends::Returns(10), Ends::Returns(20)];
        let (reference, answer) =
            both(&children, None, ReturnWhen::AllCompleted);
        assert_eq!(
            answer, reference,
            "(done, pending, loop time) for AllCompleted, against aio::wait"
        );
    }

    #[test]
    fn first_completed_answers_like_aio_wait() {
        let children =
            [Ends::Returns(30), Ends::Returns(10), Ends::Returns(20)];
        let (reference, answer) =
            both(&children, None, ReturnWhen::FirstCompleted);
        assert_eq!(
            answer, reference,
            "(done, pending, loop time) for FirstCompleted, against aio::wait"
        );
    }

    #[test]
    fn first_exception_skips_cancellations_like_aio_wait() {
        let children = [
            Ends::Returns(30),
            Ends::CancelsItself(5),
            Ends::Panics(15),
            Ends::Returns(10),
            Ends::Returns(40),
        ];
        let (reference, answer) =
            both(&children, None, ReturnWhen::FirstException);
        assert_eq!(
            answer, reference,
            "(done, pending, loop time) for FirstException, against aio::wait: \
             it returns at the panic, and a cancellation is not a failure"
        );
    }

    #[test]
    fn a_timeout_answers_like_aio_wait_and_cancels_nothing() {
        let children =
            [Ends::Returns(10), Ends::Returns(40), Ends::Returns(30)];
        let timeout = Some(ms(25));
        let (reference, answer) =
            both(&children, timeout, ReturnWhen::AllCompleted);
        assert_eq!(
            answer, reference,
            "(done, pending, loop time) with a 25 ms timeout, against aio::wait"
        );
        let later = run(async move {
            let tasks = spawn_children(&children);
            let (_, pending) =
                counted_wait(tasks, timeout, ReturnWhen::AllCompleted)
                    .await
                    .expect("three tasks to wait for");
            let mut values = Vec::new();
            for task in pending {
                values.push(task.await.ok());
            }
            values
        });
        assert_eq!(
            later,
            vec![Some(40), Some(30)],
            "the tasks still pending at the timeout must run on to their end: \
             a wait cancels nothing"
        );
    }

    #[test]
    fn tasks_done_before_the_call_count() {
        let answer = run(async {
            let tasks = spawn_children(&[Ends::Returns(50), Ends::Returns(5)]);
            aio::sleep(ms(10)).await;
            let split =
                counted_wait(tasks, None, ReturnWhen::FirstCompleted).await;
            split.map(|(done, pending)| (names(&done), names(&pending), now()))
        });
        assert_eq!(
            answer.ok(),
            Some((
                vec!["Task-3".to_owned()],
                vec!["Task-2".to_owned()],
                ms(10)
            )),
            "a task that finished before the call counts as done at once: a \
             done-callback added to a finished task still runs"
        );
    }

    #[test]
    fn nothing_to_wait_for_is_an_error() {
        let answer = run(async {
            let split = counted_wait(
                Vec::<Task<u64>>::new(),
                None,
                ReturnWhen::AllCompleted,
            )
            .await;
            matches!(split, Err(aio::Error::NothingToWaitFor))
        });
        assert!(answer, "an empty Vec must give Err(Error::NothingToWaitFor)");
    }

    #[test]
    fn nothing_wakes_the_caller_after_it_returned() {
        let (done, wakes_after) = run(async {
            let tasks = spawn_children(&[
                Ends::Returns(10),
                Ends::Returns(20),
                Ends::Returns(30),
            ]);
            let (split, wakes) = await_counting_wakes(counted_wait(
                tasks,
                None,
                ReturnWhen::FirstCompleted,
            ))
            .await;
            let (done, pending) = split.expect("three tasks to wait for");
            let at_return = wakes.wakes();
            // Keep the pending handles while their tasks finish.
            aio::sleep(ms(50)).await;
            assert!(pending.iter().all(Task::done));
            (done.len(), wakes.wakes() - at_return)
        });
        assert_eq!(done, 1, "FirstCompleted returns with the first task done");
        assert_eq!(
            wakes_after, 0,
            "the tasks still pending woke the caller after the wait returned: \
             remove the done-callbacks when the wait ends (and don't leave \
             wakers with the tasks by polling them)"
        );
    }
}

/// The graders' helpers.
#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
