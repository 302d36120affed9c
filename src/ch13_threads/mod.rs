//! Chapter 13 (threads and processes): combining coroutines with threads.

pub mod oneshot;
