//! Chapter 14 (debugging): debugging with asyncio.

pub(crate) mod bug_museum;
pub(crate) mod tree_server;
