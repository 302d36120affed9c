//! Chapter 14 (debugging): debug mode, the task tree, calls from the wrong
//! thread, and the bug museum.

pub(crate) mod wait_node;
pub(crate) mod tree_server;
pub(crate) mod debug_mode;
pub(crate) mod task_tree;
pub(crate) mod wrong_thread;
pub(crate) mod bug_museum;
