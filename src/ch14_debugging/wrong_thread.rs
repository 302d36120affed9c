//! Chapter 14 (debugging): calls from the wrong thread, refused by the
//! compiler.
//!
//! asyncio's debug mode checks, at run time, that `call_soon`, `call_later`
//! and `create_task` are called on the loop's own thread, and raises
//! "Non-thread-safe operation invoked on an event loop other than the
//! current one" when they are not. Without debug mode the call goes
//! through, and corrupts the loop's queues once in a while.
//!
//! aio has no such check to switch on, because the call cannot be written:
//! a loop, a task's handle and a promise are not `Send`, so no other thread
//! can hold one. Each program below is a doctest that must *fail* to
//! compile, with rustc's E0277 ("cannot be sent between threads safely"):
//!
// ANCHOR: wrong_thread
//! ```compile_fail,E0277
//! let event_loop = aio::EventLoop::new().unwrap();
//! std::thread::spawn(move || event_loop.call_soon(|| ()));
//! ```
//!
//! ```compile_fail,E0277
//! aio::run(async {
//!     let task = aio::spawn(async { 1 }).unwrap();
//!     std::thread::spawn(move || task.cancel());
//! });
//! ```
//!
//! ```compile_fail,E0277
//! aio::run(async {
//!     let promise = aio::Promise::<u8>::new().unwrap();
//!     std::thread::spawn(move || promise.set_result(1));
//! });
//! ```
//!
//! What another thread may hold is the loop's [`RemoteLoop`], whose
//! `call_soon_threadsafe` is the one door in, and wakers:
//!
//! ```
//! let event_loop = aio::EventLoop::new().unwrap();
//! let remote = event_loop.remote();
//! let sent = std::thread::spawn(move || {
//!     remote.call_soon_threadsafe(|| ()).is_ok()
//! });
//! assert!(sent.join().unwrap());
//! event_loop.close().unwrap();
//! ```
// ANCHOR_END: wrong_thread
//!
//! [`RemoteLoop`]: crate::RemoteLoop
