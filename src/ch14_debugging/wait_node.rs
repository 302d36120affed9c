//! Chapter 14 (debugging): the nodes of the task tree, and a wait in words.
//!
//! A [`TaskNode`] is one task; a [`WaitNode`] is one thing a task waits on,
//! which may be another task (a branch of the tree). Debug mode's reports
//! and the tree both write a wait the same way, from here.

use crate::ch01_coroutines::awaiting::WaitingOn;
use crate::ch01_coroutines::event_loop::EventLoop;
use std::fmt;
use std::time::Duration;

// ANCHOR: node_types
/// One task in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskNode {
    /// The task's id, unique in the process.
    pub id: u64,
    /// Its name (`Task-N` unless named).
    pub name: String,
    /// `running` for the task asking, else `pending` or `cancelling`.
    pub state: &'static str,
    /// Where it was spawned: `file:line:column`.
    pub created_at: String,
    /// What it waits on (known in debug mode only).
    pub waits_on: Vec<WaitNode>,
}

/// One thing a task waits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitNode {
    /// A task it awaits: a branch of the tree.
    Task(TaskNode),
    /// A task it awaits that the tree shows elsewhere already.
    Again {
        /// The task's id.
        id: u64,
        /// The task's name.
        name: String,
    },
    /// Several at once: a `gather`, `wait` or `as_completed`.
    Group {
        /// Which: `"gather"`, `"wait"` or `"as_completed"`.
        kind: &'static str,
        /// Where it was made.
        created_at: String,
        /// What its members wait on.
        members: Vec<WaitNode>,
    },
    /// A timer: a sleep or a timeout.
    Timer {
        /// The loop time it is due at.
        deadline: Duration,
    },
    /// A promise (asyncio's `Future`).
    Promise {
        /// Where it was made.
        created_at: String,
    },
    /// A synchronisation primitive: `"Lock"`, `"Event"`, `"Queue (get)"`...
    Primitive {
        /// Which primitive.
        kind: &'static str,
    },
    /// A socket or a pipe.
    Io {
        /// What the task waits for (`"data to read"`).
        what: &'static str,
    },
    /// Another thread's answer: an executor's job, a name lookup.
    Thread {
        /// What the thread does (`"run_in_executor"`).
        what: &'static str,
    },
}
// ANCHOR_END: node_types

/// One wait in words, for a report: `task 'inner'`, `timer due at 1.000 s`.
pub(crate) fn describe_wait(
    wait: &WaitingOn,
    event_loop: Option<&EventLoop>,
) -> String {
    match wait {
        WaitingOn::Task(id) => {
            match event_loop.and_then(|event_loop| event_loop.task(*id)) {
                Some(task) => format!("task '{}'", task.name()),
                None => format!("task #{id}"),
            }
        }
        WaitingOn::Group { kind, created_at, members } => {
            let members: Vec<String> = members
                .iter()
                .map(|member| describe_wait(member, event_loop))
                .collect();
            format!("{kind} at {created_at} of [{}]", members.join(", "))
        }
        leaf => {
            leaf_node(leaf).map(|node| node.to_string()).unwrap_or_default()
        }
    }
}

/// A wait that names no task, as a node of the tree.
pub(crate) fn leaf_node(wait: &WaitingOn) -> Option<WaitNode> {
    Some(match wait {
        WaitingOn::Timer(deadline) => WaitNode::Timer { deadline: *deadline },
        WaitingOn::Promise(created_at) => {
            WaitNode::Promise { created_at: created_at.to_string() }
        }
        WaitingOn::Primitive(kind) => WaitNode::Primitive { kind },
        WaitingOn::Io(what) => WaitNode::Io { what },
        WaitingOn::Thread(what) => WaitNode::Thread { what },
        WaitingOn::Task(_) | WaitingOn::Group { .. } => return None,
    })
}

impl fmt::Display for TaskNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TaskNode { name, state, created_at, .. } = self;
        write!(f, "task '{name}' {state}, from {created_at}")
    }
}

impl fmt::Display for WaitNode {
    /// The node's own line, without its branches.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitNode::Task(task) => write!(f, "{task}"),
            WaitNode::Again { name, .. } => {
                write!(f, "task '{name}' (shown above)")
            }
            WaitNode::Group { kind, created_at, .. } => {
                write!(f, "{kind} at {created_at}")
            }
            WaitNode::Timer { deadline } => {
                write!(f, "timer due at {:.3} s", deadline.as_secs_f64())
            }
            WaitNode::Promise { created_at } => {
                write!(f, "promise made at {created_at}")
            }
            WaitNode::Primitive { kind } => f.write_str(kind),
            WaitNode::Io { what } => write!(f, "I/O: {what}"),
            WaitNode::Thread { what } => write!(f, "another thread: {what}"),
        }
    }
}
