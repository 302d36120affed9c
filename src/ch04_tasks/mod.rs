//! Chapter 4 (tasks): executing tasks concurrently, and looking at them.

pub(crate) mod task_ref;
