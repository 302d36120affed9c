//! Chapter 5 (control structures): composing coroutines.

pub(crate) mod deadline;
pub(crate) mod as_completed;
pub(crate) mod gather;
pub(crate) mod shield;
pub(crate) mod timeouts;
pub(crate) mod wait;
