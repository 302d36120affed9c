//! What a task costs in allocations: the first cut's boxed task against aio's
//! one-allocation cell, counted by a counting global allocator (so this
//! binary holds this one test only). The book shows the snapshot.

#[path = "../../../tests/support/counting_allocator.rs"]
mod counting;

use ch04_tasks::first_cut::Executor;
use counting::allocations_during;

const TASKS: usize = 1_000;

/// Allocations made spawning `TASKS` tasks, then running them to the end.
struct Cost {
    spawning: usize,
    running: usize,
}

fn first_cut_cost() -> Cost {
    let executor = Executor::default();
    let spawn_all = || {
        for n in 0..TASKS {
            drop(executor.spawn(async move { n * 2 }));
        }
    };
    // Warm up, so that the map and the queue already have their capacity.
    spawn_all();
    executor.run();
    let spawning = allocations_during(spawn_all);
    let running = allocations_during(|| executor.run());
    Cost { spawning, running }
}

fn aio_cost() -> Cost {
    let event_loop = aio::EventLoop::builder().virtual_clock().build().unwrap();
    let spawn_all = || {
        for n in 0..TASKS {
            drop(event_loop.create_task(async move { n * 2 }).unwrap());
        }
    };
    spawn_all();
    event_loop.run_until_complete(async {}).unwrap();
    let spawning = allocations_during(spawn_all);
    let running = allocations_during(|| {
        event_loop.stop();
        event_loop.run_forever().unwrap();
    });
    event_loop.close().unwrap();
    Cost { spawning, running }
}

#[test]
fn the_first_cut_allocates_four_times_per_task_and_aio_once() {
    let (first_cut, aio) = (first_cut_cost(), aio_cost());
    let table = format!(
        "allocations for {TASKS} tasks   first cut    aio\n\
         spawning                     {:>9}   {:>4}\n\
         running to the end           {:>9}   {:>4}\n",
        first_cut.spawning, aio.spawning, first_cut.running, aio.running
    );
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("first_cut_allocations", table);
    });
}
