//! Chapter 14 (debugging): the task tree, Python 3.14's `asyncio pstree`.
//!
//! Every unfinished task of a loop, with its name, its state, where it was
//! created and what it waits on. A task that awaits another task is that
//! task's parent, so the tasks nobody awaits are the roots; the members of a
//! `gather`, `wait` or `as_completed` hang from it as branches. What each
//! task waits on is known only in debug mode (`debug_mode.rs`), which
//! collects it at every step; with debug mode off the tree still lists every
//! task, each as a root.

use crate::ch01_coroutines::awaiting::WaitingOn;
use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop::{EventLoop, with_running};
use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::seam::Runnable;
use crate::ch01_coroutines::task_cell::current_task_id;
use crate::ch14_debugging::debug_mode::DebugState;
use crate::ch14_debugging::wait_node::{TaskNode, WaitNode, leaf_node};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

// ANCHOR: tree_types
/// A loop's unfinished tasks, as a forest: [`EventLoop::task_tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskTree {
    /// The tasks nobody awaits, by task id.
    pub roots: Vec<TaskNode>,
}

// ANCHOR_END: tree_types

/// The task tree of the running loop (see [`EventLoop::task_tree`]). Fails
/// with [`Error::NoRunningLoop`] outside a task or callback.
pub fn task_tree() -> Result<TaskTree, Error> {
    with_running(EventLoop::task_tree).ok_or(Error::NoRunningLoop)
}

impl EventLoop {
    /// Every unfinished task of this loop, as a tree: who awaits whom, and
    /// what each waits on (that part only in debug mode, see
    /// [`set_debug`](EventLoop::set_debug)). Python 3.14's
    /// `python -m asyncio pstree`, from inside.
    pub fn task_tree(&self) -> TaskTree {
        TreeBuilder::new(self).build()
    }
}

// ANCHOR: build
/// Builds one tree, remembering which tasks it has shown.
struct TreeBuilder {
    tasks: BTreeMap<u64, TaskArc<dyn Runnable>>,
    waits: BTreeMap<u64, Vec<WaitingOn>>,
    shown: HashSet<u64>,
}

impl TreeBuilder {
    fn new(event_loop: &EventLoop) -> Self {
        let running = current_task_id();
        let tasks: BTreeMap<_, _> = event_loop
            .live_tasks()
            .into_iter()
            .map(|task| (task.header().id, task))
            .collect();
        // What each task waits on is known in debug mode only; the running
        // task is mid-step, so what it waited on is out of date.
        let waits = match event_loop.local::<DebugState>() {
            Some(state) => tasks
                .keys()
                .filter(|id| Some(**id) != running)
                .map(|&id| (id, state.waits_of(id)))
                .collect(),
            None => BTreeMap::new(),
        };
        TreeBuilder { tasks, waits, shown: HashSet::new() }
    }

    /// The roots are the tasks nobody awaits; then any task left out (tasks
    /// that await each other in a cycle) becomes a root too.
    fn build(mut self) -> TaskTree {
        let mut awaited = HashSet::new();
        for waits in self.waits.values() {
            waits.iter().for_each(|wait| tasks_in(wait, &mut awaited));
        }
        let ids: Vec<u64> = self.tasks.keys().copied().collect();
        let mut roots: Vec<TaskNode> = ids
            .iter()
            .filter(|id| !awaited.contains(id))
            .map(|&id| self.node(id))
            .collect();
        for id in ids {
            if !self.shown.contains(&id) {
                roots.push(self.node(id));
            }
        }
        TaskTree { roots }
    }

    fn node(&mut self, id: u64) -> TaskNode {
        self.shown.insert(id);
        let task = self.tasks[&id].clone();
        let running = current_task_id() == Some(id);
        let waits = self.waits.get(&id).cloned().unwrap_or_default();
        TaskNode {
            id,
            name: task.name(),
            state: if running { "running" } else { task.state().word() },
            created_at: task.spawned_at().to_string(),
            waits_on: waits.iter().filter_map(|w| self.wait_node(w)).collect(),
        }
    }

    /// A wait as the tree shows it. A task that has finished since is left
    /// out: its waiter is about to wake.
    fn wait_node(&mut self, wait: &WaitingOn) -> Option<WaitNode> {
        Some(match wait {
            WaitingOn::Task(id) if self.shown.contains(id) => {
                WaitNode::Again { id: *id, name: self.tasks[id].name() }
            }
            WaitingOn::Task(id) if self.tasks.contains_key(id) => {
                WaitNode::Task(self.node(*id))
            }
            WaitingOn::Task(_) => return None,
            WaitingOn::Group { kind, created_at, members } => WaitNode::Group {
                kind,
                created_at: created_at.to_string(),
                members: members
                    .iter()
                    .filter_map(|member| self.wait_node(member))
                    .collect(),
            },
            leaf => return leaf_node(leaf),
        })
    }
}
// ANCHOR_END: build

/// Adds the id of every task `wait` names, in groups too, to `ids`.
fn tasks_in(wait: &WaitingOn, ids: &mut HashSet<u64>) {
    match wait {
        WaitingOn::Task(id) => {
            ids.insert(*id);
        }
        WaitingOn::Group { members, .. } => {
            members.iter().for_each(|member| tasks_in(member, ids));
        }
        _ => {}
    }
}

// ANCHOR: display
impl fmt::Display for TaskTree {
    /// One line per node, with box-drawing branches, as `pstree` draws.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.roots.is_empty() {
            return writeln!(f, "(no tasks)");
        }
        for root in &self.roots {
            writeln!(f, "{root}")?;
            write_branches(f, &root.waits_on, "")?;
        }
        Ok(())
    }
}

/// Writes `nodes` under a parent whose own line began with `indent`.
fn write_branches(
    f: &mut fmt::Formatter<'_>,
    nodes: &[WaitNode],
    indent: &str,
) -> fmt::Result {
    for (index, node) in nodes.iter().enumerate() {
        let last = index + 1 == nodes.len();
        let (branch, below) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        writeln!(f, "{indent}{branch}{node}")?;
        let children = match node {
            WaitNode::Task(task) => &task.waits_on[..],
            WaitNode::Group { members, .. } => &members[..],
            _ => &[],
        };
        write_branches(f, children, &format!("{indent}{below}"))?;
    }
    Ok(())
}
// ANCHOR_END: display
