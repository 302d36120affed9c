//! Exercise 2: find the deadlock. [`deadlock`] builds one, two tasks that
//! each hold one lock and wait for the other's; [`waiting_on`] finds the
//! tasks stuck on a kind of primitive by walking the task tree.

use aio::{Lock, TaskNode, TaskTree, WaitNode};
use std::time::Duration;

// ANCHOR: deadlock
/// Takes `first`, gives the other task a tick to take its own lock, then
/// waits for `second`, which that task holds.
async fn take_both(first: Lock, second: Lock) {
    let _first = first.lock().await;
    aio::sleep(Duration::ZERO).await;
    let _second = second.lock().await;
}

/// On the running loop: turns debug mode on (or the tree knows no waits),
/// spawns two tasks named `left` and `right` that deadlock on two
/// `aio::Lock`s, waits until both are stuck, and returns the loop's task
/// tree as it is then. The two tasks stay stuck; whoever runs this cancels
/// them (`aio::run` does, when its main future returns).
pub async fn deadlock() -> Result<TaskTree, aio::Error> {
    aio::get_running_loop()?.set_debug(true);
    let (a, b) = (Lock::new(), Lock::new());
    let left = aio::spawn(take_both(a.clone(), b.clone()))?;
    left.set_name("left");
    let right = aio::spawn(take_both(b, a))?;
    right.set_name("right");
    // Tick 1: each takes its first lock; tick 2: each waits for its second.
    for _ in 0..3 {
        aio::sleep(Duration::ZERO).await;
    }
    aio::task_tree()
}
// ANCHOR_END: deadlock

// ANCHOR: waiting_on
/// The names of the tasks in `tree` that wait on the primitive `kind`
/// (`"Lock"`, `"Event"`, ...), wherever they are in the tree, each once,
/// sorted.
pub fn waiting_on(tree: &TaskTree, kind: &str) -> Vec<String> {
    let mut names = Vec::new();
    for root in &tree.roots {
        collect(root, kind, &mut names);
    }
    names.sort();
    names.dedup();
    names
}

/// Adds `task`'s name if it waits on `kind`, then looks below it.
fn collect(task: &TaskNode, kind: &str, names: &mut Vec<String>) {
    for wait in &task.waits_on {
        visit(wait, task, kind, names);
    }
}

/// One wait of `task`: a primitive to check, or a branch to walk.
fn visit(
    wait: &WaitNode,
    task: &TaskNode,
    kind: &str,
    names: &mut Vec<String>,
) {
    match wait {
        WaitNode::Primitive { kind: waited } if *waited == kind => {
            names.push(task.name.clone());
        }
        WaitNode::Task(awaited) => collect(awaited, kind, names),
        // A group's members are waits of the task that made it.
        WaitNode::Group { members, .. } => {
            members.iter().for_each(|m| visit(m, task, kind, names));
        }
        // Shown elsewhere in the tree, and counted there.
        _ => {}
    }
}
// ANCHOR_END: waiting_on
