//! `Barrier` follows asyncio's state machine (Python 3.11, `asyncio/locks.py`):
//! filling, draining, resetting, broken. Most tests are ports of CPython's
//! `BarrierTests` (`Lib/test/test_asyncio/test_locks.py`); the expected
//! values were checked with Python 3.11. Tasks are numbered in spawn order,
//! and aio runs them, and wakes them, in the same order asyncio does.

mod common;

use aio::{Barrier, SyncError, Task};
use common::{Journal, virtual_loop};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// CPython's `self.N`.
const N: usize = 5;
const BROKEN: Result<usize, SyncError> = Err(SyncError::BrokenBarrier);

/// Runs `program` on the virtual clock. A deadlock shows up as a timeout: the
/// virtual clock jumps to the guard's deadline as soon as nothing can run.
fn run<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let event_loop = virtual_loop();
    let guarded = aio::wait_for(program, Duration::from_secs(3600));
    let output = event_loop.run_until_complete(guarded).unwrap();
    event_loop.close().unwrap();
    output.expect("the barrier deadlocked")
}

/// Spawns `n` tasks running `coro(k)` for k = 0..n, and awaits them all, in
/// order (`asyncio.gather`).
async fn gather<T: 'static, F: Future<Output = T> + 'static>(
    n: usize,
    coro: impl Fn(usize) -> F,
) -> Vec<T> {
    let tasks: Vec<Task<T>> =
        (0..n).map(|k| aio::spawn(coro(k)).unwrap()).collect();
    let mut outputs = Vec::new();
    for task in tasks {
        outputs.push(task.await.unwrap());
    }
    outputs
}

/// Spawns a task that waits on `barrier` once.
fn arrive(barrier: &Barrier) -> Task<Result<usize, SyncError>> {
    let barrier = barrier.clone();
    aio::spawn(async move { barrier.wait().await }).unwrap()
}

/// One loop iteration (`await asyncio.sleep(0)`).
async fn tick() {
    aio::sleep(Duration::ZERO).await;
}

/// Lets every task that can run, run.
async fn settle() {
    aio::sleep(Duration::from_millis(1)).await;
}

/// The barrier's phase, as asyncio's `repr` shows it.
fn phase(barrier: &Barrier) -> String {
    let debug = format!("{barrier:?}");
    ["filling", "draining", "resetting", "broken"]
        .into_iter()
        .find(|phase| debug.to_lowercase().contains(phase))
        .unwrap_or_else(|| panic!("no phase in {debug}"))
        .to_string()
}

fn sorted(mut values: Vec<usize>) -> Vec<usize> {
    values.sort_unstable();
    values
}

fn entries(journal: &Journal) -> Vec<String> {
    journal.entries()
}

// test_filling_one_task, test_filling_one_task_twice
#[test]
fn a_barrier_of_one_passes_every_task_with_index_zero() {
    run(async {
        let barrier = Barrier::new(1);
        assert_eq!(barrier.wait().await, Ok(0));
        let (t1, t2) = (arrive(&barrier), arrive(&barrier));
        assert_eq!((t1.await.unwrap(), t2.await.unwrap()), (Ok(0), Ok(0)));
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
        assert_eq!(phase(&barrier), "filling");
    });
}

// test_filling_task_by_task
#[test]
fn n_waiting_counts_the_tasks_filling_the_round() {
    run(async {
        let barrier = Barrier::new(3);
        let t1 = arrive(&barrier);
        tick().await;
        assert_eq!(barrier.n_waiting(), 1);
        let t2 = arrive(&barrier);
        tick().await;
        assert_eq!(barrier.n_waiting(), 2);
        assert_eq!(phase(&barrier), "filling");
        let t3 = arrive(&barrier);
        let outcomes = [t1.await, t2.await, t3.await].map(Result::unwrap);
        assert_eq!(outcomes, [Ok(0), Ok(1), Ok(2)]);
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
    });
}

// test_filling_tasks_wait_twice, test_filling_tasks_check_return_value,
// test_context_manager
#[test]
fn every_task_passes_twice_with_unique_indices() {
    run(async {
        let barrier = Barrier::new(N);
        let indices = gather(N, |_| {
            let barrier = barrier.clone();
            async move {
                let first = barrier.wait().await.unwrap();
                let second = barrier.wait().await.unwrap();
                (first, second)
            }
        })
        .await;
        let (first, second) = indices.into_iter().unzip();
        assert_eq!(sorted(first), [0, 1, 2, 3, 4]);
        assert_eq!(sorted(second), [0, 1, 2, 3, 4]);
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
    });
}

// test_draining_state. Failed before: no draining phase.
#[test]
fn the_barrier_drains_until_the_last_task_has_left() {
    run(async {
        let barrier = Barrier::new(N);
        let seen = gather(N, |k| {
            let barrier = barrier.clone();
            async move {
                let index = barrier.wait().await.unwrap();
                (k, index, phase(&barrier))
            }
        })
        .await;
        let mut seen: Vec<_> = seen.into_iter().collect();
        // The tripping task runs on first, then the others in arrival order;
        // the last to leave ends the draining.
        seen.sort_by_key(|&(k, ..)| (k + 1) % N);
        let draining = |k, index| (k, index, "draining".to_string());
        let last = (3, 3, "filling".to_string());
        let expected =
            [draining(4, 4), draining(0, 0), draining(1, 1), draining(2, 2)];
        assert_eq!(seen[..4], expected);
        assert_eq!(seen[4], last);
        assert_eq!(barrier.n_waiting(), 0);
    });
}

// The late arrival of asyncio's draining phase. Failed before: the tripping
// task started the next round at once.
#[test]
fn a_task_arriving_while_the_barrier_drains_waits_for_the_next_round() {
    run(async {
        let barrier = Barrier::new(2);
        let first = arrive(&barrier);
        let b = barrier.clone();
        let tripper =
            aio::spawn(async move { (b.wait().await, b.wait().await) })
                .unwrap();
        tick().await; // the tripper trips the barrier and arrives again
        assert_eq!(phase(&barrier), "draining");
        assert_eq!(barrier.n_waiting(), 0, "the tripper is not in a round");
        assert!(!first.done());
        tick().await; // `first` leaves: the draining is over
        assert!(first.done());
        assert_eq!(phase(&barrier), "filling");
        assert_eq!(barrier.n_waiting(), 0);
        tick().await; // the tripper gets into the new round
        assert_eq!(barrier.n_waiting(), 1);
        assert_eq!(barrier.wait().await, Ok(1));
        assert_eq!(first.await.unwrap(), Ok(0));
        assert_eq!(tripper.await.unwrap(), (Ok(1), Ok(0)));
    });
}

// test_blocking_tasks_while_draining (passed before too).
#[test]
fn tasks_that_wait_again_at_once_are_held_until_the_others_catch_up() {
    run(async {
        let barrier = Barrier::new(N);
        let catch_up = Barrier::new(N - 2);
        let rewait = Rc::new(Cell::new(2));
        gather(N, |_| {
            let (barrier, catch_up) = (barrier.clone(), catch_up.clone());
            let rewait = rewait.clone();
            async move {
                barrier.wait().await.unwrap();
                if rewait.get() > 0 {
                    rewait.set(rewait.get() - 1);
                    barrier.wait().await.unwrap();
                } else {
                    catch_up.wait().await.unwrap();
                    barrier.wait().await.unwrap();
                }
            }
        })
        .await;
        assert_eq!(barrier.n_waiting(), 0);
    });
}

// test_filling_tasks_cancel_one (passed before too).
#[test]
fn a_cancelled_task_leaves_the_round_it_was_filling() {
    run(async {
        let barrier = Barrier::new(3);
        let t1 = arrive(&barrier);
        tick().await;
        let t2 = arrive(&barrier);
        tick().await;
        assert_eq!(barrier.n_waiting(), 2);
        t1.cancel();
        settle().await;
        assert_eq!(barrier.n_waiting(), 1);
        assert!(t1.cancelled());
        let t3 = arrive(&barrier);
        tick().await;
        assert_eq!(barrier.n_waiting(), 2);
        let t4 = arrive(&barrier);
        let outcomes = [t2.await, t3.await, t4.await].map(Result::unwrap);
        // asyncio fixes the index on arrival and gives t2 and t3 both 1
        // (CPython issue gh-155233); aio hands the indices out at the trip.
        assert_eq!(outcomes, [Ok(0), Ok(1), Ok(2)]);
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
    });
}

// A task woken by the trip and cancelled before it runs still leaves: the
// draining ends without it (passed before too, having no draining).
#[test]
fn a_task_cancelled_while_the_barrier_drains_still_ends_the_draining() {
    run(async {
        let barrier = Barrier::new(3);
        let (t1, t2) = (arrive(&barrier), arrive(&barrier));
        tick().await;
        assert_eq!(barrier.wait().await, Ok(2));
        let again = arrive(&barrier);
        t1.cancel();
        settle().await;
        assert!(t1.cancelled());
        assert_eq!(t2.await.unwrap(), Ok(1));
        assert_eq!(phase(&barrier), "filling");
        assert_eq!(barrier.n_waiting(), 1, "`again` got into the next round");
        again.cancel();
        settle().await;
    });
}

// test_reset_barrier, test_abort_barrier (passed before too).
#[test]
fn reset_and_abort_with_nobody_waiting() {
    run(async {
        let barrier = Barrier::new(1);
        barrier.reset();
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
        barrier.abort();
        assert_eq!(barrier.n_waiting(), 0);
        assert!(barrier.broken());
        assert_eq!(phase(&barrier), "broken");
    });
}

// test_reset_barrier_while_tasks_waiting (passed before too).
#[test]
fn reset_breaks_the_tasks_filling_the_round() {
    run(async {
        let barrier = Barrier::new(N);
        let tasks: Vec<_> = (0..N - 1).map(|_| arrive(&barrier)).collect();
        tick().await;
        barrier.reset();
        for task in tasks {
            assert_eq!(task.await.unwrap(), BROKEN);
        }
        assert_eq!(barrier.n_waiting(), 0);
        assert_eq!(phase(&barrier), "filling");
        assert!(!barrier.broken());
    });
}

// test_reset_barrier_when_tasks_half_draining. Failed before: the tasks still
// inside had already been let through.
#[test]
fn reset_while_draining_breaks_the_tasks_still_inside() {
    run(async {
        let barrier = Barrier::new(N);
        let broken = Journal::default();
        let passed = Rc::new(Cell::new(0));
        gather(N, |k| {
            let (barrier, broken, passed) =
                (barrier.clone(), broken.clone(), passed.clone());
            async move {
                if barrier.wait().await.is_err() {
                    broken.log(k.to_string());
                    return;
                }
                passed.set(passed.get() + 1);
                if passed.get() == N - N / 2 {
                    barrier.reset(); // two tasks are still inside
                }
            }
        })
        .await;
        assert_eq!(entries(&broken), ["2", "3"]);
        assert_eq!(barrier.n_waiting(), 0);
        assert_eq!(phase(&barrier), "filling");
        assert!(!barrier.broken());
    });
}

// A reset right after the trip, before the woken tasks have run, breaks them:
// asyncio decides when a task runs. Failed before.
#[test]
fn reset_right_after_the_trip_breaks_the_tasks_not_yet_run() {
    run(async {
        let barrier = Barrier::new(3);
        let (t1, t2) = (arrive(&barrier), arrive(&barrier));
        tick().await;
        assert_eq!(barrier.wait().await, Ok(2));
        barrier.reset();
        assert_eq!((t1.await.unwrap(), t2.await.unwrap()), (BROKEN, BROKEN));
        assert_eq!(phase(&barrier), "filling");
    });
}

// test_reset_barrier_when_tasks_half_draining_half_blocking. Failed before:
// the tasks that waited again at once were in the round that the reset broke.
#[test]
fn reset_while_draining_spares_the_tasks_blocked_for_the_next_round() {
    run(async {
        let barrier = Barrier::new(N);
        let (broken, blocked_broken) = (Journal::default(), Journal::default());
        let passed = Rc::new(Cell::new(0));
        let indices = gather(N, |k| {
            let (barrier, passed) = (barrier.clone(), passed.clone());
            let (broken, blocked_broken) =
                (broken.clone(), blocked_broken.clone());
            async move {
                if barrier.wait().await.is_err() {
                    broken.log(k.to_string());
                    return barrier.wait().await;
                }
                passed.set(passed.get() + 1);
                if passed.get() > N / 2 {
                    barrier.reset();
                    return barrier.wait().await;
                }
                let again = barrier.wait().await;
                if again.is_err() {
                    blocked_broken.log(k.to_string());
                }
                again
            }
        })
        .await;
        assert_eq!(entries(&broken), ["2", "3"]);
        assert!(entries(&blocked_broken).is_empty());
        assert_eq!(indices, [Ok(2), Ok(3), Ok(4), Ok(0), Ok(1)]);
        assert_eq!(barrier.n_waiting(), 0);
        assert_eq!(phase(&barrier), "filling");
        assert!(!barrier.broken());
    });
}

// test_reset_barrier_while_tasks_waiting_and_waiting_again (passed before).
#[test]
fn tasks_broken_by_a_reset_can_wait_again() {
    run(async {
        let barrier = Barrier::new(N);
        let (broken, passed) = (Journal::default(), Journal::default());
        let tasks: Vec<_> = (0..N - 1)
            .map(|k| {
                let (barrier, broken, passed) =
                    (barrier.clone(), broken.clone(), passed.clone());
                aio::spawn(async move {
                    if barrier.wait().await.is_err() {
                        broken.log(k.to_string());
                    }
                    barrier.wait().await.unwrap();
                    passed.log(k.to_string());
                })
                .unwrap()
            })
            .collect();
        tick().await;
        barrier.reset();
        tick().await;
        let last = arrive(&barrier);
        for task in tasks {
            task.await.unwrap();
        }
        assert!(last.await.unwrap().is_ok());
        assert_eq!(entries(&broken).len(), N - 1);
        assert_eq!(entries(&passed).len(), N - 1);
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
    });
}

// test_reset_barrier_while_tasks_draining. Deadlocked before: the reset broke
// the round that the first tasks had already started.
#[test]
fn reset_by_the_last_task_out_breaks_nobody() {
    run(async {
        let barrier = Barrier::new(N);
        let (second, failed, third) =
            (Journal::default(), Journal::default(), Journal::default());
        let out = Rc::new(Cell::new(0));
        gather(N, |k| {
            let (barrier, out) = (barrier.clone(), out.clone());
            let (second, failed, third) =
                (second.clone(), failed.clone(), third.clone());
            async move {
                barrier.wait().await.unwrap();
                out.set(out.get() + 1);
                if out.get() == N {
                    barrier.reset(); // the draining is over: a no-op
                    barrier.wait().await.unwrap();
                } else if barrier.wait().await.is_ok() {
                    second.log(k.to_string());
                } else {
                    failed.log(k.to_string());
                }
                barrier.wait().await.unwrap();
                third.log(k.to_string());
            }
        })
        .await;
        assert_eq!(entries(&second), ["2", "4", "0", "1"]);
        assert!(entries(&failed).is_empty());
        assert_eq!(entries(&third).len(), N);
        assert_eq!(barrier.n_waiting(), 0);
        assert!(!barrier.broken());
    });
}

// test_abort_barrier_when_tasks_half_draining_half_blocking. Failed before:
// the tasks still inside had already been let through.
#[test]
fn abort_while_draining_breaks_the_tasks_inside_and_those_blocked() {
    run(async {
        let barrier = Barrier::new(N);
        let (inside, blocked) = (Journal::default(), Journal::default());
        let passed = Rc::new(Cell::new(0));
        gather(N, |k| {
            let (barrier, passed) = (barrier.clone(), passed.clone());
            let (inside, blocked) = (inside.clone(), blocked.clone());
            async move {
                if barrier.wait().await.is_err() {
                    inside.log(k.to_string());
                    return;
                }
                passed.set(passed.get() + 1);
                if passed.get() > N / 2 {
                    barrier.abort();
                } else if barrier.wait().await.is_err() {
                    blocked.log(k.to_string());
                }
            }
        })
        .await;
        assert!(barrier.broken());
        assert_eq!(entries(&inside), ["2", "3"]);
        assert_eq!(entries(&blocked), ["4", "0"]);
        assert_eq!(barrier.n_waiting(), 0);
    });
}

// test_abort_barrier_when_exception (passed before too).
#[test]
fn abort_by_a_failing_task_breaks_everyone_else() {
    run(async {
        let barrier = Barrier::new(N);
        let (passed, broken) = (Journal::default(), Journal::default());
        gather(N, |k| {
            let barrier = barrier.clone();
            let (passed, broken) = (passed.clone(), broken.clone());
            async move {
                // The task with index N / 2 "fails" and aborts; the one still
                // inside is broken in its first wait, the others in their
                // second.
                let outcome = match barrier.wait().await {
                    Ok(index) if index == N / 2 => return barrier.abort(),
                    Ok(_) => barrier.wait().await,
                    broken => broken,
                };
                match outcome {
                    Ok(_) => passed.log(k.to_string()),
                    Err(_) => broken.log(k.to_string()),
                }
            }
        })
        .await;
        assert!(barrier.broken());
        assert!(entries(&passed).is_empty());
        assert_eq!(entries(&broken).len(), N - 1);
        assert_eq!(barrier.n_waiting(), 0);
    });
}

// test_abort_barrier_when_exception_then_resetting. Failed before: abort was
// for good.
#[test]
fn reset_repairs_an_aborted_barrier() {
    run(async {
        let (barrier1, barrier2) = (Barrier::new(N), Barrier::new(N));
        let (broken, third) = (Journal::default(), Journal::default());
        gather(N, |k| {
            let (barrier1, barrier2) = (barrier1.clone(), barrier2.clone());
            let (broken, third) = (broken.clone(), third.clone());
            async move {
                let outcome = match barrier1.wait().await {
                    Ok(index) if index == N / 2 => None,
                    Ok(_) => Some(barrier1.wait().await),
                    broken => Some(broken),
                };
                match outcome {
                    None => barrier1.abort(),
                    Some(outcome) => {
                        assert_eq!(outcome, BROKEN);
                        broken.log(k.to_string());
                    }
                }
                // Everyone has left barrier1 before the reset, and nobody
                // enters it again before.
                if barrier2.wait().await.unwrap() == N / 2 {
                    barrier1.reset();
                }
                barrier2.wait().await.unwrap();
                barrier1.wait().await.unwrap();
                third.log(k.to_string());
            }
        })
        .await;
        assert!(!barrier1.broken());
        assert_eq!(entries(&broken), ["3", "4", "0", "1"]);
        assert_eq!(entries(&third), ["3", "4", "0", "1", "2"]);
        assert_eq!(barrier1.n_waiting(), 0);
    });
}

// The simplest repair, and the barrier works again afterwards. Failed
// before.
#[test]
fn reset_after_abort_with_nobody_inside_opens_a_new_round() {
    run(async {
        let barrier = Barrier::new(2);
        barrier.abort();
        assert_eq!(barrier.wait().await, BROKEN);
        barrier.reset();
        assert!(!barrier.broken());
        let first = arrive(&barrier);
        tick().await;
        assert_eq!(barrier.wait().await, Ok(1));
        assert_eq!(first.await.unwrap(), Ok(0));
    });
}

// test_repr: the phases in the order asyncio goes through them. Failed
// before: no phase.
#[test]
fn the_phases_follow_asyncio() {
    run(async {
        let barrier = Barrier::new(N);
        let state = |barrier: &Barrier| (phase(barrier), barrier.n_waiting());
        let mut waiters = Vec::new();
        let mut seen = vec![state(&barrier)];
        let mut arrive_and_tick = async |count: usize| {
            waiters.extend((0..count).map(|_| arrive(&barrier)));
            tick().await;
        };
        arrive_and_tick(2).await;
        seen.push(state(&barrier));
        arrive_and_tick(N - 2).await; // trips it
        seen.push(state(&barrier));
        arrive_and_tick(2).await; // after the drain: a new round
        seen.push(state(&barrier));
        barrier.reset();
        seen.push(state(&barrier));
        arrive_and_tick(2).await; // blocked, then let in when the reset ends
        seen.push(state(&barrier));
        barrier.abort();
        seen.push(state(&barrier));
        assert!(barrier.broken());
        let expected: Vec<_> = [
            ("filling", 0),
            ("filling", 2),
            ("draining", 0),
            ("filling", 2),
            ("resetting", 0),
            ("filling", 2),
            ("broken", 0),
        ]
        .into_iter()
        .map(|(phase, n)| (phase.to_string(), n))
        .collect();
        assert_eq!(seen, expected);
        let mut outcomes = Vec::new();
        for waiter in waiters {
            outcomes.push(waiter.await.unwrap());
        }
        let ok = (0..N).map(Ok);
        let broken = std::iter::repeat_n(BROKEN, 4);
        assert_eq!(outcomes, ok.chain(broken).collect::<Vec<_>>());
    });
}

#[test]
fn a_barrier_of_zero_parties_is_a_barrier_of_one() {
    // As `std::sync::Barrier::new(0)` and tokio's: documented in the names
    // table, where asyncio raises ValueError.
    let barrier = aio::Barrier::new(0);
    assert_eq!(barrier.parties(), 1);
    let event_loop = common::virtual_loop();
    let index =
        event_loop.run_until_complete(async move { barrier.wait().await });
    assert_eq!(index.unwrap().unwrap(), 0);
    event_loop.close().unwrap();
}
