//! Chapter 14 (debugging): debug mode, the task tree, and the bug museum.

pub(crate) mod wait_node;
pub(crate) mod debug_mode;
pub(crate) mod task_tree;
pub(crate) mod bug_museum;
